"""A meeting's `updated_at`, when a write does not set it, moves forward from the database's
clock and never behind the value before: a queryset update after a save stamped by an
application server whose clock runs ahead still moves it on (PostgreSQL)."""

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

_before = importlib.import_module("events.migrations.0002_version_triggers").POSTGRESQL
POSTGRESQL_REVERSE = [_before[0], _before[2]]


class Migration(migrations.Migration):
    dependencies = [("events", "0013_reply_records_its_substitute")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRESQL, "sqlite": []},
            {"postgresql": POSTGRESQL_REVERSE, "sqlite": []},
        ),
    ]
