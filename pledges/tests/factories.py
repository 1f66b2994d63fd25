from decimal import Decimal

import factory

from pledges.models import Commitment, ProgressEntry


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    title = factory.Sequence(lambda n: f"공약 {n}")
    kind = Commitment.Kind.TARGET
    unit = "%"
    baseline_value = Decimal(5)
    baseline_year = 2025
    target_value = Decimal(40)
    target_year = 2030


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    commitment = factory.SubFactory(CommitmentFactory)
    date = factory.Faker("date_object")
    value = Decimal(10)
