import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from stakeholders import services
from stakeholders.models import Organization, OrganizationName
from stakeholders.names import normalize_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("LG Electronics", "lg electronics"),
        ("LG Electronics", "LGELECTRONICS"),
        ("LG전자", "lg 전자"),
        ("(주)포스코", "포스코"),
        ("㈜포스코", "포스코 주식회사"),
        ("POSCO Co., Ltd.", "posco"),
        ("Google Inc.", "google"),
        ("ＬＧ전자", "LG전자"),  # full-width letters
    ],
)
def test_names_that_read_alike_normalize_alike(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), [("LG전자", "LG화학"), ("Incheon", "cheon"), ("Co-op", "op")])
def test_different_names_stay_different(a, b):
    assert normalize_name(a) != normalize_name(b)


@pytest.mark.parametrize(
    "query", ["LG전자", "LG Electronics", "엘지전자", "lg electronics", "엘지"]
)
def test_any_name_or_alias_finds_the_organization(lg, query):
    assert list(Organization.objects.matching(query)) == [lg]


def test_exact_lookup_by_alias(lg):
    assert Organization.objects.by_name("엘지 전자") == lg
    assert Organization.objects.by_name("엘지") is None


def test_no_two_organizations_share_a_normalized_name(lg):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="lg electronics", kind="company")


def test_alias_of_one_cannot_be_name_of_another(lg):
    other = Organization.objects.create(name="삼성전자", kind="company")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationName.objects.create(organization=other, name="엘지 전자")


def test_validation_names_the_organization_that_holds_the_name(lg):
    with pytest.raises(ValidationError) as error:
        services.organization_create(name="엘지전자", kind="company")
    assert "LG전자" in str(error.value.message_dict["name"])


def test_aliases_repeating_a_primary_name_are_dropped(lg):
    lg.set_aliases(["LG 전자", "엘지전자", "엘지 전자", "LG"])
    assert sorted(lg.aliases) == ["LG", "엘지전자"]


def test_renaming_moves_the_index(lg):
    services.organization_update(organization=lg, name="엘지전자")  # was an alias
    assert Organization.objects.by_name("엘지전자") == lg
    assert Organization.objects.by_name("LG전자") is None
    assert lg.aliases == []
