from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Roundtable")
admin.site.site_title = _("Roundtable")
admin.site.index_title = _("AI transformation relay roundtables")

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    readonly_fields = [*UserAdmin.readonly_fields, "calendar_address"]
    fieldsets = [*UserAdmin.fieldsets, (_("Calendar"), {"fields": ["calendar_address"]})]

    @admin.display(description=_("private calendar address"))
    def calendar_address(self, user):
        feed = getattr(user, "calendar_feed", None)
        if feed is None:
            return _("Not created yet: the user opens “My calendar” to get one.")
        return feed.url
