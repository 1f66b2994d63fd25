from django import forms
from django.utils.translation import gettext_lazy as _

from .services import NAME_MAX_LENGTH


class AppPasswordForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the app or device"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("For you to tell your app passwords apart, e.g. “iPhone” or “Thunderbird”."),
    )
