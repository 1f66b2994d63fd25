"""Triggers that write events_meetingchange for every change of a meeting or its attendance.

Attendance triggers (0002) already update the meeting row, so a meeting trigger sees them too.
On PostgreSQL each row records its transaction id (xid8): calendar sync issues tokens up to the
oldest transaction still in flight, so a transaction that commits late is never skipped.
SQLite serialises writers, so there the order of `seq` is the order of commits.
"""

from django.db import migrations

from ._vendor_sql import vendor_sql

POSTGRESQL = [
    """
    ALTER TABLE events_meetingchange
        ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()
    """,
    "CREATE INDEX events_meetingchange_txid_seq ON events_meetingchange (txid, seq)",
    """
    CREATE OR REPLACE FUNCTION events_meeting_log_change() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO events_meetingchange
                (meeting_id, kind, visibility, previous_visibility, changed_at)
            VALUES (OLD.id, 'deleted', OLD.visibility, OLD.visibility, clock_timestamp());
        ELSE
            INSERT INTO events_meetingchange
                (meeting_id, kind, visibility, previous_visibility, changed_at)
            VALUES (NEW.id, 'saved', NEW.visibility,
                    CASE WHEN TG_OP = 'UPDATE' THEN OLD.visibility ELSE '' END,
                    clock_timestamp());
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER events_meeting_log AFTER INSERT OR UPDATE OR DELETE ON events_meeting
    FOR EACH ROW EXECUTE FUNCTION events_meeting_log_change()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS events_meeting_log ON events_meeting",
    "DROP FUNCTION IF EXISTS events_meeting_log_change()",
    "DROP INDEX IF EXISTS events_meetingchange_txid_seq",
    "ALTER TABLE events_meetingchange DROP COLUMN IF EXISTS txid",
]

# The update trigger from 0002 is replaced by one that also logs: a second AFTER UPDATE
# trigger would fire again for that trigger's own inner UPDATE and log every change twice.
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
_LOG = (
    """
    INSERT INTO events_meetingchange
        (meeting_id, kind, visibility, previous_visibility, changed_at)
    VALUES ({id}, '{kind}', {visibility}, {previous}, %s);
"""
    % _NOW
)
_VERSION_TRIGGER = f"""
    CREATE TRIGGER events_meeting_version AFTER UPDATE ON events_meeting FOR EACH ROW
    BEGIN
        UPDATE events_meeting SET
            version = OLD.version + 1,
            updated_at = CASE WHEN NEW.updated_at IS OLD.updated_at THEN {_NOW}
                              ELSE NEW.updated_at END
        WHERE id = NEW.id;
        {{log}}
    END
"""
SQLITE = [
    "DROP TRIGGER IF EXISTS events_meeting_version",
    _VERSION_TRIGGER.format(
        log=_LOG.format(
            id="NEW.id", kind="saved", visibility="NEW.visibility", previous="OLD.visibility"
        )
    ),
    f"""
    CREATE TRIGGER events_meeting_log_insert AFTER INSERT ON events_meeting FOR EACH ROW
    BEGIN
        {_LOG.format(id="NEW.id", kind="saved", visibility="NEW.visibility", previous="''")}
    END
    """,
    f"""
    CREATE TRIGGER events_meeting_log_delete AFTER DELETE ON events_meeting FOR EACH ROW
    BEGIN
        {_LOG.format(id="OLD.id", kind="deleted", visibility="OLD.visibility",
                     previous="OLD.visibility")}
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS events_meeting_log_delete",
    "DROP TRIGGER IF EXISTS events_meeting_log_insert",
    "DROP TRIGGER IF EXISTS events_meeting_version",
    _VERSION_TRIGGER.format(log=""),
]


class Migration(migrations.Migration):
    dependencies = [("events", "0003_meeting_change_log")]

    operations = [
        vendor_sql(
            {"postgresql": POSTGRESQL, "sqlite": SQLITE},
            {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE},
        )
    ]
