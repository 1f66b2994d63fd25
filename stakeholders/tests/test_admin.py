import pytest

from stakeholders import services
from stakeholders.models import Organization
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["LG전자", "LG Electronics", "엘지전자", "lg electronics", "엘지 전자"]
)
def test_search_finds_an_organization_by_any_name(client, coordinator, lg, query):
    services.organization_create(name="삼성전자", name_en="Samsung Electronics", kind="company")
    client.force_login(coordinator)
    page = client.get("/admin/stakeholders/organization/", {"q": query})
    assert list(page.context["cl"].result_list) == [lg]


def test_autocomplete_finds_by_alias(client, coordinator, lg):
    client.force_login(coordinator)
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "엘지",
            "app_label": "events",
            "model_name": "attendance",
            "field_name": "organization",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["LG전자 (LG Electronics)"]


def test_people_are_found_by_their_organizations_alias(client, coordinator, lg):
    person = PersonFactory(organization=lg, name="김엘지")
    PersonFactory(name="박삼성")
    client.force_login(coordinator)
    page = client.get("/admin/stakeholders/person/", {"q": "엘지전자"})
    assert list(page.context["cl"].result_list) == [person]


def alias_form(org, *aliases):
    data = {
        "name": org.name,
        "name_en": org.name_en,
        "kind": org.kind,
        "names-TOTAL_FORMS": str(len(aliases)),
        "names-INITIAL_FORMS": "0",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }
    for i, alias in enumerate(aliases):
        data[f"names-{i}-name"] = alias
    return data


def test_adding_an_alias_in_the_admin(client, coordinator, lg):
    client.force_login(coordinator)
    response = client.post(
        f"/admin/stakeholders/organization/{lg.pk}/change/", alias_form(lg, "LGE")
    )
    assert response.status_code == 302
    assert Organization.objects.by_name("lge") == lg


@pytest.mark.parametrize("alias", ["lg electronics", "삼성 전자"])
def test_clashing_alias_is_a_form_error_and_saves_nothing(client, coordinator, lg, alias):
    services.organization_create(name="삼성전자", kind="company")
    client.force_login(coordinator)
    response = client.post(
        f"/admin/stakeholders/organization/{lg.pk}/change/", alias_form(lg, alias)
    )
    assert response.status_code == 200
    assert "이미 이 이름으로 등록" in str(
        response.context["inline_admin_formsets"][0].formset.errors
    )
    assert sorted(lg.aliases) == ["엘지전자"]


def test_new_organization_with_a_taken_name_is_a_form_error(client, coordinator, lg):
    client.force_login(coordinator)
    data = alias_form(Organization(name="엘지 전자", kind="company"))
    response = client.post("/admin/stakeholders/organization/add/", data)
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert Organization.objects.count() == 1
