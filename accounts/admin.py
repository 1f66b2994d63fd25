from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenChangeList
from rest_framework.authtoken.models import TokenProxy

from . import services
from .models import ApiToken, Authenticator
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
# DRF's token admin lists every key and mints a token for anyone; API tokens below show their
# owners only, and only an owner issues their own (the "API token" page).
admin.site.unregister(TokenProxy)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "two_factor"]
    readonly_fields = [*UserAdmin.readonly_fields, "calendar_address"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # The private calendar address opens the user's internal meetings: for superusers,
        # who manage accounts, not for coordinators who only look the account up.
        if obj is not None and request.user.is_superuser:
            fieldsets = [*fieldsets, (_("Calendar"), {"fields": ["calendar_address"]})]
        return fieldsets

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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Whose API token exists, since when and when it was last used; a coordinator withdraws
    one. The key is its owner's alone: shown once to them, never here (a prefix at most)."""

    list_display = ["user", "key_prefix", "created", "last_used"]
    list_select_related = ["user", "use"]
    list_filter = ["created"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    ordering = ["user__username"]
    fields = ["user", "key_prefix", "created", "last_used"]
    readonly_fields = fields
    # Rows are addressed by their owner's id, which Django's actions cannot select by.
    actions = None

    @admin.display(description=_("key"))
    def key_prefix(self, token):
        return token.key_prefix

    @admin.display(description=_("last used"), ordering="use__last_used_at")
    def last_used(self, token):
        use = getattr(token, "use", None)
        return use.last_used_at if use else None

    def get_changelist(self, request, **kwargs):
        return TokenChangeList  # links each row by its owner's id

    def get_object(self, request, object_id, from_field=None):
        """The token of the user whose id the address names."""
        try:
            user_id = User._meta.pk.to_python(object_id)
        except ValidationError:
            return None
        tokens = self.get_queryset(request).select_related("user", "use")
        return tokens.filter(user_id=user_id).first()

    def has_add_permission(self, request):
        return False  # nobody issues a token for somebody else

    def has_change_permission(self, request, obj=None):
        return False  # nor hands one to another user

    def delete_model(self, request, obj):
        services.token_revoke(user=obj.user)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            services.token_revoke(user=token.user)
