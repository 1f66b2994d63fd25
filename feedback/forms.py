from django import forms
from django.utils.translation import gettext_lazy as _

from followups.models import StakeholderRequest
from stakeholders.models import Organization


class FeedbackForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    comments = forms.CharField(
        label=_("Other comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything else the ministry should know about this meeting."),
    )


class RequestForm(forms.Form):
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
    ministry = forms.ModelChoiceField(
        label=_("Ministry you would like to answer (optional)"),
        queryset=Organization.objects.filter(kind=Organization.Kind.MINISTRY).order_by("name"),
        required=False,
    )


class BaseRequestFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept and not self.data.get("comments", "").strip():
            raise forms.ValidationError(_("Add at least one request, or a comment."))


RequestFormSet = forms.formset_factory(
    RequestForm, formset=BaseRequestFormSet, extra=1, can_delete=True, max_num=30
)
