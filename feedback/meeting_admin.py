"""Company feedback on a meeting's admin page and list (see events/admin_parts.py)."""

from django.contrib import admin, messages
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import admin_parts

from . import selectors, services


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


def ask_feedback(modeladmin, request, queryset):
    invited = sum(services.feedback_request(meeting=meeting) for meeting in queryset)
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


admin_parts.register(admin_parts.Panel(_("Company feedback"), feedback_responses))
admin_parts.register(
    admin_parts.Action(
        name="ask_feedback",
        description=_("Ask the attending companies for feedback"),
        run=ask_feedback,
        allowed=lambda request: request.user.has_perm("feedback.add_feedbackinvitation"),
    )
)
