"""The admin's own words in Korean: Django's translation hedges particles ("를(을)", "이/가"),
says "save under another name" for "save and add another" and "you must correct the content
below" after a success. The project's catalogue overrides those msgids; these pages, walked as
a coordinator in Korean, show none of them."""

import re

import pytest

from events.models import Attendance, Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

AWKWARD = (
    "를(을)",
    "을(를)",
    "이(가)",
    "가(이)",
    "은(는)",
    "는(은)",
    "와(과)",
    "(으)로",
    "을/를",
    "를/을",
    "이/가",
    "은/는",
    "와/과",
    "(들)",
    "다른 이름으로",
    "보기위한",
    "아래 내용을 수정해야",
    "성공적으로",
    "오브젝트",
    "액션",
    "히스토리",
    "독자",
)


def awkward(html: str) -> list[str]:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return [
        text[max(0, m.start() - 30) : m.end() + 30]
        for word in AWKWARD
        for m in re.finditer(re.escape(word), text)
    ]


@pytest.fixture
def meeting():
    meeting = MeetingFactory(title="AI 반도체 현장 간담회")
    posco = OrganizationFactory(name="포스코")
    for n in range(3):
        person = PersonFactory(organization=posco, name=f"이철수{n}")
        AttendanceFactory(meeting=meeting, organization=posco, person=person)
    StakeholderRequestFactory(meeting=meeting, organization=posco)
    return meeting


def pages(meeting):
    attendance = meeting.attendances.first()
    base = "/admin/events/"
    return [
        "/admin/",
        f"{base}meeting/",
        f"{base}meeting/?q=반도체",
        f"{base}meeting/?status__exact=planned",
        f"{base}meeting/add/",
        f"{base}meeting/{meeting.pk}/change/",
        f"{base}meeting/{meeting.pk}/delete/",
        f"{base}meeting/{meeting.pk}/history/",
        f"{base}attendance/",
        f"{base}attendance/?q=없는이름",
        f"{base}attendance/{attendance.pk}/change/",
        f"{base}attendance/{attendance.pk}/history/",
        "/admin/followups/stakeholderrequest/",
        "/admin/stakeholders/person/",
        "/admin/auth/user/",
    ]


def test_the_admins_pages_read_as_korean_is_written(client, coordinator, meeting):
    client.force_login(coordinator)
    found = {}
    for url in pages(meeting):
        response = client.get(url)
        assert response.status_code == 200, url
        if awkward(response.content.decode()):
            found[url] = awkward(response.content.decode())
    assert found == {}


def test_the_list_counts_its_rows_in_korean(client, coordinator, meeting):
    client.force_login(coordinator)
    html = client.get("/admin/events/attendance/").content.decode()
    assert "참석 3건" in html
    assert "3 참석" not in html
    searched = client.get("/admin/events/attendance/?q=이철수1").content.decode()
    # The lists count their rows once (show_full_result_count off, for 100,000 meetings).
    assert '검색 결과 1건 (<a href="?">모두 보기</a>)' in searched


def test_the_buttons_and_the_messages_after_a_save(client, coordinator, meeting):
    client.force_login(coordinator)
    attendance = meeting.attendances.first()
    url = f"/admin/events/attendance/{attendance.pk}/change/"
    html = client.get(url).content.decode()
    assert "저장 후 하나 더 추가" in html and "저장 후 계속 편집" in html
    response = client.get("/admin/events/attendance/", {"q": "이철수"})
    assert "변경할 참석 선택" in response.content.decode()
    # A delete confirmation, then its message.
    delete = f"/admin/events/attendance/{attendance.pk}/delete/"
    assert "항목을 삭제할까요?" in client.get(delete).content.decode()
    response = client.post(delete, {"post": "yes"}, follow=True)
    (message,) = [m.message for m in response.context["messages"]]
    assert message.startswith("참석 “") and message.endswith("” 항목을 삭제했습니다.")
    assert not Attendance.objects.filter(pk=attendance.pk).exists()


def test_the_bulk_delete_confirmation_and_its_message(client, coordinator, meeting):
    client.force_login(coordinator)
    ids = list(meeting.attendances.values_list("pk", flat=True))
    action = {"action": "delete_selected", "_selected_action": ids}
    confirmation = client.post("/admin/events/attendance/", action)
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert awkward(html) == []
    assert "선택한 참석 항목을 삭제할까요?" in html
    done = client.post("/admin/events/attendance/", {**action, "post": "yes"}, follow=True)
    messages = [m.message for m in done.context["messages"]]
    assert messages == ["참석 3건을 삭제했습니다."]
    assert Meeting.objects.filter(pk=meeting.pk).exists()
