"""Default wording of the emails a request's workflow sends (no reminder rule sends them), and
the variables every request email's templates may use."""

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
        "{{ meeting.title }}에서 {{ request.organization.name }}이(가) 건의하신 내용에 "
        "{% if request.ministry %}{{ request.ministry.name }}의 {% endif %}"
        "답변을 알려 드립니다.\n\n"
        "건의: {{ request.text }}\n"
        "처리 결과: {{ status }}\n\n"
        "{{ request.response }}\n\n"
        "문의하실 내용이 있으면 이 메일에 회신해 주세요."
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
        "If you have questions, please reply to this email."
    ),
    "variables": MESSAGE_VARIABLES,
}
