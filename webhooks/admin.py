"""Webhook subscriptions and their delivery log in the admin (coordinators).

The signing secret is shown once, in the message after the subscription is created or its
secret rotated, and on no page. A coordinator rotates only their own subscriptions' secrets:
nobody receives a secret for someone else's receiver."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Delivery, EventType, Subscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"style": "width: 40em; max-width: 100%"}),
    )
    events = forms.MultipleChoiceField(
        label=capfirst(_("events")), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ["url", "events", "description", "active"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = [
        "url",
        "owner",
        "event_list",
        "active",
        "last_success_at",
        "last_failure_at",
    ]
    list_filter = ["active", "disabled_reason"]
    list_select_related = ["owner"]
    search_fields = ["url", "description", "owner__username"]
    readonly_fields = [
        "owner",
        "disabled_reason",
        "created_at",
        "last_success_at",
        "last_failure_at",
        "failing_since",
    ]
    actions = ["enable", "rotate_secret"]

    def get_fields(self, request, obj=None):
        # A new one has no owner, times or state to show yet.
        return SubscriptionForm.Meta.fields if obj is None else super().get_fields(request, obj)

    @admin.display(description=_("events"))
    def event_list(self, subscription):
        # The names receivers see in `type`, one a line: short, and the same in every language.
        return format_html_join(
            mark_safe("<br>"), "<code>{}</code>", ((e,) for e in subscription.events)
        )

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in SubscriptionForm.Meta.fields}
        if change:
            services.subscription_update(subscription=obj, **fields)
            return
        created = services.subscription_create(owner=request.user, **fields)
        obj.__dict__.update(created.__dict__)  # the page goes on with the saved one
        self.message_user(request, self._secret_message(created.secret), messages.WARNING)

    def _secret_message(self, secret):
        return _(
            "The signing secret is %(secret)s. Copy it now: it is not shown again. "
            "Receivers verify each delivery's webhook-signature with it."
        ) % {"secret": secret}

    @admin.action(
        description=_("Switch the selected subscriptions on again"), permissions=["change"]
    )
    def enable(self, request, queryset):
        count = services.subscription_enable(subscriptions=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d subscription switched on again.",
                "%(count)d subscriptions switched on again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description=_("Rotate the signing secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        own = list(queryset.filter(owner=request.user)[:2])
        if len(own) != 1 or queryset.count() != 1:
            self.message_user(
                request,
                _("Choose one subscription of your own: its new secret is shown to you once."),
                messages.ERROR,
            )
            return
        secret = services.subscription_rotate_secret(subscription=own[0])
        self.message_user(
            request,
            _(
                "The new signing secret is %(secret)s. Copy it now: it is not shown again. For "
                "24 hours deliveries carry the old secret's signature too."
            )
            % {"secret": secret},
            messages.WARNING,
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event_type",
        "subscription",
        "state",
        "attempts",
        "last_status",
    ]
    list_filter = ["state", "event_type"]
    list_select_related = ["subscription"]
    search_fields = ["webhook_id", "subscription__url"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = [
        "subscription",
        "event_type",
        "webhook_id",
        "state",
        "attempts",
        "next_try_at",
        "last_attempt_at",
        "last_status",
        "last_response",
        "last_error",
        "delivered_at",
        "created_at",
        "body",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Readable, not editable: the log shows what was sent. Sending again is an action.
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("webhooks.change_delivery")

    @admin.action(description=_("Send the selected deliveries again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = services.delivery_retry(deliveries=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
