"""The admin action every personal link's list offers."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@admin.action(description=_("Revoke the selected links"), permissions=["change"])
def revoke(modeladmin, request, queryset):
    count = queryset.revoke()
    modeladmin.message_user(
        request,
        ngettext("%(count)d link revoked.", "%(count)d links revoked.", count) % {"count": count},
        messages.SUCCESS,
    )
