import factory

from events.tests.factories import MeetingFactory
from followups.models import StakeholderRequest
from stakeholders.tests.factories import OrganizationFactory


class StakeholderRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderRequest

    meeting = factory.SubFactory(MeetingFactory)
    organization = factory.SubFactory(OrganizationFactory)
    category = StakeholderRequest.Category.FINANCE
    text = factory.Sequence(lambda n: f"정책 자금 지원 확대 요청 {n}")
