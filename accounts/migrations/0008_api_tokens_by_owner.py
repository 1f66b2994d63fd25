"""API tokens in the admin by their owner (never their key), with when each was last used.

Coordinators keep seeing and withdrawing tokens, under the new model; they no longer get DRF's
token permissions (adding a token for anyone, handing one to another user). The admin's log
named each token it touched by its key: those names are replaced. (The roles' permissions are
set after migrate: accounts.roles.)"""

import django.db.models.deletion
from django.db import migrations, models


def forget_keys_in_the_admin_log(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    tokens = ContentType.objects.filter(app_label="authtoken")
    # DRF's TokenProxy is addressed by its user's id; an older Token admin by the key itself.
    LogEntry.objects.filter(content_type__in=tokens.filter(model="tokenproxy")).update(
        object_repr="API token"
    )
    LogEntry.objects.filter(content_type__in=tokens.exclude(model="tokenproxy")).update(
        object_repr="API token", object_id=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_roles_for_contact_access_records"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="TokenUse",
            fields=[
                (
                    "token",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="use",
                        serialize=False,
                        to="authtoken.token",
                        verbose_name="API token",
                    ),
                ),
                ("last_used_at", models.DateTimeField(verbose_name="last used")),
            ],
            options={
                "verbose_name": "API token use",
                "verbose_name_plural": "API token uses",
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="ApiToken",
            fields=[],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "proxy": True,
                "default_permissions": ("view", "delete"),
                "indexes": [],
                "constraints": [],
            },
            bases=("authtoken.tokenproxy",),
        ),
        migrations.RunPython(forget_keys_in_the_admin_log, migrations.RunPython.noop),
    ]
