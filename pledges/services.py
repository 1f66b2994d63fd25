"""Writes of government pledges and their progress. The admin, the API and seed_relay call
these, so that a pledge ends the same whichever way it was written."""

from django.db import transaction
from django.utils.translation import gettext as _

from stakeholders.models import Organization

from .models import Commitment, ProgressEntry


@transaction.atomic
def commitment_save(*, commitment: Commitment) -> Commitment:
    """Validates and stores a new or changed pledge. A change of the responsible ministry is
    noted in its history, as a request's reassignment is."""
    commitment.full_clean()
    if commitment.pk is not None:
        stored = Commitment.objects.filter(pk=commitment.pk)
        before = stored.values_list("ministry_id", flat=True).first()
        if before and before != commitment.ministry_id:
            commitment._change_reason = _("Responsibility moved from %(before)s to %(after)s") % {
                "before": Organization.objects.get(pk=before).name,
                "after": commitment.ministry.name if commitment.ministry_id else "—",
            }
    commitment.save()
    return commitment


@transaction.atomic
def progress_entry_save(*, entry: ProgressEntry) -> ProgressEntry:
    """Validates and stores a pledge's progress entry (a dated value on its way to the
    target)."""
    entry.full_clean()
    entry.save()
    return entry
