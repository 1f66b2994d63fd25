"""Private files: outside MEDIA_ROOT, served by no URL of their own, only through views that
check who asks (see files.checks.download)."""

import logging
import threading
import uuid

from django.apps import apps
from django.core.files.storage import storages
from django.db import DatabaseError, models, transaction
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)
# Names stored during the request this thread serves (see removed_unless_kept).
_stored = threading.local()


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used (and again after the setting changes,
    see apps), like Django's default_storage. What a request stores is noted, so that it is
    removed again when the request's transaction did not keep it (removed_unless_kept)."""

    def _setup(self):
        self._wrapped = storages["private"]

    def save(self, name, content, max_length=None):
        if self._wrapped is empty:
            self._setup()
        name = self._wrapped.save(name, content, max_length=max_length)
        if not hasattr(_stored, "names"):
            _stored.names = []
        _stored.names.append(name)
        return name


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


def _private_file_fields():
    """(model, field name) of every file field kept in the private storage, past versions
    included."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and field.storage is _private_storage
    ]


def _kept(name) -> bool:
    return any(
        model._base_manager.filter(**{field: name}).exists()
        for model, field in _private_file_fields()
    )


def removed_unless_kept(**kwargs) -> None:
    """At the end of a request: a private file it stored that no row names was stored by a
    transaction that was rolled back (a submission that failed half-way, say), and is
    removed. One query per model with files, only after requests that stored any."""
    names, _stored.names = getattr(_stored, "names", []), []
    for name in names:
        try:
            if _kept(name):
                continue
        except DatabaseError:
            logger.warning("could not tell whether %s is kept; it stays", name, exc_info=True)
            continue
        _private_storage.delete(name)
