"""The pledges on a meeting's admin page (see events/admin_parts.py)."""

from events import admin_parts

from .admin import CommitmentInline

# Read only, each row linking to the pledge's own page: nothing to save from the meeting's.
admin_parts.register(admin_parts.Inline(CommitmentInline, order=20))
