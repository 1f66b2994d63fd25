"""Real CalDAV clients against a live server (RFC 4791): the `caldav` library (discovery, list,
multiget, time-range query, sync by token) and `vdirsyncer` (discovery from the site's address
through /.well-known/caldav, and sync into a folder, twice with changes between)."""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import caldav
import icalendar
import pytest

from events import services
from events.models import Meeting
from events.tests.factories import MeetingFactory

from .helpers import app_password

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("committed")]


def uid(meeting) -> str:
    return f"{meeting.pk}@127.0.0.1:8000"


def uids(objects) -> set[str]:
    return {str(icalendar.Calendar.from_ical(o.data).walk("VEVENT")[0]["UID"]) for o in objects}


@pytest.fixture
def calendar(live_server, coordinator):
    """The coordinator's calendar as the caldav library finds it from the context path."""
    client = caldav.DAVClient(
        url=f"{live_server.url}/dav/",
        username=coordinator.username,
        password=app_password(coordinator),
        enable_rfc6764=False,
    )
    with client:
        calendars = client.principal().calendars()
        assert len(calendars) == 1
        yield calendars[0]


def test_caldav_library_discovers_lists_and_reads(calendar):
    march = MeetingFactory(start_date=datetime.date(2026, 3, 3))
    may = MeetingFactory(start_date=datetime.date(2026, 5, 1))
    internal = MeetingFactory(
        start_date=datetime.date(2026, 5, 2), visibility=Meeting.Visibility.INTERNAL
    )
    assert calendar.get_display_name() == "릴레이 현장 간담회 (내부 간담회 포함)"
    assert calendar.get_supported_components() == ["VEVENT"]

    listed = calendar.events()
    assert uids(listed) == {uid(march), uid(may), uid(internal)}

    fetched = calendar.multiget([event.url for event in listed])
    assert uids(fetched) == uids(listed)
    event = next(e for e in fetched if uid(march) in e.data)
    assert f"SEQUENCE:{Meeting.objects.get(pk=march.pk).version}" in event.data

    found = calendar.search(
        start=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        event=True,
    )
    assert uids(found) == {uid(may), uid(internal)}
    assert uids([calendar.event_by_uid(uid(may))]) == {uid(may)}


def test_caldav_library_syncs_by_token(calendar):
    kept, changed, removed = MeetingFactory.create_batch(3)
    objects = calendar.get_objects_by_sync_token(load_objects=True, disable_fallback=True)
    assert not str(objects.sync_token).startswith("fake-")
    assert uids(objects) == {uid(kept), uid(changed), uid(removed)}
    first_token = objects.sync_token

    services.meeting_update(meeting=changed, venue="바뀐 장소")
    removed_uid = uid(removed)
    removed.delete()
    added = MeetingFactory()
    updated, deleted = objects.sync()
    assert uids(updated) == {uid(changed), uid(added)}
    assert [str(o.url).rsplit("/", 1)[1] for o in deleted] == [f"{removed_uid.split('@')[0]}.ics"]
    assert uids(objects) == {uid(kept), uid(changed), uid(added)}
    assert "바뀐 장소" in next(o for o in objects if uid(changed) in o.data).data
    assert objects.sync_token != first_token
    assert objects.sync() == ([], [])


CLOCK_VARIABLES = ("PYTHONPATH", "ROUNDTABLE_CLOCK_OFFSET")
IN_WINDOW = datetime.date(2026, 6, 1)
VDIRSYNCER_CONFIG = """
[general]
status_path = "{root}/status/"

[pair roundtable]
a = "roundtable_local"
b = "roundtable_remote"
collections = ["from b"]
conflict_resolution = "b wins"

[storage roundtable_local]
type = "filesystem"
path = "{root}/calendars/"
fileext = ".ics"

[storage roundtable_remote]
type = "caldav"
url = "{url}/"
username = "{username}"
password = "{password}"
read_only = true
item_types = ["VEVENT"]
start_date = "datetime(2025, 1, 1)"
end_date = "datetime(2028, 1, 1)"
"""


def vdirsyncer(config: Path, *arguments):
    program = shutil.which("vdirsyncer", path=str(Path(sys.executable).parent))
    assert program, "vdirsyncer is installed with the test tools (requirements-dev.txt)"
    done = subprocess.run(
        [program, "-c", str(config), *arguments],
        input="y\n" * 5,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(config.parent),
            "LANG": "C.UTF-8",
            # The suite's clock, when it is moved (make test-clock).
            **{k: v for k, v in os.environ.items() if k in CLOCK_VARIABLES},
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def folder_uids(folder: Path) -> dict[str, str]:
    """{UID: LOCATION} of the events vdirsyncer wrote."""
    found = {}
    for path in folder.glob("*.ics"):
        event = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
        found[str(event["UID"])] = str(event.get("LOCATION", ""))
    return found


def test_vdirsyncer_discovers_from_the_site_address_and_syncs_into_a_folder(
    live_server, partner, tmp_path
):
    # Inside the window the configuration syncs (the factory's dates run on with the suite).
    kept, changed, hidden = MeetingFactory.create_batch(3, start_date=IN_WINDOW)
    MeetingFactory(visibility=Meeting.Visibility.INTERNAL, start_date=IN_WINDOW)
    config = tmp_path / "config"
    config.write_text(
        VDIRSYNCER_CONFIG.format(
            root=tmp_path,
            url=live_server.url,  # the site's address: found through /.well-known/caldav
            username=partner.username,
            password=app_password(partner),
        )
    )
    vdirsyncer(config, "discover")
    vdirsyncer(config, "sync")
    folder = tmp_path / "calendars" / "meetings"
    assert folder_uids(folder) == {uid(m): "세종청사" for m in (kept, changed, hidden)}

    services.meeting_update(meeting=changed, venue="바뀐 장소")
    services.meeting_update(meeting=hidden, visibility=Meeting.Visibility.INTERNAL)
    added = MeetingFactory(start_date=IN_WINDOW)
    vdirsyncer(config, "sync")
    assert folder_uids(folder) == {
        uid(kept): "세종청사",
        uid(changed): "바뀐 장소",
        uid(added): "세종청사",
    }
