"""Private files: outside MEDIA_ROOT, served by no URL of their own, only through views that
check who asks (see files.checks.download)."""

import uuid

from django.core.files.storage import storages
from django.db import transaction
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used (and again after the setting changes,
    see apps), like Django's default_storage."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


def random_name(folder: str) -> str:
    """A stored name that tells nothing and cannot be guessed."""
    return f"{folder}/{uuid.uuid4().hex}"


def delete_on_commit(storage, name) -> None:
    """Deletes a stored file once the transaction that dropped it has committed."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))
