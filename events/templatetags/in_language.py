"""Text of a public page in the reader's language, falling back visibly to Korean."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def in_language(obj, field) -> str:
    """`obj.<field>_en` in English when there is one; else the Korean `obj.<field>`, marked
    as Korean (`lang="ko"`, for screen readers and fonts) with a note on an English page."""
    korean = getattr(obj, field) or ""
    if get_language() != "en":
        return korean
    english = getattr(obj, f"{field}_en", "")
    if english:
        return english
    if not korean:
        return ""
    return format_html(
        '<span lang="ko">{}</span> <span class="note fallback">({})</span>', korean, _("in Korean")
    )
