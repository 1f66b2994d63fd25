"""Let coordinators see sign-in lock-outs and unlock them (django-axes). Roles are set after every
migrate (accounts.roles, post_migrate)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_roles_for_meeting_documents"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = []
