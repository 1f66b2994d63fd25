from django import template

from ..pages import section_context

register = template.Library()


@register.inclusion_tag("dav/app_passwords.html", takes_context=True)
def app_passwords(context):
    """The app passwords section of My calendar, for the signed-in user."""
    return {**section_context(context["request"].user), "csrf_token": context.get("csrf_token")}
