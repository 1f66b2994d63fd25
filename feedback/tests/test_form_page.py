"""What the company reads on its feedback form: answered requests apart and above, no blank
row after a save, a delete box only on saved requests, file fields that say what they take,
and times written as Korean writes them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback import services, tokens
from feedback.tests.pages import send
from followups import services as requests
from followups.models import StakeholderRequest
from stakeholders.models import Person

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture
def posco(meeting):
    """The path of 김철강's link (포스코)."""
    person = Person.objects.get(email="kim@posco.example")
    invitation = services.invitation_for(meeting=meeting, person=person)
    return tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000")


def filed(meeting, text, **fields):
    person = Person.objects.get(email="kim@posco.example")
    return requests.request_create(
        meeting=meeting,
        organization=person.organization,
        person=person,
        source=StakeholderRequest.Source.FEEDBACK_FORM,
        category=fields.pop("category", "finance"),
        text=text,
        **fields,
    )


def test_a_first_visit_has_one_blank_request_and_no_delete_box(client, posco):
    html = client.get(posco).content.decode()
    page, template = html.split('<template id="request-template">')
    assert 'name="requests-0-text"' in page and 'name="requests-1-text"' not in page
    assert "DELETE" not in page and "DELETE" not in template


def test_after_a_save_no_blank_row_and_only_saved_requests_can_be_removed(client, posco, meeting):
    response = send(
        client,
        posco,
        {
            "requests-TOTAL_FORMS": "1",
            "requests-INITIAL_FORMS": "0",
            "requests-0-category": "finance",
            "requests-0-text": "정책자금 확대",
            "name": "김철강",
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    page = html.split('<template id="request-template">')[0]
    assert 'name="requests-TOTAL_FORMS" value="1"' in page
    assert 'name="requests-0-DELETE"' in page and 'name="requests-1-text"' not in page


def test_answered_requests_have_their_own_section_above_the_form(client, posco, meeting, ministry):
    handled = filed(meeting, "데이터 반출 규제 완화")
    requests.request_answer(
        request=handled, by=None, ministry=ministry, response="가이드라인을 마련하겠습니다."
    )
    taken = filed(meeting, "AI 인재 양성 지원")
    requests.request_assign(request=taken, by=None, ministry=ministry)
    filed(meeting, "세액공제 확대")
    html = client.get(posco).content.decode()
    answered = html.index('id="answered-title"')
    in_hand = html.index('id="in-hand-title"')
    form = html.index('<form method="post" enctype')
    assert answered < in_hand < form
    section = html[answered:in_hand]
    assert "데이터 반출 규제 완화" in section and "가이드라인을 마련하겠습니다." in section
    assert ministry.name in section
    assert "AI 인재 양성 지원" in html[in_hand:form]
    # Only the request no ministry has taken up is in the form, and it alone can be removed.
    rows = html[form:].split('<template id="request-template">')[0]
    assert "세액공제 확대" in rows and "데이터 반출" not in rows and "AI 인재" not in rows
    assert len(re.findall(r'name="requests-\d+-DELETE"', rows)) == 1


def test_the_page_costs_the_same_queries_for_one_request_or_many(client, posco, meeting, ministry):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(posco).status_code == 200
        return len(captured)

    answer = filed(meeting, "첫 건의")
    requests.request_answer(request=answer, by=None, ministry=ministry, response="답변")
    filed(meeting, "둘째 건의")
    one = queries()
    for number in range(5):
        answered = filed(meeting, f"건의 {number}")
        requests.request_answer(request=answered, by=None, ministry=ministry, response="답변")
        filed(meeting, f"새 건의 {number}")
    assert queries() == one


def test_file_fields_say_what_they_take(client, posco):
    html = client.get(posco).content.decode()
    assert "파일 첨부 (선택)" in html
    assert "PDF, HWP, HWPX, DOCX, XLSX, PPTX" in html and "10.0" in html and "5개까지" in html
    assert 'data-chosen-files="id_requests-0-files"' in html


@pytest.mark.time_machine(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=KST))
def test_times_read_as_korean_writes_them(client, meeting, posco):
    meeting.feedback_deadline = datetime.datetime(2026, 12, 4, 14, 0, tzinfo=KST)
    meeting.save()
    html = client.get(posco).content.decode()
    assert "2026년 12월 4일 오후 2:00까지" in html
    assert not re.search(r"\d:\d\d (오전|오후)", html)  # not "2:00 오후"
    english = client.get(posco, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dec. 4, 2026, 2:00 p.m." in english
