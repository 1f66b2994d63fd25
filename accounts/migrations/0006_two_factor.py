"""Authenticator apps (django-otp) in the admin; coordinators may see and reset them (their
permissions reach the roles after migrate: accounts.roles)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_roles_for_sign_in_lockouts"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="Authenticator",
            fields=[],
            options={
                "verbose_name": "authenticator app",
                "verbose_name_plural": "authenticator apps",
                "proxy": True,
                "default_permissions": ("view", "delete"),
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_totp.totpdevice",),
        ),
    ]
