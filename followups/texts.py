"""Default wording of the emails a request's workflow sends (no reminder rule sends them) and
of the default request reminders, and the variables every request email's templates may use."""

import datetime

from django.utils.translation import gettext_lazy as _

from events.texts import MEETING_VARIABLES
from notifications.templating import Var


def _organization(help_text):
    return Var(
        help_text,
        fields={"name": Var(_("its name")), "name_en": Var(_("its English name (may be empty)"))},
    )


REQUEST_VARIABLES = {
    "request": Var(
        _("the request"),
        fields={
            "text": Var(_("what was asked")),
            "category": Var(_("its category"), source="get_category_display"),
            "status": Var(_("its status"), source="get_status_display"),
            "due_date": Var(_("its due date (may be empty)")),
            "response": Var(_("the answer (may be empty)")),
            "organization": _organization(_("the organization that asked")),
            "ministry": _organization(_("the responsible ministry (may be empty)")),
        },
    ),
    "meeting": MEETING_VARIABLES["meeting"],
    "url": Var(_("the request's page in the admin")),
}
MESSAGE_VARIABLES = {
    **REQUEST_VARIABLES,
    "short_text": Var(_("the request's first 40 characters")),
    "category": Var(_("its category")),
    "status": Var(_("its status")),
}

ASSIGNED = {
    "subject_ko": "[건의 배정] {{ request.organization.name }}: {{ short_text }}",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "{{ meeting.title }}에서 나온 건의가 {{ request.ministry.name }}에 배정되었습니다.\n\n"
        "기관: {{ request.organization.name }}\n"
        "분야: {{ category }}\n"
        "내용: {{ request.text }}\n"
        "{% if request.due_date %}답변 기한: {{ request.due_date|date:'Y-m-d' }}\n{% endif %}"
        "\n검토하고 답변해 주세요: {{ url }}"
    ),
    "subject_en": (
        "[Request assigned] "
        "{{ request.organization.name_en|default:request.organization.name }}: {{ short_text }}"
    ),
    "body_en": (
        "Dear {{ recipient.name }},\n\n"
        "A request raised at {{ meeting.title_en|default:meeting.title }} was assigned to "
        "{{ request.ministry.name_en|default:request.ministry.name }}.\n\n"
        "Organization: {{ request.organization.name_en|default:request.organization.name }}\n"
        "Category: {{ category }}\n"
        "Request: {{ request.text }}\n"
        "{% if request.due_date %}Due: {{ request.due_date|date:'Y-m-d' }}\n{% endif %}"
        "\nPlease review and answer it: {{ url }}"
    ),
    "variables": MESSAGE_VARIABLES,
}

ANSWERED = {
    "subject_ko": "[건의 답변] {{ meeting.title }}: {{ short_text }}",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "{{ meeting.title }}에서 {{ request.organization.name|josa:'이/가' }} 건의하신 내용에 "
        "{% if request.ministry %}{{ request.ministry.name }}의 {% endif %}"
        "답변을 알려 드립니다.\n\n"
        "건의: {{ request.text }}\n"
        "처리 결과: {{ status }}\n\n"
        "{{ request.response }}\n\n"
        "{% if link %}보내신 건의와 답변은 아래 의견 페이지에서도 볼 수 있습니다.\n{{ link }}\n\n"
        "{% endif %}문의하실 내용이 있으면 이 메일에 회신해 주세요."
    ),
    "subject_en": "[Answer] {{ meeting.title_en|default:meeting.title }}: {{ short_text }}",
    "body_en": (
        "Dear {{ recipient.name }},\n\n"
        "Here is the answer{% if request.ministry %} of "
        "{{ request.ministry.name_en|default:request.ministry.name }}{% endif %} to the request "
        "{{ request.organization.name_en|default:request.organization.name }} raised at "
        "{{ meeting.title_en|default:meeting.title }}.\n\n"
        "Request: {{ request.text }}\n"
        "Outcome: {{ status }}\n\n"
        "{{ request.response }}\n\n"
        "{% if link %}You can see your requests and their answers on your feedback page:\n"
        "{{ link }}\n\n{% endif %}If you have questions, please reply to this email."
    ),
    "variables": MESSAGE_VARIABLES,
}

# The rules a new system starts with for the request reminders (RuleKind.default): coordinators
# edit or switch them off under Reminder rules.
_REMINDER_KO = (
    "{{ recipient.name }} 님께,\n\n"
    "{{ request.organization.name }}의 건의에 대한 답변 {situation}\n\n"
    "건의 내용: {{ request.text|truncatechars:300 }}\n"
    "간담회: {{ meeting.title }}\n"
    "답변 기한: {{ request.due_date|date:'Y-m-d' }}\n\n"
    "답변하기: {{ url }}"
)
_REMINDER_EN = (
    "Dear {{ recipient.name }},\n\n"
    "The answer to {{ request.organization.name_en|default:request.organization.name }}'s "
    "request {situation}\n\n"
    "Request: {{ request.text|truncatechars:300 }}\n"
    "Meeting: {{ meeting.title_en|default:meeting.title }}\n"
    "Due: {{ request.due_date|date:'Y-m-d' }}\n\n"
    "Answer it here: {{ url }}"
)
_ORGANIZATION_EN = "{{ request.organization.name_en|default:request.organization.name }}"


def _reminder_rule(*, name, offset, situation_ko, situation_en, subject_ko, subject_en, **extra):
    return {
        "name": name,
        "offset": offset,
        "subject_ko": subject_ko,
        "body_ko": _REMINDER_KO.replace("{situation}", situation_ko),
        "subject_en": subject_en,
        "body_en": _REMINDER_EN.replace("{situation}", situation_en),
        **extra,
    }


DUE_SOON_RULE = _reminder_rule(
    name="건의 답변 기한 3일 전",
    offset=datetime.timedelta(days=3),
    situation_ko="기한이 다가옵니다.",
    situation_en="is due soon.",
    subject_ko=(
        "[답변 기한 임박] {{ request.organization.name }} 건의 "
        "({{ request.due_date|date:'Y-m-d' }})"
    ),
    subject_en=f"Due soon: request from {_ORGANIZATION_EN}",
)
OVERDUE_RULE = _reminder_rule(
    name="건의 답변 기한 경과 (매주)",
    offset=datetime.timedelta(days=1),
    situation_ko="기한이 지났습니다.",
    situation_en="is overdue.",
    subject_ko="[기한 경과] {{ request.organization.name }} 건의 답변",
    subject_en=f"Overdue: request from {_ORGANIZATION_EN}",
    repeat_every=datetime.timedelta(days=7),
)
ESCALATION_RULE = _reminder_rule(
    name="기한 14일 경과 건의 보고",
    offset=datetime.timedelta(days=14),
    situation_ko="기한을 14일 넘겼습니다. 담당 부처 확인이 필요합니다.",
    situation_en="is 14 days overdue; the responsible ministry needs a nudge.",
    subject_ko="[보고] 14일 넘게 답변이 없는 건의: {{ request.organization.name }}",
    subject_en=f"Escalation: request from {_ORGANIZATION_EN} is 14 days overdue",
)
WEEKLY_DIGEST_RULE = {
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
}
