"""Contact holders: every app says what it keeps about people and organizations, an erasure
leaves a person's details nowhere, and a model that keeps them unregistered fails the check."""

import datetime
import json
import re

import pytest
from django.core import checks
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone

from events.models import Attendance
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services as feedback
from feedback.models import Feedback, FeedbackInvitation
from followups.models import StakeholderRequest
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders import holders, services
from stakeholders.models import Organization, Person
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/admin/stakeholders/person/"
NAME, NAME_EN, POSITION = "표지홍", "Pyoji Hong", "표지전무"
EMAIL, PHONE = "pyoji@marker.example", "010-2424-2424"
MARKERS = (NAME, NAME_EN, POSITION, EMAIL, PHONE)


def copies() -> dict[str, set[str]]:
    """Which of the markers each table of the database holds, in any column."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row if value is not None)
                if held := {marker for marker in MARKERS if marker in text}:
                    found.setdefault(table, set()).update(held)
    return found


@pytest.fixture
def submitter():
    """A company contact who attended, was invited by email, and sent their organization's
    feedback (with a request) twice."""
    person = PersonFactory(name=NAME, name_en=NAME_EN, position=POSITION, email=EMAIL, phone=PHONE)
    meeting = MeetingFactory(feedback_deadline=timezone.now() + datetime.timedelta(days=7))
    AttendanceFactory(
        meeting=meeting,
        organization=person.organization,
        person=person,
        note=f"{NAME} 전무 오후 참석",
    )
    assert feedback.feedback_request(meeting=meeting) == 1
    invitation = FeedbackInvitation.objects.get(person=person)
    for position in (POSITION, f"{POSITION} (AI 추진단장)"):
        feedback.feedback_submit(
            invitation=invitation,
            comments="현장 방문 감사합니다.",
            name=NAME,
            position=position,
            items=[{"category": "finance", "text": "정책자금 확대", "ministry": None}]
            if position == POSITION
            else [],
        )
    return person


def unsubscribe_path(message) -> str:
    return re.search(r"http://[^/]+(/unsubscribe/[^/>]+/)", message["List-Unsubscribe"]).group(1)


def test_erasing_a_feedback_submitter_leaves_their_details_nowhere(
    submitter, smtp, client, coordinator
):
    # The mail server refuses the first emails, quoting the address; the invitation goes
    # out on a second try, its unsubscribe link is used, and one more confirmation waits.
    smtp.refuse = f"550 5.1.1 <{EMAIL}>: Recipient address rejected"
    mail.outbox_drain()
    assert OutboundEmail.objects.filter(state="failed", last_error__contains=EMAIL).exists()
    smtp.refuse = None
    OutboundEmail.objects.filter(kind="feedback-invitation").update(state="queued")
    mail.outbox_drain()
    [invitation] = smtp.to(EMAIL)
    assert client.post(unsubscribe_path(invitation)).status_code == 200
    feedback.feedback_submit(
        invitation=FeedbackInvitation.objects.get(person=submitter),
        comments="현장 방문 감사합니다.",
        name=NAME,
        position=POSITION,
        items=[],
    )
    assert OutboundEmail.objects.filter(person=submitter, state="queued").exists()
    held = copies()
    assert {
        "stakeholders_person",
        "stakeholders_historicalperson",
        "feedback_feedback",
        "feedback_historicalfeedback",
        "events_attendance",
        "events_historicalattendance",
        "notifications_outboundemail",
        "notifications_unsubscription",
    } <= set(held)

    client.force_login(coordinator)
    client.post(PEOPLE, {"action": "erase", "_selected_action": [submitter.pk], "confirm": "1"})

    assert copies() == {}
    sent = len(smtp.messages)
    mail.outbox_drain()
    assert len(smtp.messages) == sent  # the waiting confirmation is not sent to anyone
    # What the company said and asked, and that they attended, stay.
    kept = Feedback.objects.get()
    assert kept.submitter_name == f"삭제된 관계자 #{submitter.pk}"
    assert kept.comments == "현장 방문 감사합니다."
    assert StakeholderRequest.objects.get(person=submitter).text == "정책자금 확대"
    assert Attendance.objects.filter(person=submitter).exists()


def test_an_access_request_holds_the_feedback_they_sent_and_their_opt_outs(
    submitter, client, coordinator
):
    mail.unsubscription_create(email=EMAIL, kind=feedback.REQUEST_KIND)
    client.force_login(coordinator)
    response = client.post(
        PEOPLE, {"action": "export_everything", "_selected_action": [submitter.pk]}
    )
    held = json.loads(response.content)
    [sent] = held["feedback.Feedback"]
    assert (sent["fields"]["submitter_name"], sent["fields"]["submitter_position"]) == (
        NAME,
        f"{POSITION} (AI 추진단장)",
    )
    assert [v["fields"]["submitter_position"] for v in held["feedback.HistoricalFeedback"]] == [
        f"{POSITION} (AI 추진단장)",
        POSITION,
    ]
    assert held["notifications.Unsubscription"][0]["fields"]["email"] == EMAIL
    assert {"events.Attendance", "feedback.FeedbackInvitation"} <= set(held)
    assert "token_hash" not in response.content.decode()


def test_sending_feedback_is_a_trace_that_keeps_a_contact(submitter, settings):
    long_ago = timezone.now() - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    for model in (Attendance, StakeholderRequest):
        model.objects.filter(person=submitter).update(created_at=long_ago, updated_at=long_ago)
    FeedbackInvitation.objects.filter(person=submitter).update(created_at=long_ago)
    OutboundEmail.objects.filter(person=submitter).update(created_at=long_ago)
    Person.objects.filter(pk=submitter.pk).update(updated_at=long_ago)
    assert list(services.contacts_to_anonymise()) == []
    Feedback.objects.update(updated_at=long_ago)
    assert list(services.contacts_to_anonymise()) == [submitter]


def errors_of(found) -> list[tuple[str, str]]:
    return sorted((error.id, error.msg.split()[0]) for error in found)


def test_every_model_of_the_project_is_covered():
    found = [e for e in checks.run_checks() if e.id and e.id.startswith("stakeholders.")]
    assert found == []


def test_an_app_that_registers_nothing_fails_the_check():
    without = {h.label: h for h in holders.registered() if h.label != "feedback.Feedback"}
    assert errors_of(holders.contact_holders_covered(registry=without)) == [
        ("stakeholders.E010", "feedback.Feedback.organization"),
        ("stakeholders.E010", "feedback.Feedback.submitted_by"),
        ("stakeholders.E010", "feedback.HistoricalFeedback.organization"),
        ("stakeholders.E010", "feedback.HistoricalFeedback.submitted_by"),
        ("stakeholders.E011", "feedback.Feedback.submitter_name"),
        ("stakeholders.E011", "feedback.Feedback.submitter_position"),
        ("stakeholders.E011", "feedback.HistoricalFeedback.submitter_name"),
        ("stakeholders.E011", "feedback.HistoricalFeedback.submitter_position"),
    ]


@isolate_apps("stakeholders")
def test_a_new_model_that_keeps_contacts_fails_the_check_until_a_holder_covers_it():
    class Visit(models.Model):
        visitor = models.ForeignKey(Person, models.CASCADE, related_name="+")
        host = models.OneToOneField(Organization, models.CASCADE, related_name="+")
        visitor_name = models.CharField(max_length=100)
        visitor_phone = models.CharField(max_length=50)
        contact = models.EmailField()
        purpose = models.TextField()

        class Meta:
            app_label = "stakeholders"

        def __str__(self):
            return self.visitor_name

    def check(*registered):
        return errors_of(
            holders.contact_holders_covered(
                registry={h.label: h for h in registered}, models_to_check=[Visit]
            )
        )

    assert check() == [
        ("stakeholders.E010", "stakeholders.Visit.host"),
        ("stakeholders.E010", "stakeholders.Visit.visitor"),
        ("stakeholders.E011", "stakeholders.Visit.contact"),
        ("stakeholders.E011", "stakeholders.Visit.visitor_name"),
        ("stakeholders.E011", "stakeholders.Visit.visitor_phone"),
    ]
    covers = {
        "model": Visit,
        "people": ("visitor",),
        "organizations": ("host",),
        "details": ("visitor_name", "visitor_phone", "contact"),
    }
    # Details it keeps but never erases, or a field it does not have, are refused too.
    assert check(holders.Holder(**covers)) == [("stakeholders.E013", "The")]
    assert check(holders.Holder(**covers, kept=("purpose", "visitor_email"))) == [
        ("stakeholders.E012", "The"),
        ("stakeholders.E013", "The"),
    ]
    assert check(holders.Holder(**covers, forget=lambda erasure: None)) == []
