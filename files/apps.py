from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.functional import empty


def reset_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        from .storage import private_storage

        private_storage()._wrapped = empty


class FilesConfig(AppConfig):
    """Plumbing shared by the apps that take files and spreadsheets: no models."""

    name = "files"

    def ready(self):
        setting_changed.connect(reset_private_storage)
