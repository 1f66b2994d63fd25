from django.db.models.signals import post_delete
from django.dispatch import receiver

from files.storage import delete_on_commit

from .models import RequestAttachment


@receiver(post_delete, sender=RequestAttachment)
def delete_attachment_file(sender, instance, **kwargs):
    """The file goes when its row is gone for good (also when its request is deleted)."""
    delete_on_commit(instance.file.storage, instance.file.name)
