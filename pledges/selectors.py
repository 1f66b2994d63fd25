"""Reads of pledges shared by the admin and the dashboard."""

from django.db.models import OuterRef, Subquery

from .models import Commitment, ProgressEntry


def with_latest_progress(queryset=None):
    """Pledges annotated with `latest_value`, their most recent progress entry's value."""
    queryset = Commitment.objects.all() if queryset is None else queryset
    latest = ProgressEntry.objects.filter(commitment=OuterRef("pk")).order_by("-date", "-id")
    return queryset.annotate(latest_value=Subquery(latest.values("value")[:1]))


def progress_of(commitment):
    """The pledge's progress in percent from its annotated `latest_value` (no query); 0 before
    any entry, None for a pledge without baseline and target."""
    value = commitment.latest_value
    return commitment.progress_percent(commitment.baseline_value if value is None else value)
