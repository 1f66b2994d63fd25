"""The default pre-meeting reminder (coordinators edit or disable it in the admin)."""

import datetime

from django.db import migrations

from notifications.defaults import default_rules

RULES = [
    {
        "kind": "events.pre_meeting",
        "name": "간담회 하루 전 안내",
        "offset": datetime.timedelta(days=1),
        "subject_ko": "[안내] {{ meeting.title }} ({{ when }})",
        "body_ko": (
            "{{ recipient.name }} 님께,\n\n"
            "{{ meeting.title }}이(가) 곧 열립니다.\n\n"
            "일시: {{ when }}\n"
            "장소: {{ meeting.venue }}{% if meeting.address %}, {{ meeting.address }}{% endif %}\n"
            "{% if meeting.host %}주관: {{ meeting.host }}\n{% endif %}"
            "\n자세한 내용: {{ url }}\n"
            "첨부한 일정 파일(.ics)을 열면 캘린더에 추가됩니다."
        ),
        "subject_en": "Reminder: {{ meeting.title_en|default:meeting.title }} ({{ when }})",
        "body_en": (
            "Dear {{ recipient.name }},\n\n"
            "{{ meeting.title_en|default:meeting.title }} is coming up.\n\n"
            "When: {{ when }}\n"
            "Where: {{ meeting.venue }}{% if meeting.address %}, {{ meeting.address }}{% endif %}\n"
            "{% if meeting.host %}Host: {{ meeting.host }}\n{% endif %}"
            "\nDetails: {{ url }}\n"
            "Open the attached .ics file to add it to your calendar."
        ),
    }
]


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_personal_feed"),
        ("notifications", "0001_initial"),
    ]

    operations = [default_rules(RULES)]
