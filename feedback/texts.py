"""Default wording of the feedback emails, and what their templates may use. The default rules
(RuleKind.default, created after migrate) and the manual ask (when no rule exists) both use
the wording."""

import datetime

from django.utils.translation import gettext_lazy as _

from events.texts import MEETING_VARIABLES
from notifications.templating import Var

FEEDBACK_VARIABLES = {
    **MEETING_VARIABLES,
    "deadline": Var(_("the last day the company can send and edit its requests")),
    "organization": Var(
        _("the recipient's organization"),
        fields={"name": Var(_("its name")), "name_en": Var(_("its English name (may be empty)"))},
    ),
}

REQUEST = {
    "subject_ko": "[의견 요청] {{ meeting.title }} 후속 건의를 알려 주세요",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "{{ meeting.title }}({{ when }})에 참석해 주셔서 감사합니다.\n"
        "정부 지원이 필요한 사항이나 건의를 아래 개인 링크로 남겨 주세요. "
        "{{ deadline }}까지 내용을 보고 고칠 수 있습니다.\n\n"
        "{{ link }}\n\n"
        "이 링크는 귀하에게만 보내 드리는 것이니 다른 사람에게 전달하지 마세요."
    ),
    "subject_en": "Your requests after {{ meeting.title_en|default:meeting.title }}",
    "body_en": (
        "Dear {{ recipient.name }},\n\n"
        "Thank you for attending {{ meeting.title_en|default:meeting.title }} ({{ when }}).\n"
        "Please tell us what your company needs from the government through your personal "
        "link below. You can see and edit what you sent until {{ deadline }}.\n\n"
        "{{ link }}\n\n"
        "This link is for you alone; please do not forward it."
    ),
}

NON_RESPONDER = {
    "subject_ko": "[다시 안내] {{ meeting.title }} 건의 접수가 {{ deadline }}에 마감됩니다",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "{{ meeting.title }}에 대한 {{ organization.name }}의 건의를 아직 받지 못했습니다. "
        "{{ deadline }}까지 아래 링크로 남겨 주세요.\n\n{{ link }}"
    ),
    "subject_en": "Reminder: requests after {{ meeting.title_en|default:meeting.title }} close "
    "on {{ deadline }}",
    "body_en": (
        "Dear {{ recipient.name }},\n\n"
        "We have not yet received {{ organization.name_en|default:organization.name }}'s "
        "requests after {{ meeting.title_en|default:meeting.title }}. Please send them by "
        "{{ deadline }} through your link:\n\n{{ link }}"
    ),
}

CONFIRMATION = {
    "subject_ko": "[접수 확인] {{ meeting.title }} 건의",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "{{ organization.name }}의 건의 {{ requests|length }}건을 접수했습니다.\n\n"
        "{% for request in requests %}- [{{ request.category }}] {{ request.text }}\n"
        "{% endfor %}{% if comments %}\n의견: {{ comments }}\n{% endif %}\n"
        "{{ deadline }}까지 아래 링크에서 보고 고칠 수 있습니다.\n{{ link }}"
    ),
    "subject_en": "Received: your requests after {{ meeting.title_en|default:meeting.title }}",
    "body_en": (
        "Dear {{ recipient.name }},\n\n"
        "We received {{ requests|length }} request(s) from "
        "{{ organization.name_en|default:organization.name }}.\n\n"
        "{% for request in requests %}- [{{ request.category }}] {{ request.text }}\n"
        "{% endfor %}{% if comments %}\nComments: {{ comments }}\n{% endif %}\n"
        "You can see and edit them until {{ deadline }}:\n{{ link }}"
    ),
    "variables": {
        **FEEDBACK_VARIABLES,
        "requests": Var(
            _("the requests the organization has sent"),
            fields={
                "category": Var(_("its category"), source="get_category_display"),
                "text": Var(_("what was asked")),
            },
            many=True,
            item="request",
        ),
        "comments": Var(_("the organization's comments (may be empty)")),
    },
}

# The rules a new system starts with (RuleKind.default): coordinators edit or switch them off
# under Reminder rules.
REQUEST_RULE = {
    "name": "간담회 종료 2시간 후 의견 요청",
    "offset": datetime.timedelta(hours=2),
    **REQUEST,
}
NON_RESPONDER_RULE = {
    "name": "마감 3일 전 미응답 기관 재안내",
    "offset": datetime.timedelta(days=3),
    **NON_RESPONDER,
}
