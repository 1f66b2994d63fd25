"""A backup of the seeded system restores to the same API answers and the same files."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from api.tests.clients import client_for
from events import services as events
from events.models import Meeting, MeetingDocument
from files.tests.samples import SAMPLES, upload
from stakeholders.models import Organization

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = [
    "meetings",
    "series",
    "organizations",
    "people",
    "attendances",
    "requests",
    "commitments",
]


def snapshot(api, document):
    answers = {name: api.get(f"/api/v1/{name}/", {"page_size": 1000}).json() for name in RESOURCES}
    download = api.get(f"/meetings/{document.meeting_id}/documents/{document.pk}/")
    return answers, b"".join(download.streaming_content)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backs up with pg_dump, on PostgreSQL"
)
def test_a_backup_restores_to_identical_api_output(committed, coordinator, tmp_path):
    call_command("seed_relay", stdout=io.StringIO())
    factory = Meeting.objects.get(relay_number=2)
    document = events.document_save(
        document=MeetingDocument(
            meeting=factory, kind="minutes", visibility="public", file=upload("건의서.pdf")
        )
    )
    api = client_for(coordinator)
    before = snapshot(api, document)
    assert before[1] == SAMPLES["건의서.pdf"]

    call_command("backup", tmp_path / "nightly", stdout=io.StringIO())
    # Then things go wrong: a meeting deleted, a name changed, a file lost.
    Meeting.objects.filter(relay_number=4).delete()
    Organization.objects.filter(name="포스코").update(name_en="renamed")
    document.file.storage.delete(document.file.name)
    assert api.get(f"/meetings/{factory.pk}/documents/{document.pk}/").status_code == 404

    call_command("restore", tmp_path / "nightly", "--noinput", stdout=io.StringIO())
    assert snapshot(client_for(coordinator), document) == before


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", tmp_path, "--noinput")


def test_the_embedded_database_backs_up_and_restores_too(tmp_path):
    """The set-up with nothing configured (SQLite under VAR_DIR), as `make run` starts it."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    environment.update(VAR_DIR=str(tmp_path / "var"), PRIVATE_MEDIA_ROOT=str(tmp_path / "files"))

    def manage(*arguments):
        run = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    manage("migrate", "--noinput")
    manage("seed_relay")
    seeded = manage("dumpdata", "events.meeting", "stakeholders.organization")
    manage("backup", str(tmp_path / "copy"))
    manage("shell", "-c", "from events.models import Meeting; Meeting.objects.update(venue='?')")
    assert manage("dumpdata", "events.meeting", "stakeholders.organization") != seeded
    manage("restore", str(tmp_path / "copy"), "--noinput")
    assert manage("dumpdata", "events.meeting", "stakeholders.organization") == seeded
