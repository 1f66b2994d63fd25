"""Private files: outside MEDIA_ROOT, served by no URL of their own, only through views that
check who asks (see files.checks.download)."""

from django.core.files.storage import storages
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used (and again after the setting changes,
    see apps), like Django's default_storage."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage
