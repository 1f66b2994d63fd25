"""Requests leave the admin with their answers, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from files.spreadsheets import KoreanCSV, SafeXLSX
from files.tests.exports import export
from followups.tests.factories import StakeholderRequestFactory
from pledges.models import Commitment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("requests", [1, 8])
def test_exporting_requests_costs_the_same_for_one_or_many(client, coordinator, requests):
    pledge = Commitment.objects.create(title="AI 팩토리 500개", kind="target")
    for request in StakeholderRequestFactory.create_batch(requests, response="반영하겠습니다."):
        request.commitments.add(pledge)
    client.force_login(coordinator)
    export(client, "followups/stakeholderrequest")  # warms caches
    with CaptureQueriesContext(connection) as queries:
        sheet = export(client, "followups/stakeholderrequest")
    assert len(sheet) == requests
    assert {row["정부 약속"] for row in sheet.dict} == {"AI 팩토리 500개"}
    assert len(queries) == QUERIES_FOR_AN_EXPORT


QUERIES_FOR_AN_EXPORT = 15  # the export page and the file, with the list's own counts


@pytest.mark.parametrize("file_format", [KoreanCSV, SafeXLSX])
def test_a_companys_words_never_run_as_formulas(client, coordinator, file_format):
    texts = ['=HYPERLINK("http://evil.example","보기")', "@SUM(1+1)", "+82 대표번호", "- 규제 완화"]
    for text in texts:
        StakeholderRequestFactory(text=text)
    client.force_login(coordinator)
    exported = {
        row["건의 내용"] for row in export(client, "followups/stakeholderrequest", file_format).dict
    }
    if file_format is KoreanCSV:
        assert exported == {f"'{text}" for text in texts}
    else:  # in Excel only "=" starts a formula
        assert exported == {f"'{texts[0]}", *texts[1:]}
