"""What this app holds about people (stakeholders.holders): the emails sent to them, and
the addresses that asked for no more reminders."""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Cast, Concat

from stakeholders import holders
from stakeholders.models import Person

from .models import OutboundEmail, Unsubscription


def emails_forget(erasure: holders.Erasure) -> None:
    """An erased contact's emails keep their kind, subject and times, not the address, the
    text (which named them), the headers (the unsubscribe link carries the address) or the
    error a refusal left (which quotes it). One not sent yet is never sent."""
    # Still unique per email: the key held the address, now it holds the row's id.
    erased = Concat(Value("erased-"), Cast("pk", models.CharField()), Value("@invalid"))
    unsent = [OutboundEmail.State.QUEUED, OutboundEmail.State.SENDING]
    OutboundEmail.objects.filter(person=erasure.person).update(
        recipient=erased,
        body_text="",
        body_html="",
        headers={},
        last_error="",
        state=Case(
            When(state__in=unsent, then=Value(OutboundEmail.State.FAILED)),
            default=F("state"),
        ),
    )


def unsubscriptions_forget(erasure: holders.Erasure) -> None:
    """An erased contact's opt-outs go with their address, unless another contact or an
    account still uses it."""
    if not erasure.email:
        return
    others = Person.objects.filter(email=erasure.email).exclude(pk=erasure.person.pk)
    accounts = get_user_model().objects.filter(email__iexact=erasure.email)
    if not (others.exists() or accounts.exists()):
        Unsubscription.objects.filter(email=erasure.email).delete()


def unsubscriptions_export(person) -> dict:
    rows = Unsubscription.objects.filter(email=person.email)
    if not (person.email and rows.exists()):
        return {}
    return {Unsubscription._meta.label: holders.serialized(rows)}


holders.register(
    holders.Holder(
        model=OutboundEmail,
        people=("person",),
        details=("recipient", "body_text", "body_html", "headers", "last_error"),
        kept=("subject", "from_email"),  # the subject names no one; the sender is the site
        forget=emails_forget,
        traces=(("person", "created_at"),),
    )
)
holders.register(
    holders.Holder(
        model=Unsubscription,
        details=("email",),
        forget=unsubscriptions_forget,
        export=unsubscriptions_export,
    )
)
