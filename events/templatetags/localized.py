from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj, field):
    """`obj.<field>_en` in English when it is filled in, else the Korean `obj.<field>`."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)
