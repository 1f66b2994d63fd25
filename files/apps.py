from django.apps import AppConfig
from django.core.signals import request_finished, setting_changed
from django.utils.functional import empty


def reset_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        from .storage import private_storage

        private_storage()._wrapped = empty


class FilesConfig(AppConfig):
    """Plumbing shared by the apps that take files and spreadsheets: no models."""

    name = "files"

    def ready(self):
        from .storage import removed_unless_kept

        setting_changed.connect(reset_private_storage)
        # Files stored by a request whose transaction rolled back are removed after it.
        request_finished.connect(removed_unless_kept)
