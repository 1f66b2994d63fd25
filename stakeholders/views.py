from django.conf import settings
from django.template.response import TemplateResponse

from .models import Person


def privacy_notice(request):
    """The privacy notice (PIPA Art. 30), linked from every email and public page."""
    return TemplateResponse(
        request,
        "stakeholders/privacy.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
            "bases": Person.LegalBasis.choices,
        },
    )
