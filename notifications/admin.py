from django import forms
from django.contrib import admin, messages
from django.db import models
from django.forms import Textarea
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import registry, services, templating
from .models import OutboundEmail, ReminderRule, Unsubscription

TEMPLATES = ["subject_ko", "body_ko", "subject_en", "body_en"]


class ReminderRuleForm(forms.ModelForm):
    """Refuses templates that do not compile or use what the rule's kind does not offer."""

    class Meta:
        model = ReminderRule
        fields = ["name", "kind", "enabled", "offset", "repeat_every", "grace", *TEMPLATES]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or getattr(self.instance, "kind", "")
        if kind:
            found = services.rule_problems(
                kind=kind, templates={field: cleaned.get(field) for field in TEMPLATES}
            )
            for field, problems in found.items():
                self.add_error(field, problems)
        return cleaned


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    form = ReminderRuleForm
    list_display = ["name", "kind", "enabled", "offset", "repeat_every", "grace", "sent_count"]
    list_editable = ["enabled"]
    list_filter = ["enabled", "kind"]
    search_fields = ["name", "subject_ko", "subject_en"]
    readonly_fields = ["kind_description", "variables", "preview"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "kind_description", "enabled"]}),
        (_("When"), {"fields": ["offset", "repeat_every", "grace"]}),
        (_("Variables"), {"fields": ["variables"], "classes": ["collapse"]}),
        (_("Korean"), {"fields": ["subject_ko", "body_ko"]}),
        (_("English"), {"fields": ["subject_en", "body_en"]}),
        (_("Preview"), {"fields": ["preview"]}),
    ]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 10, "cols": 90})}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sent=models.Count("emails"))

    @admin.display(description=_("emails"), ordering="sent")
    def sent_count(self, rule):
        return rule.sent

    @admin.display(description=_("what it does"))
    def kind_description(self, rule):
        spec = registry.get(rule.kind)
        return spec.description if spec else "—"

    @admin.display(description=_("what the templates may use"))
    def variables(self, rule):
        if not rule.kind:
            return "—"
        rows = templating.described(registry.variables_of(rule.kind))
        return format_html(
            "<p>{}</p><table><tbody>{}</tbody></table>",
            _(
                "Write {{ name }} for a value, {% if name %}…{% endif %} to test one and "
                "{% for item in list %}…{% endfor %} to go through a list. Filters such as "
                '|default:"…", |date:"Y-m-d" and |truncatechars:40 work, and |josa:"이/가" '
                "writes the Korean particle a name takes (포스코가, LG전자가; also "
                '"은/는", "을/를", "과/와", "으로/로"); nothing else can be reached, and a rule '
                "that uses an unknown name is not saved."
            ),
            format_html_join("", "<tr><th><code>{}</code></th><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("preview with sample data"))
    def preview(self, rule):
        spec = registry.get(rule.kind)
        if spec is None or not rule.pk:
            return _("Save the rule to see a preview.")
        # The preview greets a sample recipient, as the email greets the real one.
        sample = {"recipient": registry.Recipient(email="", name="김철강"), **spec.sample_context()}
        try:
            rendered = [
                (label, *services.rule_texts(rule=rule, language=language, context=sample))
                for language, label in (("ko", _("Korean")), ("en", _("English")))
            ]
        except Exception as error:  # a template a coordinator is still writing
            return format_html('<span class="errornote">{}</span>', error)
        return format_html_join(
            "",
            '<h4>{}</h4><p><strong>{}</strong></p><pre style="white-space: pre-wrap">{}</pre>',
            rendered,
        )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "rule", "state", "attempts", "sent_at"]
    list_filter = ["state", "rule", "language", ("sent_at", admin.DateFieldListFilter)]
    list_select_related = ["rule"]
    search_fields = ["recipient", "subject", "message_id", "person__name", "person__name_en"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fieldsets = [
        (None, {"fields": ["recipient", "person", "user", "subject", "rule", "kind"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "state",
                    "attempts",
                    "next_try_at",
                    "claimed_at",
                    "sent_at",
                    "last_error",
                    "message_id",
                ]
            },
        ),
        (_("Content"), {"fields": ["language", "from_email", "body_text", "headers"]}),
        (_("About"), {"fields": ["subject_type", "subject_id", "occurrence", "created_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Readable, not editable: the log shows what was sent. Retrying is an action.
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("notifications.change_outboundemail")

    @admin.action(description=_("Send the selected failed emails again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = services.email_retry(emails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(Unsubscription)
class UnsubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["email"]
