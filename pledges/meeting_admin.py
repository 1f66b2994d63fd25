"""The pledges on a meeting's admin page (see events/admin_parts.py)."""

from django.utils.text import capfirst

from events import admin_parts

from .admin import CommitmentInline
from .models import Commitment


def pledge_figures(meeting):
    label = capfirst(Commitment._meta.verbose_name_plural)
    return [(label, Commitment.objects.filter(meeting=meeting).count())]


# Read only, each row linking to the pledge's own page: nothing to save from the meeting's.
admin_parts.register(admin_parts.Inline(CommitmentInline, order=20))
admin_parts.register(admin_parts.Figures(pledge_figures, order=20))
