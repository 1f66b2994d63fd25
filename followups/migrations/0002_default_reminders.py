"""Default reminders about requests (coordinators edit or disable them in the admin)."""

import datetime

from django.db import migrations

from notifications.defaults import default_rules

_REQUEST_KO = (
    "{{ recipient.name }} 님께,\n\n"
    "{{ request.organization.name }}의 건의에 대한 답변 {{ situation }}\n\n"
    "건의 내용: {{ request.text|truncatechars:300 }}\n"
    "간담회: {{ meeting.title }}\n"
    "답변 기한: {{ request.due_date|date:'Y-m-d' }}\n\n"
    "답변하기: {{ url }}"
)
_REQUEST_EN = (
    "Dear {{ recipient.name }},\n\n"
    "The answer to {{ request.organization.name_en|default:request.organization.name }}'s "
    "request {{ situation }}\n\n"
    "Request: {{ request.text|truncatechars:300 }}\n"
    "Meeting: {{ meeting.title_en|default:meeting.title }}\n"
    "Due: {{ request.due_date|date:'Y-m-d' }}\n\n"
    "Answer it here: {{ url }}"
)


def _request_rule(kind, name, offset, situation_ko, situation_en, subject_ko, subject_en, **extra):
    return {
        "kind": kind,
        "name": name,
        "offset": offset,
        "subject_ko": subject_ko,
        "body_ko": _REQUEST_KO.replace("{{ situation }}", situation_ko),
        "subject_en": subject_en,
        "body_en": _REQUEST_EN.replace("{{ situation }}", situation_en),
        **extra,
    }


RULES = [
    _request_rule(
        "followups.due_soon",
        "건의 답변 기한 3일 전",
        datetime.timedelta(days=3),
        "기한이 다가옵니다.",
        "is due soon.",
        "[답변 기한 임박] {{ request.organization.name }} 건의 ({{ request.due_date|date:'Y-m-d' }})",
        "Due soon: request from {{ request.organization.name_en|default:request.organization.name }}",
    ),
    _request_rule(
        "followups.overdue",
        "건의 답변 기한 경과 (매주)",
        datetime.timedelta(days=1),
        "기한이 지났습니다.",
        "is overdue.",
        "[기한 경과] {{ request.organization.name }} 건의 답변",
        "Overdue: request from {{ request.organization.name_en|default:request.organization.name }}",
        repeat_every=datetime.timedelta(days=7),
    ),
    _request_rule(
        "followups.escalation",
        "기한 14일 경과 건의 보고",
        datetime.timedelta(days=14),
        "기한을 14일 넘겼습니다. 담당 부처 확인이 필요합니다.",
        "is 14 days overdue; the responsible ministry needs a nudge.",
        "[보고] 14일 넘게 답변이 없는 건의: {{ request.organization.name }}",
        "Escalation: request from {{ request.organization.name_en|default:request.organization.name }} "
        "is 14 days overdue",
    ),
    {
        "kind": "followups.weekly_digest",
        "name": "주간 요약 (월요일 09:00)",
        "offset": datetime.timedelta(0),
        "subject_ko": "[주간 요약] 건의 {{ new }}건 접수, 기한 경과 {{ overdue }}건",
        "body_ko": (
            "지난 7일 동안 접수된 건의: {{ new }}건\n"
            "7일 안에 답변 기한이 오는 건의: {{ due_soon }}건\n"
            "기한이 지난 건의: {{ overdue }}건\n"
            "답변율: {{ response_rate }}% ({{ answered }}/{{ total }})\n\n"
            "관리 화면: {{ url }}"
        ),
        "subject_en": "Weekly digest: {{ new }} new requests, {{ overdue }} overdue",
        "body_en": (
            "New requests in the last 7 days: {{ new }}\n"
            "Due within 7 days: {{ due_soon }}\n"
            "Overdue: {{ overdue }}\n"
            "Response rate: {{ response_rate }}% ({{ answered }}/{{ total }})\n\n"
            "Admin: {{ url }}"
        ),
    },
]


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [default_rules(RULES)]
