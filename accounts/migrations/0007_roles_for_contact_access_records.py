"""Contact access records (who looked at whose details) are for coordinators only."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_two_factor"),
        ("stakeholders", "0005_contact_provenance_and_access_records"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
