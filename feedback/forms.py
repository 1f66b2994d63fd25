import datetime
import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import in_calendar_range
from files import checks
from followups.models import RequestAttachment, StakeholderRequest

FORM_KEY_SALT = "feedback.form-key"


def new_form_key(invitation) -> str:
    """A one-time key for one rendering of the form, signed for its link's invitation."""
    return signing.Signer(salt=FORM_KEY_SALT).sign(f"{invitation.pk}:{secrets.token_urlsafe(16)}")


def form_key_nonce(invitation, value) -> str | None:
    """The random part of a key this invitation's form was rendered with, else None."""
    try:
        invitation_id, _, nonce = signing.Signer(salt=FORM_KEY_SALT).unsign(value).partition(":")
    except (signing.BadSignature, TypeError):
        return None
    return nonce if invitation_id == str(invitation.pk) and nonce else None


class AskFeedbackForm(forms.Form):
    """The confirmation of asking for feedback. When a selected meeting's window has closed,
    it needs a new last day, to which that window is extended (to 23:59 that day in Seoul,
    the day the email names)."""

    deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Companies can send and change their requests until 23:59 on this day."),
        error_messages={
            "required": _(
                "The feedback window has closed: its links answer that it is over. "
                "Choose a new deadline to send."
            )
        },
    )

    def __init__(self, *args, closed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].required = closed

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day is None:
            return None
        in_calendar_range(day)
        if day < timezone.localdate():
            raise ValidationError(_("Choose today or a later day."), code="past")
        return datetime.datetime.combine(
            day, datetime.time(23, 59), tzinfo=timezone.get_default_timezone()
        )


class FeedbackForm(forms.Form):
    """The organization's comments and who sends them, with what the page was rendered with:
    its one-time `key` (a second send of the same page stores nothing more) and the
    feedback's `version` it showed (0: none yet), checked when it is saved."""

    name = forms.CharField(label=_("Your name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    comments = forms.CharField(
        label=_("Other comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything else the ministry should know about this meeting."),
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        cleaned["key"] = form_key_nonce(self.invitation, cleaned.get("key"))
        if cleaned["key"] is None or cleaned.get("version") is None:
            raise forms.ValidationError(
                _(
                    "This page was not sent in full, so nothing was saved. Check what it "
                    "shows and send it again."
                ),
                code="incomplete",
            )
        return cleaned


# The largest id a row can have (64 bits, SQLite and PostgreSQL alike).
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """Whether a posted value is a plain decimal id (not "²" or "٣", which isdigit accepts)
    that a row could have: beyond 64 bits it is no one's."""
    text = str(value) if isinstance(value, str | int) else ""
    return text.isascii() and text.isdigit() and len(text) <= 19 and int(text) <= MAX_ID


def too_many_files() -> forms.ValidationError:
    return forms.ValidationError(
        _("A request can have at most %(count)d files."),
        params={"count": RequestAttachment.MAX_PER_REQUEST},
        code="too_many_files",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": checks.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = []
        for upload in files:
            if upload is None:
                continue
            # A file whose name is empty or unreadable is refused, never skipped.
            checks.check_name(upload)
            cleaned.append(super().clean(upload, initial))
        return cleaned

    def has_changed(self, initial, data):
        # No file chosen leaves an added request row untouched.
        return bool(data)


class IdListField(forms.Field):
    """Ids ticked in a list of checkboxes with the same name; anything else is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [int(v) for v in value or () if is_id(v)]

    def has_changed(self, initial, data):
        return bool(self.to_python(data))


class RequestForm(forms.Form):
    """One request as the company writes it: its category, text and files. Which ministry
    answers it, its status and its officer are the ministry's to set, never the form's."""

    request_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A blank first choice, so that an untouched extra form counts as unchanged, not as a
    # half-filled request.
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "---------"), *StakeholderRequest.Category.choices]
    )
    text = forms.CharField(
        label=_("What do you ask the government for?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(label=_("Attach files (optional)"), required=False)
    remove_files = IdListField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "Allowed: %(types)s; up to %(size)s each and %(count)d files per request. Files "
            "are kept once the form is sent without errors; after an error, choose them again."
        ) % {
            "types": ", ".join(extension.upper() for extension in checks.MIME_TYPES),
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            "count": RequestAttachment.MAX_PER_REQUEST,
        }

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > RequestAttachment.MAX_PER_REQUEST:
            raise too_many_files()
        errors = []
        for upload in files:
            try:
                checks.checked_type(upload)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return files


class BaseRequestFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept and not self.data.get("comments", "").strip():
            raise forms.ValidationError(_("Add at least one request, or a comment."))


RequestFormSet = forms.formset_factory(
    RequestForm,
    formset=BaseRequestFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
    absolute_max=30,
)
