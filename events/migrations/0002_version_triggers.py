"""Database triggers that raise Meeting.version on every change of a meeting or its attendance.

Triggers rather than save() hooks: a queryset update, a bulk write or raw SQL counts too.
"""

from django.db import migrations

from ._vendor_sql import vendor_sql

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION events_meeting_bump_version() RETURNS trigger AS $$
    BEGIN
        NEW.version := OLD.version + 1;
        IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
            NEW.updated_at := clock_timestamp();
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER events_meeting_version BEFORE UPDATE ON events_meeting
    FOR EACH ROW EXECUTE FUNCTION events_meeting_bump_version()
    """,
    """
    CREATE OR REPLACE FUNCTION events_attendance_touch_meeting() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE events_meeting SET updated_at = clock_timestamp() WHERE id = OLD.meeting_id;
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.meeting_id <> OLD.meeting_id) THEN
            UPDATE events_meeting SET updated_at = clock_timestamp() WHERE id = NEW.meeting_id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER events_attendance_touch AFTER INSERT OR UPDATE OR DELETE ON events_attendance
    FOR EACH ROW EXECUTE FUNCTION events_attendance_touch_meeting()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS events_attendance_touch ON events_attendance",
    "DROP FUNCTION IF EXISTS events_attendance_touch_meeting()",
    "DROP TRIGGER IF EXISTS events_meeting_version ON events_meeting",
    "DROP FUNCTION IF EXISTS events_meeting_bump_version()",
]

# SQLite cannot assign NEW in a trigger: an AFTER trigger updates the row again. That inner
# update does not fire the same trigger (recursive_triggers is off by default).
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
SQLITE = [
    f"""
    CREATE TRIGGER events_meeting_version AFTER UPDATE ON events_meeting FOR EACH ROW
    BEGIN
        UPDATE events_meeting SET
            version = OLD.version + 1,
            updated_at = CASE WHEN NEW.updated_at IS OLD.updated_at THEN {_NOW}
                              ELSE NEW.updated_at END
        WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER events_attendance_insert AFTER INSERT ON events_attendance FOR EACH ROW
    BEGIN
        UPDATE events_meeting SET updated_at = {_NOW} WHERE id = NEW.meeting_id;
    END
    """,
    f"""
    CREATE TRIGGER events_attendance_update AFTER UPDATE ON events_attendance FOR EACH ROW
    BEGIN
        UPDATE events_meeting SET updated_at = {_NOW}
        WHERE id = OLD.meeting_id OR id = NEW.meeting_id;
    END
    """,
    f"""
    CREATE TRIGGER events_attendance_delete AFTER DELETE ON events_attendance FOR EACH ROW
    BEGIN
        UPDATE events_meeting SET updated_at = {_NOW} WHERE id = OLD.meeting_id;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS events_attendance_delete",
    "DROP TRIGGER IF EXISTS events_attendance_update",
    "DROP TRIGGER IF EXISTS events_attendance_insert",
    "DROP TRIGGER IF EXISTS events_meeting_version",
]


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRESQL, "sqlite": SQLITE},
            {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE},
        )
    ]
