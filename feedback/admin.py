from django.contrib import admin

from audit.history import HistoryAdmin
from links import admin as links_admin

from .models import Feedback, FeedbackInvitation


@admin.register(FeedbackInvitation)
class FeedbackInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "organization",
        "meeting",
        "created_at",
        "opened_at",
        "answered_at",
        "revoked_at",
    ]
    list_filter = [
        "meeting",
        ("answered_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["person__organization", "organization", "meeting"]
    search_fields = [
        "person__name",
        "person__name_en",
        "person__email",
        "organization__name",
        "organization__name_en",
    ]
    autocomplete_fields = ["meeting", "person", "organization"]
    readonly_fields = [
        "meeting",
        "person",
        "organization",
        "created_at",
        "opened_at",
        "answered_at",
        "revoked_at",
    ]
    actions = [links_admin.revoke]

    def has_add_permission(self, request):
        return False  # invitations come from asking for feedback on a meeting


@admin.register(Feedback)
class FeedbackAdmin(HistoryAdmin):
    list_display = ["organization", "meeting", "submitter_name", "updated_at"]
    list_filter = ["meeting"]
    list_select_related = ["organization", "meeting"]
    search_fields = ["organization__name", "organization__name_en", "submitter_name", "comments"]
    readonly_fields = ["meeting", "organization", "submitted_by", "created_at", "updated_at"]
