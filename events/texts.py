"""Default wording of the meeting emails: the invitation (no reminder rule sends it) and the
default rule of the reminder before a meeting; and the variables every meeting email's
templates may use."""

import datetime

from django.utils.translation import gettext_lazy as _

from notifications.templating import Var

MEETING_VARIABLES = {
    "meeting": Var(
        _("the meeting"),
        fields={
            "title": Var(_("its title")),
            "title_en": Var(_("its English title (may be empty)")),
            "venue": Var(_("its venue")),
            "address": Var(_("the venue's address (may be empty)")),
            "host": Var(_("who hosts it (may be empty)")),
        },
    ),
    "when": Var(
        _(
            "its day (or first and last day), or its start and end time, written in the "
            "recipient's language"
        )
    ),
    "url": Var(_("its public page")),
}

INVITATION = {
    "subject_ko": "[초대] {{ meeting.title }} ({{ when }})",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "{{ meeting.title }}에 초대합니다.\n\n"
        "일시: {{ when }}\n"
        "장소: {{ meeting.venue }}{% if meeting.address %}, {{ meeting.address }}{% endif %}\n"
        "{% if meeting.host %}주관: {{ meeting.host }}\n{% endif %}"
        "\n참석 여부를 아래 개인 링크로 알려 주세요. 참석하기 어려우시면 대리 참석자를 "
        "지정하실 수 있습니다.\n\n{{ link }}\n\n"
        "자세한 내용: {{ url }}\n"
        "첨부한 일정 파일(.ics)을 열면 캘린더에 추가됩니다."
    ),
    "subject_en": "Invitation: {{ meeting.title_en|default:meeting.title }} ({{ when }})",
    "body_en": (
        "Dear {{ recipient.name }},\n\n"
        "You are invited to {{ meeting.title_en|default:meeting.title }}.\n\n"
        "When: {{ when }}\n"
        "Where: {{ meeting.venue }}{% if meeting.address %}, {{ meeting.address }}{% endif %}\n"
        "{% if meeting.host %}Host: {{ meeting.host }}\n{% endif %}"
        "\nPlease tell us through your personal link whether you will attend; if you cannot, "
        "you can name a colleague to attend in your place.\n\n{{ link }}\n\n"
        "Details: {{ url }}\n"
        "Open the attached .ics file to add it to your calendar."
    ),
    "variables": MEETING_VARIABLES,
}

# The rule a new system starts with for the reminder before a meeting (RuleKind.default):
# coordinators edit or switch it off under Reminder rules.
PRE_MEETING_RULE = {
    "name": "간담회 하루 전 안내",
    "offset": datetime.timedelta(days=1),
    "subject_ko": "[안내] {{ meeting.title }} ({{ when }})",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "{{ meeting.title|josa:'이/가' }} 곧 열립니다.\n\n"
        "일시: {{ when }}\n"
        "장소: {{ meeting.venue }}{% if meeting.address %}, {{ meeting.address }}{% endif %}\n"
        "{% if meeting.host %}주관: {{ meeting.host }}\n{% endif %}"
        "\n참석 여부를 알려 주세요. 참석하기 어려우시면 대리 참석자를 지정하실 수 있습니다.\n"
        "{{ link }}\n"
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
        "\nPlease tell us whether you will attend, or name a colleague to attend in your place:\n"
        "{{ link }}\n"
        "\nDetails: {{ url }}\n"
        "Open the attached .ics file to add it to your calendar."
    ),
}
