import factory

from stakeholders.models import Organization, Person


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"기업{n}")
    name_en = factory.Sequence(lambda n: f"Company {n}")
    kind = Organization.Kind.COMPANY


class MinistryFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"부처{n}")
    name_en = factory.Sequence(lambda n: f"Ministry {n}")
    kind = Organization.Kind.MINISTRY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"홍길동{n}")
    name_en = factory.Sequence(lambda n: f"Hong Gil-dong {n}")
    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.com")
