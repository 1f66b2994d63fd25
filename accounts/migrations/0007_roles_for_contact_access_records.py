"""Contact access records (who looked at whose details) are for coordinators only. Roles are set
after every migrate (accounts.roles, post_migrate)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_two_factor"),
        ("stakeholders", "0005_contact_provenance_and_access_records"),
    ]

    operations = []
