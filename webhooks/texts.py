"""Wording of the email telling an owner that their webhook subscription was switched off."""

from django.utils.translation import gettext_lazy as _

from notifications.templating import Var

DISABLED = {
    "subject_ko": "[웹훅 중지] {{ subscription.url }}",
    "body_ko": (
        "{{ recipient.name }} 님께,\n\n"
        "웹훅 구독의 전송을 중지했습니다.\n\n"
        "주소: {{ subscription.url }}\n"
        "{% if subscription.description %}설명: {{ subscription.description }}\n{% endif %}"
        "사유: {{ reason }}\n\n"
        "받는 쪽을 고친 뒤 구독을 다시 켜면 기다리던 이벤트부터 다시 보냅니다: {{ url }}"
    ),
    "subject_en": "[Webhook switched off] {{ subscription.url }}",
    "body_en": (
        "Dear {{ recipient.name }},\n\n"
        "Deliveries to your webhook subscription were stopped.\n\n"
        "URL: {{ subscription.url }}\n"
        "{% if subscription.description %}Description: {{ subscription.description }}\n"
        "{% endif %}"
        "Reason: {{ reason }}\n\n"
        "Once the receiver is fixed, switch the subscription on again and the waiting events "
        "go out: {{ url }}"
    ),
    "variables": {
        "subscription": Var(
            _("the subscription"),
            fields={"url": Var(_("its URL")), "description": Var(_("its description"))},
        ),
        "reason": Var(_("why it was switched off")),
        "url": Var(_("the subscription's page in the admin")),
    },
}
