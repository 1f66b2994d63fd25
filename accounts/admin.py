from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import Authenticator
from .two_factor import SignInForm

admin.site.site_header = _("Roundtable")
admin.site.site_title = _("Roundtable")
admin.site.index_title = _("AI transformation relay roundtables")
admin.site.login_form = SignInForm
admin.site.login_template = "accounts/sign_in.html"

# django-otp's own pages edit secret keys; staff set up their app on "Two-factor sign-in", and
# coordinators only see who uses one and reset it (Authenticator apps below).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "two_factor"]
    readonly_fields = [*UserAdmin.readonly_fields, "calendar_address"]
    fieldsets = [*UserAdmin.fieldsets, (_("Calendar"), {"fields": ["calendar_address"]})]

    @admin.display(description=_("private calendar address"))
    def calendar_address(self, user):
        feed = getattr(user, "calendar_feed", None)
        if feed is None:
            return _("Not created yet: the user opens “My calendar” to get one.")
        return feed.url

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_authenticator=Exists(devices))

    @admin.display(description=_("two-factor"), boolean=True, ordering="has_authenticator")
    def two_factor(self, user):
        return user.has_authenticator


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    fields = ["user", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["reset"]

    def get_queryset(self, request):
        devices = super().get_queryset(request).filter(confirmed=True)
        if not request.user.is_superuser:
            # Accounts are for superusers: a coordinator cannot strip a superuser's second factor.
            devices = devices.exclude(user__is_superuser=True)
        return devices

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.two_factor_remove(user=obj.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            services.two_factor_remove(user=device.user)

    def get_actions(self, request):
        # "Reset" says what deleting does; Django's delete action would say "delete devices".
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(
        description=_("Reset two-factor sign-in of the selected staff"), permissions=["delete"]
    )
    def reset(self, request, queryset):
        self.delete_queryset(request, queryset)
        self.message_user(
            request,
            _("Reset: they sign in with their password and set up an app again."),
        )
