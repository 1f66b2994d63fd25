"""The `josa` filter writes the particle a name takes, as a Korean writer would."""

import pytest

from notifications import templating
from notifications.templating import Var

ORGANIZATION = {"organization": Var("", fields={"name": Var("")})}


def rendered(template, name):
    return templating.render(template, ORGANIZATION, {"organization": {"name": name}})


@pytest.mark.parametrize(
    "name, subject, topic, object_, with_",
    [
        ("포스코", "포스코가", "포스코는", "포스코를", "포스코와"),
        ("LG전자", "LG전자가", "LG전자는", "LG전자를", "LG전자와"),
        ("GS칼텍스", "GS칼텍스가", "GS칼텍스는", "GS칼텍스를", "GS칼텍스와"),
        (
            "구글 클라우드",
            "구글 클라우드가",
            "구글 클라우드는",
            "구글 클라우드를",
            "구글 클라우드와",
        ),
        ("현대자동차", "현대자동차가", "현대자동차는", "현대자동차를", "현대자동차와"),
        ("Google Cloud", "Google Cloud가", "Google Cloud는", "Google Cloud를", "Google Cloud와"),
        ("삼성전자", "삼성전자가", "삼성전자는", "삼성전자를", "삼성전자와"),
        ("한국전력공사", "한국전력공사가", "한국전력공사는", "한국전력공사를", "한국전력공사와"),
        (
            "네이버 클라우드",
            "네이버 클라우드가",
            "네이버 클라우드는",
            "네이버 클라우드를",
            "네이버 클라우드와",
        ),
        ("카카오뱅크", "카카오뱅크가", "카카오뱅크는", "카카오뱅크를", "카카오뱅크와"),
        ("기획재정부", "기획재정부가", "기획재정부는", "기획재정부를", "기획재정부와"),
        (
            "과학기술정보통신부",
            "과학기술정보통신부가",
            "과학기술정보통신부는",
            "과학기술정보통신부를",
            "과학기술정보통신부와",
        ),
        (
            "두산에너빌리티",
            "두산에너빌리티가",
            "두산에너빌리티는",
            "두산에너빌리티를",
            "두산에너빌리티와",
        ),
        ("SK텔레콤", "SK텔레콤이", "SK텔레콤은", "SK텔레콤을", "SK텔레콤과"),
        ("한국은행", "한국은행이", "한국은행은", "한국은행을", "한국은행과"),
        ("SK", "SK가", "SK는", "SK를", "SK와"),
        ("3M", "3M이", "3M은", "3M을", "3M과"),
        ("Intel", "Intel이", "Intel은", "Intel을", "Intel과"),
        ("삼성전자(주)", "삼성전자(주)가", "삼성전자(주)는", "삼성전자(주)를", "삼성전자(주)와"),
    ],
)
def test_the_particle_follows_the_last_syllable(name, subject, topic, object_, with_):
    template = (
        '{{ organization.name|josa:"이/가" }} {{ organization.name|josa:"은/는" }} '
        '{{ organization.name|josa:"을/를" }} {{ organization.name|josa:"과/와" }}'
    )
    assert rendered(template, name) == f"{subject} {topic} {object_} {with_}"


@pytest.mark.parametrize(
    "name, expected",
    [("서울", "서울로"), ("부산", "부산으로"), ("포스코", "포스코로"), ("LG전자", "LG전자로")],
)
def test_euro_ro_takes_ro_after_rieul(name, expected):
    assert rendered('{{ organization.name|josa:"으로/로" }}', name) == expected


@pytest.mark.parametrize(
    "name, expected",
    [("Apple", "Apple이(가)"), ("Google", "Google이(가)"), ("★", "★이(가)")],
)
def test_an_unknown_reading_writes_both_forms(name, expected):
    assert rendered('{{ organization.name|josa:"이/가" }}', name) == expected
    assert rendered('{{ organization.name|josa:"으로/로" }}', name).endswith("(으)로")


def test_no_name_no_particle():
    assert rendered('[{{ organization.name|josa:"이/가" }}]', "") == "[]"


def test_a_template_using_it_is_accepted_by_the_rule_check():
    assert templating.problems('{{ organization.name|josa:"이/가" }}', ORGANIZATION) == []
    (problem,) = templating.problems("{{ organization.nme|josa:'이/가' }}", ORGANIZATION)
    assert "organization.nme" in problem
