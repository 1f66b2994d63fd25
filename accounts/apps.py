from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from . import roles

        # The groups get exactly their declared permissions after every migrate (and flush).
        post_migrate.connect(roles.after_migrate, sender=self, dispatch_uid="accounts.roles")
