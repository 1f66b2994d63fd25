"""Default feedback rules: the request after a meeting and the chaser before the deadline."""

import datetime

from django.db import migrations

from feedback import texts
from notifications.defaults import default_rules

RULES = [
    {
        "kind": "feedback.request",
        "name": "간담회 종료 2시간 후 의견 요청",
        "offset": datetime.timedelta(hours=2),
        **texts.REQUEST,
    },
    {
        "kind": "feedback.non_responder",
        "name": "마감 3일 전 미응답 기관 재안내",
        "offset": datetime.timedelta(days=3),
        **texts.NON_RESPONDER,
    },
]


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("notifications", "0003_email_link"),
    ]

    operations = [default_rules(RULES)]
