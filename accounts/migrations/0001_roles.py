"""Created the three roles. Roles are set after every migrate (accounts.roles, post_migrate), with
their permissions on every model, so this step does nothing now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("stakeholders", "0001_initial"),
        ("events", "0002_version_triggers"),
        ("pledges", "0001_initial"),
        ("followups", "0001_initial"),
    ]

    operations = []
