"""Company feedback on a meeting's admin page and list (see events/admin_parts.py)."""

import dataclasses
import itertools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import admin_parts
from notifications import registry
from notifications import services as mail

from . import selectors, services
from .forms import AskFeedbackForm
from .models import feedback_deadline


@admin.display(description=_("responses"))
def feedback_responses(meeting):
    if meeting.pk is None:
        return "—"
    rows, rate = selectors.responses(meeting)
    if not rows:
        return _(
            "No one has been asked yet: use the action “Ask the attending companies for feedback”."
        )

    def when(moment):
        return (
            formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
            if moment
            else "—"
        )

    return format_html(
        "<p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        _("Response rate: %(rate)s%% of invited organizations") % {"rate": rate},
        _("organization"),
        _("invited"),
        _("opened"),
        _("answered"),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r.organization,
                    when(r.invited_at),
                    r.invited,
                    when(r.opened_at),
                    when(r.answered_at),
                )
                for r in rows
            ),
        ),
    )


@dataclasses.dataclass(frozen=True)
class _Ask:
    """What asking for feedback on one meeting would do, for the confirmation page."""

    meeting: object
    deadline: object
    closed: bool
    # [(organization, [Invitee, ...]), ...]
    organizations: list
    # [(language label, subject, text), ...]: the email as it is sent, in each language used.
    emails: list

    @property
    def to_email(self) -> int:
        """How many it emails: those not asked yet; with a closed window reopened, everyone
        asked before too (the new deadline is news). Never a revoked link."""
        return sum(
            not row.revoked and (self.closed or not row.asked_at)
            for _name, rows in self.organizations
            for row in rows
        )


def _ask(meeting, now) -> _Ask:
    invitees = selectors.invitees(meeting)
    deadline = feedback_deadline(meeting)
    organizations = [
        (name, list(rows)) for name, rows in itertools.groupby(invitees, lambda i: i.organization)
    ]
    # Korean first, then English when anyone reads it.
    languages = sorted({row.language for row in invitees if row.language in ("ko", "en")})[::-1]
    return _Ask(
        meeting=meeting,
        deadline=deadline,
        closed=deadline <= now,
        organizations=organizations,
        emails=[_email(meeting, invitees, language) for language in languages or ["ko"]],
    )


def _email(meeting, invitees, language):
    """The ask's subject and text in `language`, written to its first recipient there."""
    first = next((row for row in invitees if row.language == language), None)
    with translation.override(language):
        name = first.name if first else str(_("(the recipient's name)"))
        recipient = registry.Recipient(email="", name=name, language=language)
        context = {
            **services.email_context(meeting),
            "recipient": recipient,
            "link": str(_("(the recipient's personal link)")),
        }
        subject, body = mail.rule_texts(
            rule=services.request_rule(), language=language, context=context
        )
    label = _("Korean") if language == "ko" else _("English")
    return label, subject, body


def ask_feedback(modeladmin, request, queryset):
    """First a page with whom the ask emails (by organization and person), the email as it is
    sent and the deadline; "send" there sends. A meeting whose feedback window has closed is
    asked only with a new deadline, which reopens its links; sending the page twice emails
    nobody twice (the outbox's keys)."""
    now = timezone.now()
    asks = [_ask(meeting, now) for meeting in queryset.order_by("period_start")]
    closed = [ask.meeting for ask in asks if ask.closed]
    may_reopen = request.user.has_perm("events.change_meeting")
    form = AskFeedbackForm(request.POST if "confirm" in request.POST else None, closed=bool(closed))
    if form.is_bound and form.is_valid() and (may_reopen or not closed):
        deadline = form.cleaned_data["deadline"]
        try:
            invited = sum(
                services.feedback_request(
                    meeting=ask.meeting, reopen_until=deadline if ask.closed else None
                )
                for ask in asks
            )
        except ValidationError as error:  # a meeting that cannot be saved as it is
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d invitation sent; contacts already invited were not emailed again.",
                "%(count)d invitations sent; contacts already invited were not emailed again.",
                invited,
            )
            % {"count": invited},
            messages.SUCCESS,
        )
        return None
    return TemplateResponse(
        request,
        "admin/feedback/ask_feedback.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Ask the attending companies for feedback"),
            "opts": modeladmin.model._meta,
            "asks": asks,
            "closed": closed,
            "may_reopen": may_reopen,
            "form": form,
            "to_email": sum(ask.to_email for ask in asks),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


admin_parts.register(admin_parts.Panel(_("Company feedback"), feedback_responses))
admin_parts.register(
    admin_parts.Action(
        name="ask_feedback",
        description=_("Ask the attending companies for feedback"),
        run=ask_feedback,
        allowed=lambda request: request.user.has_perm("feedback.add_feedbackinvitation"),
    )
)
