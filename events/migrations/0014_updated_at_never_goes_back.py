"""A meeting's `updated_at`, when a write does not set it, moves forward from the database's
clock and never behind the value before: a queryset update after a save stamped by an
application server whose clock runs ahead still moves it on."""

import importlib

from django.db import migrations

from ._vendor_sql import vendor_sql

NEXT = "GREATEST(clock_timestamp(), {row}.updated_at + interval '1 microsecond')"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION events_meeting_bump_version() RETURNS trigger AS $$
    BEGIN
        NEW.version := OLD.version + 1;
        IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
            NEW.updated_at := {NEXT.format(row="OLD")};
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE OR REPLACE FUNCTION events_attendance_touch_meeting() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE events_meeting SET updated_at = {NEXT.format(row="events_meeting")}
            WHERE id = OLD.meeting_id;
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.meeting_id <> OLD.meeting_id) THEN
            UPDATE events_meeting SET updated_at = {NEXT.format(row="events_meeting")}
            WHERE id = NEW.meeting_id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
]

_before = importlib.import_module("events.migrations.0002_version_triggers")
_logging = importlib.import_module("events.migrations.0004_change_log_triggers")
POSTGRESQL_REVERSE = [_before.POSTGRESQL[0], _before.POSTGRESQL[2]]

# SQLite keeps the text Django writes; one millisecond on, written to the millisecond, is later
# than any value within the millisecond before.
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
_NEXT = f"max({_NOW}, strftime('%Y-%m-%d %H:%M:%f', julianday({{row}}updated_at) + 1.0 / 86400000))"
_SAVED = _logging._LOG.format(
    id="NEW.id", kind="saved", visibility="NEW.visibility", previous="OLD.visibility"
)


def _sqlite(next_moment):
    meeting = _logging._VERSION_TRIGGER.replace(
        f"THEN {_NOW}", f"THEN {next_moment.format(row='OLD.')}"
    )
    touch = f"UPDATE events_meeting SET updated_at = {next_moment.format(row='')}"
    return [
        "DROP TRIGGER IF EXISTS events_meeting_version",
        meeting.format(log=_SAVED),
        "DROP TRIGGER IF EXISTS events_attendance_insert",
        f"""
        CREATE TRIGGER events_attendance_insert AFTER INSERT ON events_attendance FOR EACH ROW
        BEGIN {touch} WHERE id = NEW.meeting_id; END
        """,
        "DROP TRIGGER IF EXISTS events_attendance_update",
        f"""
        CREATE TRIGGER events_attendance_update AFTER UPDATE ON events_attendance FOR EACH ROW
        BEGIN {touch} WHERE id = OLD.meeting_id OR id = NEW.meeting_id; END
        """,
        "DROP TRIGGER IF EXISTS events_attendance_delete",
        f"""
        CREATE TRIGGER events_attendance_delete AFTER DELETE ON events_attendance FOR EACH ROW
        BEGIN {touch} WHERE id = OLD.meeting_id; END
        """,
    ]


SQLITE = _sqlite(_NEXT)
SQLITE_REVERSE = _sqlite(_NOW.replace("{", "{{").replace("}", "}}"))


class Migration(migrations.Migration):
    dependencies = [("events", "0013_reply_records_its_substitute")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRESQL, "sqlite": SQLITE},
            {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE},
        ),
    ]
