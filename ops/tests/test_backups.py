"""A backup of the seeded system restores to the same API answers and the same files."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from api.tests.clients import client_for
from events import services as events
from events.models import Meeting, MeetingDocument
from files.tests.samples import SAMPLES, upload
from followups import services as followups
from followups.tests.factories import StakeholderRequestFactory
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


def snapshot(api, document, staff, attachment):
    """Every API answer, the meeting document from its public page and the company's
    attachment from the request's admin page."""
    answers = {name: api.get(f"/api/v1/{name}/", {"page_size": 1000}).json() for name in RESOURCES}
    download = api.get(f"/meetings/{document.meeting_id}/documents/{document.pk}/")
    attached = staff.get(attachment_url(attachment))
    return answers, b"".join(download.streaming_content), b"".join(attached.streaming_content)


def attachment_url(attachment):
    return reverse(
        "admin:followups_stakeholderrequest_attachment",
        args=[attachment.request_id, attachment.pk],
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backs up with pg_dump, on PostgreSQL"
)
def test_a_backup_restores_to_identical_api_output(committed, coordinator, tmp_path, private_files):
    call_command("seed_relay", stdout=io.StringIO())
    factory = Meeting.objects.get(relay_number=2)
    document = events.document_save(
        document=MeetingDocument(
            meeting=factory, kind="minutes", visibility="public", file=upload("건의서.pdf")
        )
    )
    attachment = followups.attachment_add(
        request=StakeholderRequestFactory(meeting=factory),
        upload=SimpleUploadedFile("현황.xlsx", SAMPLES["현황.xlsx"]),
    )
    api, staff = client_for(coordinator), Client()
    staff.force_login(coordinator)
    before = snapshot(api, document, staff, attachment)
    assert before[1:] == (SAMPLES["건의서.pdf"], SAMPLES["현황.xlsx"])

    call_command("backup", tmp_path / "nightly", stdout=io.StringIO())
    # Then things go wrong: a meeting deleted, a name changed, every private file lost (the
    # container recreated without its volume).
    Meeting.objects.filter(relay_number=4).delete()
    Organization.objects.filter(name="포스코").update(name_en="renamed")
    shutil.rmtree(private_files)
    assert api.get(f"/meetings/{factory.pk}/documents/{document.pk}/").status_code == 404
    assert staff.get(attachment_url(attachment)).status_code == 404

    call_command("restore", tmp_path / "nightly", "--noinput", stdout=io.StringIO())
    assert snapshot(client_for(coordinator), document, staff, attachment) == before


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
    # Minutes attached to a meeting: a private file beside the database.
    stored = manage("shell", "-c", ATTACH_MINUTES).splitlines()[-1]
    seeded = manage("dumpdata", "events", "stakeholders.organization")
    manage("backup", str(tmp_path / "copy"))
    manage("shell", "-c", "from events.models import Meeting; Meeting.objects.update(venue='?')")
    shutil.rmtree(tmp_path / "files")
    assert manage("dumpdata", "events", "stakeholders.organization") != seeded
    manage("restore", str(tmp_path / "copy"), "--noinput")
    assert manage("dumpdata", "events", "stakeholders.organization") == seeded
    assert (tmp_path / "files" / stored).read_bytes() == SAMPLES["건의서.pdf"]


ATTACH_MINUTES = """
from events import services
from events.models import Meeting, MeetingDocument
from files.tests.samples import upload
meeting = Meeting.objects.order_by("starts_at").first()
document = services.document_save(
    document=MeetingDocument(meeting=meeting, kind="minutes", file=upload("건의서.pdf"))
)
print(document.file.name)
"""
