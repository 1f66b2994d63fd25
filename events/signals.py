from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from files.storage import delete_on_commit

from .models import MeetingDocument


@receiver(post_delete, sender=MeetingDocument)
def delete_document_file(sender, instance, **kwargs):
    """The file goes when its row is gone for good (also when its meeting is deleted)."""
    delete_on_commit(instance.file.storage, instance.file.name)


@receiver(pre_save, sender=MeetingDocument)
def delete_replaced_document_file(sender, instance, **kwargs):
    """A document given a new file drops the old one once the change is committed."""
    if instance.pk is None or instance.file._committed:
        return
    old = MeetingDocument.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    delete_on_commit(instance.file.storage, old)
