from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver

from files.storage import delete_on_commit

from .models import RequestAttachment

# Sent by the request services in the transaction of every write of a request (a new one, an
# edit, each step of its workflow, the company's rewording), with `request` and `created`: what
# happened to it exists exactly when the write commits (webhooks queue their events here).
request_saved = Signal()


@receiver(post_delete, sender=RequestAttachment)
def delete_attachment_file(sender, instance, **kwargs):
    """The file goes when its row is gone for good (also when its request is deleted)."""
    delete_on_commit(instance.file.storage, instance.file.name)
