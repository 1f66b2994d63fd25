"""Writes of stakeholder requests. The admin, API, feedback form and seed call these."""

from django.db import transaction
from django.utils import timezone

from . import attachments
from .models import RequestAttachment, StakeholderRequest

ANSWERED_STATUSES = (
    StakeholderRequest.Status.ANSWERED,
    StakeholderRequest.Status.CLOSED,
    StakeholderRequest.Status.DECLINED,
)


@transaction.atomic
def request_save(*, request: StakeholderRequest, commitments=None) -> StakeholderRequest:
    """Validate and store a request; the moment it is first answered is recorded."""
    if request.status in ANSWERED_STATUSES and request.responded_at is None:
        request.responded_at = timezone.now()
    request.full_clean()
    request.save()
    if commitments is not None:
        request.commitments.set(commitments)
    return request


def request_create(*, commitments=(), **fields) -> StakeholderRequest:
    return request_save(request=StakeholderRequest(**fields), commitments=commitments)


def attachment_add(*, request: StakeholderRequest, upload, person=None) -> RequestAttachment:
    """Stores an uploaded file with a request, after checking its type by its content."""
    content_type = attachments.checked_type(upload)
    attachment = RequestAttachment(
        request=request,
        name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=person,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment
