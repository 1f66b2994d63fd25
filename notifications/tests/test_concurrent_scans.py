"""Two beats firing at once, or a retried scan, queue nothing twice (committed transactions)."""

import datetime
import threading

import pytest
from django.db import connection

from events.tests.factories import AttendanceFactory, MeetingFactory
from notifications import services
from notifications.models import OutboundEmail
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("committed")


def test_simultaneous_scans_queue_each_reminder_once():
    now = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC)
    for _ in range(30):
        meeting = MeetingFactory(
            all_day=False,
            start_date=None,
            end_date=None,
            starts_at=now + datetime.timedelta(hours=20),
            ends_at=now + datetime.timedelta(hours=22),
        )
        person = PersonFactory()
        AttendanceFactory(meeting=meeting, organization=person.organization, person=person)
    start, counts, errors = threading.Barrier(4), [], []

    def scan():
        try:
            start.wait()
            counts.append(services.reminder_scan(now=now))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert OutboundEmail.objects.count() == 30
    assert sum(counts) == 30  # each call reports only what it stored itself
