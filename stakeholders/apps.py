from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Organizations and people")

    def ready(self):
        from . import holders, privacy  # noqa: F401

        checks.register(legal_basis_setting)
        checks.register(holders.contact_holders_covered)


def legal_basis_setting(app_configs, **kwargs):
    from django.conf import settings

    from .models import Person

    if settings.CONTACT_LEGAL_BASIS in Person.LegalBasis.values:
        return []
    return [
        checks.Error(
            f"CONTACT_LEGAL_BASIS={settings.CONTACT_LEGAL_BASIS!r} is not one of "
            f"{', '.join(Person.LegalBasis.values)}.",
            id="stakeholders.E001",
        )
    ]
