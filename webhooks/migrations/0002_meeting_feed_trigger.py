"""A trigger copies every row of the meeting change log (events 0004) into webhooks_meetingfeed,
with the meeting's version, while some subscription is active: meeting events then exist
exactly when their change commits, whatever wrote it (save(), a queryset update, raw SQL)."""

from django.db import migrations

_COPY = """
    INSERT INTO webhooks_meetingfeed
        (meeting_id, kind, visibility, previous_visibility, version, changed_at)
    SELECT NEW.meeting_id, NEW.kind, NEW.visibility, NEW.previous_visibility,
           (SELECT version FROM events_meeting WHERE id = NEW.meeting_id), NEW.changed_at
    WHERE EXISTS (SELECT 1 FROM webhooks_subscription WHERE active)
"""
FORWARD = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION webhooks_meeting_feed_copy() RETURNS trigger AS $$
        BEGIN
            {_COPY};
            RETURN NULL;
        END $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER webhooks_meeting_feed AFTER INSERT ON events_meetingchange
        FOR EACH ROW EXECUTE FUNCTION webhooks_meeting_feed_copy()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER webhooks_meeting_feed AFTER INSERT ON events_meetingchange
        FOR EACH ROW BEGIN {_COPY}; END
        """,
    ],
}
REVERSE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS webhooks_meeting_feed ON events_meetingchange",
        "DROP FUNCTION IF EXISTS webhooks_meeting_feed_copy()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS webhooks_meeting_feed"],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements[schema_editor.connection.vendor]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_change_log_triggers"),
        ("webhooks", "0001_initial"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(REVERSE))]
