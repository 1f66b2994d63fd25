"""The minute scan asks every rule at once whether anything may be due, then reads only for the
rules that have: a rule with something due is still found among rules with nothing, and a
minute with nothing due costs the same few queries however many rules and meetings there are.
The question is compiled once and kept in the process; the rules read with every answer tell
when it no longer fits them."""

import datetime

import pytest

from events.reminders import PRE_MEETING
from events.tests.factories import AttendanceFactory, timed_meeting
from feedback.services import REQUEST_KIND
from followups.models import StakeholderRequest
from followups.reminders import DIGEST, DUE_SOON
from followups.tests.factories import StakeholderRequestFactory
from notifications import services as mail
from notifications.models import OutboundEmail, ReminderRule
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))
# A Wednesday morning in Seoul: past the weekly digest's grace window (Monday 09:00 + 2 days).
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=KST)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def attended_meeting(starts_at):
    meeting = timed_meeting(starts_at)
    person = PersonFactory(organization=OrganizationFactory())
    AttendanceFactory(meeting=meeting, organization=person.organization, person=person)
    return meeting


def meeting_tomorrow(request):
    attended_meeting(NOW + 20 * HOUR)
    return PRE_MEETING


def meeting_ended_two_hours_ago(request):
    attended_meeting(NOW - 5 * HOUR)  # two hours long: ended three hours ago
    return REQUEST_KIND


def request_due_in_three_days(request):
    officer = request.getfixturevalue("officer")
    officer.email = "officer@msit.go.kr"
    officer.save()
    StakeholderRequestFactory(
        assignee=officer,
        status=StakeholderRequest.Status.ASSIGNED,
        due_date=NOW.date() + datetime.timedelta(days=3),
    )
    return DUE_SOON


@pytest.mark.parametrize(
    "arrange", [meeting_tomorrow, meeting_ended_two_hours_ago, request_due_in_three_days]
)
def test_the_one_rule_with_something_due_sends_while_the_others_have_nothing(request, arrange):
    kind = arrange(request)
    assert mail.reminder_scan(now=NOW) > 0
    assert set(OutboundEmail.objects.values_list("rule__kind", flat=True)) == {kind}
    assert mail.reminder_scan(now=NOW) == 0


def test_the_weekly_digest_is_found_on_monday_with_nothing_else_due(coordinator):
    monday = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=KST)
    assert mail.reminder_scan(now=monday) == 1
    assert OutboundEmail.objects.get().rule.kind == DIGEST


@pytest.mark.parametrize("rules", ["one", "all"])
@pytest.mark.parametrize("meetings", [1, 20])
def test_a_minute_with_nothing_due_costs_two_queries(
    rules, meetings, coordinator, django_assert_num_queries
):
    if rules == "one":
        ReminderRule.objects.exclude(kind=PRE_MEETING).update(enabled=False)
    # Long over, none in any rule's window; requests answered, or due far ahead.
    long_ago = NOW - datetime.timedelta(days=400)
    for n in range(meetings):
        meeting = attended_meeting(long_ago - n * HOUR)
    StakeholderRequestFactory(
        meeting=meeting, status=StakeholderRequest.Status.ANSWERED, due_date=NOW.date()
    )
    StakeholderRequestFactory(meeting=meeting, due_date=NOW.date() + datetime.timedelta(days=90))
    assert mail.reminder_scan(now=NOW) == 0  # compiles the probe for these rules
    # The rules with whether any has candidates, the sweep of rows stuck in sending.
    with django_assert_num_queries(2):
        assert mail.reminder_scan(now=NOW + MINUTE) == 0


@pytest.mark.parametrize(
    "change",
    [
        "enabled in the admin",
        "enabled by another process",  # no signal, no save(): only the database knows
        "given a wider window",
    ],
)
def test_a_rule_changed_between_two_scans_is_honoured_by_the_next(change):
    rule = ReminderRule.objects.get(kind=PRE_MEETING)
    attended_meeting(NOW + 20 * HOUR)
    if change == "given a wider window":
        rule.offset, rule.grace = datetime.timedelta(hours=2), datetime.timedelta(minutes=30)
    else:
        rule.enabled = False
    rule.save()
    assert mail.reminder_scan(now=NOW) == 0
    if change == "enabled in the admin":
        rule.enabled = True
        rule.save()
    elif change == "enabled by another process":
        ReminderRule.objects.filter(pk=rule.pk).update(enabled=True)
    else:
        rule.offset, rule.grace = datetime.timedelta(days=1), datetime.timedelta(hours=6)
        rule.save()
    assert mail.reminder_scan(now=NOW + MINUTE) == 1


def test_a_rule_deleted_or_added_between_two_scans_is_honoured_by_the_next():
    rule = ReminderRule.objects.get(kind=PRE_MEETING)
    attended_meeting(NOW + 20 * HOUR)
    kept = {f.attname: getattr(rule, f.attname) for f in ReminderRule._meta.concrete_fields}
    rule.delete()
    assert mail.reminder_scan(now=NOW) == 0
    ReminderRule.objects.create(**{**kept, "id": None})
    assert mail.reminder_scan(now=NOW + MINUTE) == 1


def test_something_that_comes_due_hours_after_the_last_scan_is_found():
    attended_meeting(NOW + 30 * HOUR)  # due when it is 24 h away: six hours from now
    assert mail.reminder_scan(now=NOW) == 0
    for hours in range(1, 6):
        assert mail.reminder_scan(now=NOW + hours * HOUR) == 0
    assert mail.reminder_scan(now=NOW + 6 * HOUR + MINUTE) == 1
