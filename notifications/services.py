"""Queueing, sending and scanning: every email goes through here.

Exactly once, where it can be: an email is a row with a unique key, so it is queued once
whoever asks; a worker claims a batch (`FOR UPDATE SKIP LOCKED` on PostgreSQL) before sending,
so two workers never send the same row; a row whose worker died in `sending` goes back to the
queue after settings.EMAIL_STUCK_AFTER. The one window no database closes, a worker killed
after the SMTP server accepted a message and before the row was marked sent, resends the same
Message-ID.

Services are named `<entity>_<action>` and take keyword arguments only: `email_*` act on the
emails given, `outbox_*` on the whole queue; reads are in selectors. This module imports the
tasks; the tasks import it inside their bodies, so neither import waits for the other.
"""

import contextlib
import dataclasses
import datetime
import logging
import select
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.db.models.sql import UpdateQuery
from django.template import TemplateSyntaxError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from psycopg import ClientCursor, pq

from links import registry as link_kinds

from . import registry, selectors, templating
from .models import OutboundEmail, ReminderRule, Unsubscription
from .tasks import drain_outbox

log = logging.getLogger(__name__)

BATCH_SIZE = 20
MAX_ATTEMPTS = 5
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def _backoff(attempts: int) -> datetime.timedelta:
    """1, 4, 16, 64 minutes after the first, second, third and fourth failure."""
    return datetime.timedelta(minutes=4 ** (attempts - 1))


# --- Queueing -------------------------------------------------------------------------------


def email_build(
    *,
    kind: str,
    recipient: registry.Recipient,
    subject: str,
    body_text: str,
    body_html: str = "",
    subject_type: str = "",
    subject_id: str = "",
    occurrence: str = "",
    headers=None,
    attachments=(),
    rule=None,
    link_ref: str = "",
) -> OutboundEmail:
    """An unsaved outbox row with a fresh Message-ID; `email_queue` stores it."""
    return OutboundEmail(
        kind=kind,
        recipient=recipient.email,
        subject_type=subject_type,
        subject_id=subject_id,
        occurrence=occurrence,
        rule=rule,
        person_id=recipient.person_id,
        user_id=recipient.user_id,
        language=recipient.language,
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        attachments=list(attachments),
        message_id=make_msgid(domain=_site_host()),
        link_ref=link_ref,
    )


def email_queue(*, emails: list[OutboundEmail]) -> int:
    """Stores the rows whose key is new and wakes a worker after commit; returns how many.

    Part of the caller's transaction: an email exists exactly when its cause does.
    """
    if not emails:
        return 0
    with transaction.atomic():
        OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True)
        # Message-IDs are fresh, so the rows that carry ours are the ones this call stored.
        queued = OutboundEmail.objects.filter(
            message_id__in=[email.message_id for email in emails]
        ).count()
        if queued:
            transaction.on_commit(outbox_wake)
    return queued


def outbox_wake() -> None:
    """Asks a worker to drain the outbox now. Only a wake-up: the minute scan drains too, so a
    broker that is down delays mail and loses none."""
    try:
        drain_outbox.apply_async(retry=False)
    except Exception:  # the broker is down; the next scan sends
        log.warning("Could not reach the Celery broker; the next scan sends the email.")


def unsubscription_url(*, email: str, kind: str) -> str:
    """The signed link that opts `email` out of `kind` (the link is the proof: nothing stored)."""
    token = signing.dumps({"e": email, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)
    return f"{settings.SITE_URL}/unsubscribe/{token}/"


def unsubscription_parse(*, token: str) -> tuple[str, str] | None:
    """(email, kind) from an unsubscribe link, or None when it is not one of ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return data["e"], data["k"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def unsubscription_create(*, email: str, kind: str) -> None:
    """Opts `email` out of the emails of `kind` (asking twice is harmless)."""
    Unsubscription.objects.get_or_create(email=email.lower(), kind=kind)


# --- Reminder rules -------------------------------------------------------------------------


def rule_render(
    *, rule: ReminderRule, due: registry.Due, unsubscribable=True, variables=None, headers=None
) -> OutboundEmail:
    """The rule's email for one due item, in the recipient's language. The templates see
    `link`, which becomes the due item's personal link when the email is sent. The HTML part
    is the text escaped, in the layout: nothing anybody typed becomes markup. `link` is empty
    when the due item has none (`{% if link %}`). `headers` are added (a Reply-To)."""
    spec = registry.get(rule.kind)
    language = due.recipient.language if due.recipient.language in ("ko", "en") else "ko"
    unsubscribe = (
        unsubscription_url(email=due.recipient.email, kind=rule.kind) if unsubscribable else ""
    )
    with translation.override(language):
        link = registry.LINK_MARKER if due.link_ref else ""
        context = {**due.context, "recipient": due.recipient, "link": link}
        subject, body = rule_texts(
            rule=rule, language=language, context=context, variables=variables
        )
        privacy = settings.SITE_URL + reverse("privacy")
        links = {"unsubscribe_url": unsubscribe, "privacy_url": privacy}
        html = render_to_string(
            "notifications/email.html", {"subject": subject, "body": body, **links}
        )
        footer = render_to_string("notifications/footer.txt", links)
    headers = dict(headers or {})
    if unsubscribable:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
    if unsubscribable and spec and spec.bulk:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return email_build(
        kind=due.outbox_kind or rule.outbox_kind,
        recipient=due.recipient,
        subject=subject,
        body_text=f"{body}\n\n{footer}",
        body_html=html,
        subject_type=due.subject_type,
        subject_id=due.subject_id,
        occurrence=due.occurrence,
        headers=headers,
        attachments=due.attachments,
        rule=rule if rule.pk else None,  # texts of an unsaved rule: a one-off email
        link_ref=due.link_ref,
    )


def rule_texts(
    *, rule: ReminderRule, language: str, context: dict, variables=None
) -> tuple[str, str]:
    """Subject and text body from the rule's templates, rendered in the sandbox against the
    variables its kind declares, or `variables` (a one-off email's; see templating)."""
    subject = rule.subject_en if language == "en" else rule.subject_ko
    body = rule.body_en if language == "en" else rule.body_ko
    variables = registry.variables_of(rule.kind, variables)
    return (
        " ".join(templating.render(subject, variables, context).split()),
        templating.render(body, variables, context),
    )


def rule_problems(*, kind: str, templates: dict[str, str]) -> dict[str, list[str]]:
    """For each named template (field → text) what a coordinator must fix before saving."""
    variables = registry.variables_of(kind)
    found = {field: templating.problems(text or "", variables) for field, text in templates.items()}
    return {field: problems for field, problems in found.items() if problems}


def reminder_scan(*, now=None) -> int:
    """Queues every email that enabled rules say is due now; returns how many were new."""
    now = now or timezone.now()
    queued = 0
    for rule, spec in selectors.rules_maybe_due_list(now=now):
        try:
            queued += due_queue(rule=rule, dues=list(spec.find_due(rule, now)))
        except TemplateSyntaxError:  # stored around the admin's check; the others still go
            log.exception("Reminder rule %s has a template that does not compile.", rule.pk)
    outbox_sweep(now=now)
    return queued


def due_queue(*, rule: ReminderRule, dues) -> int:
    """Queues the rule's email for each due item not yet queued and not opted out of."""
    if not dues:
        return 0
    opted_out = selectors.unsubscription_email_set(
        kind=rule.kind, emails=[d.recipient.email for d in dues]
    )
    fresh = [
        d
        for d in selectors.due_unqueued_list(rule=rule, dues=dues)
        if d.recipient.email not in opted_out
    ]
    return email_queue(emails=[rule_render(rule=rule, due=due) for due in fresh])


def message_queue(*, kind: str, wording: dict, dues, headers=None) -> int:
    """Queues emails no reminder rule sends, worded by `wording` (a rule's subject and body
    templates): invitations, confirmations, answers, assignments. Each answers something
    the recipient did or is asked to do, so they carry no unsubscribe link and ignore
    opt-outs; each is queued once per (kind, recipient, subject, occurrence). The wording's
    "variables" declare what its templates may use; `headers` go on every email (Reply-To)."""
    texts = {field: text for field, text in wording.items() if field != "variables"}
    rule = ReminderRule(kind=kind, **texts)
    dues = [dataclasses.replace(due, outbox_kind=kind) for due in dues]
    fresh = selectors.due_unqueued_list(rule=rule, dues=dues)
    return email_queue(
        emails=[
            rule_render(
                rule=rule,
                due=due,
                unsubscribable=False,
                variables=wording["variables"],
                headers=headers,
            )
            for due in fresh
        ]
    )


# --- Sending --------------------------------------------------------------------------------


def outbox_drain(*, batch_size=BATCH_SIZE) -> int:
    """Sends queued emails, batch after batch, until none is due; returns how many went."""
    sent = 0
    while ids := outbox_claim(batch_size=batch_size):
        sent += email_send(ids=ids)
    return sent


def outbox_claim(*, batch_size=BATCH_SIZE) -> list[int]:
    """Marks up to `batch_size` due rows as this worker's; others skip them."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.due(now)
            .order_by("next_try_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch_size]
        )
        OutboundEmail.objects.filter(id__in=ids).update(
            state=OutboundEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


def email_send(*, ids) -> int:
    """Sends the claimed emails among `ids` (state `sending`), one SMTP session for them all;
    returns how many went."""
    sent = 0
    connection = get_connection(fail_silently=False)
    emails = OutboundEmail.objects.filter(id__in=ids, state=OutboundEmail.State.SENDING)
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(connection.close)
        cleanup.enter_context(_commits_unflushed())
        marks = cleanup.enter_context(_SentMarks())
        for email in emails:
            try:
                if email.link_ref:
                    marks.wait()  # the link is looked up on the same database connection
                message = _message(email, connection)
                # The last email's mark is committed before this one can be accepted.
                marks.wait()
                # One SMTP session for the batch (send_messages alone would open and close one
                # per email); after a failure the next email opens a fresh one.
                connection.open()
                connection.send_messages([message])
            except (smtplib.SMTPException, OSError, LinkRevoked) as error:
                marks.wait()
                _failed_attempt(email, error)
                connection.close()  # the next message opens a fresh session
            else:
                marks.add(email)
                sent += 1
    return sent


def _mark_sent(email: OutboundEmail) -> None:
    """Records one email as sent, at once (one statement, committed): a worker killed after
    this resends nothing it sent."""
    with db_connection.cursor() as cursor:
        cursor.execute(*_sent_statement(email))


def _sent_statement(email: OutboundEmail) -> tuple[str, tuple]:
    """The UPDATE that records `email` as sent, compiled by the ORM but not run."""
    query = OutboundEmail.objects.filter(
        pk=email.pk, state=OutboundEmail.State.SENDING
    ).query.chain(UpdateQuery)
    query.add_update_values(
        {"state": OutboundEmail.State.SENT, "sent_at": timezone.now(), "last_error": ""}
    )
    return query.get_compiler(db_connection.alias).as_sql()


class _SentMarks:
    """Each accepted email's sent mark goes to PostgreSQL at once, and is waited for only when
    the next email is about to go out (or the connection is needed for anything else): the
    worker prepares the next message while PostgreSQL commits the mark, and yet no email is
    ever accepted while an earlier one lacks its committed mark, so a worker killed mid-batch
    resends at most the one in flight. libpq's asynchronous calls on Django's connection
    (one statement in autocommit, committed by itself); other databases mark at once."""

    def __init__(self):
        self.pgconn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.wait()

    def add(self, email: OutboundEmail) -> None:
        self.wait()
        if db_connection.vendor != "postgresql":
            _mark_sent(email)
            return
        db_connection.ensure_connection()
        # _mark_sent's own statement, its values bound as psycopg binds them for Django.
        statement = ClientCursor(db_connection.connection).mogrify(*_sent_statement(email))
        pgconn = db_connection.connection.pgconn
        pgconn.send_query(statement.encode())
        while pgconn.flush():  # the connection is non-blocking: send it all now
            select.select([], [pgconn.socket], [])
        self.pgconn = pgconn

    def wait(self) -> None:
        pgconn, self.pgconn = self.pgconn, None
        if pgconn is None:
            return
        error = None
        while True:
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [])
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                break
            if result.status != pq.ExecStatus.COMMAND_OK:
                error = result.error_message.decode(errors="replace")
        if error:
            raise DatabaseError(error)


@contextlib.contextmanager
def _commits_unflushed():
    """While a batch is sent, PostgreSQL does not wait for its disk at each commit
    (synchronous_commit off for this session): every mark is committed and seen by everyone at
    once, and only a crash of the database server itself within a fraction of a second could
    lose marks and send those emails again. Waiting for the disk once per email cost the
    outbox much of its rate."""
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with db_connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _message(email: OutboundEmail, connection) -> EmailMultiAlternatives:
    body_text, body_html = email.body_text, email.body_html
    if email.link_ref:
        link = link_kinds.resolve_ref(email.link_ref)
        if link is None:
            raise LinkRevoked(email.link_ref)
        body_text = body_text.replace(registry.LINK_MARKER, link)
        body_html = body_html.replace(
            registry.LINK_MARKER, format_html('<a href="{0}">{0}</a>', link)
        )
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=body_text,
        from_email=email.from_email,
        to=[email.recipient],
        headers={**email.headers, "Message-ID": email.message_id},
        connection=connection,
    )
    if body_html:
        message.attach_alternative(body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


class LinkRevoked(Exception):
    """The email's personal link was revoked before it went out: it is not sent."""


def _failed_attempt(email: OutboundEmail, error: Exception) -> None:
    permanent = isinstance(error, LinkRevoked) or _smtp_code(error) >= 500
    if permanent or email.attempts >= MAX_ATTEMPTS:
        fields = {"state": OutboundEmail.State.FAILED}
    else:
        fields = {
            "state": OutboundEmail.State.QUEUED,
            "next_try_at": timezone.now() + _backoff(email.attempts),
        }
    OutboundEmail.objects.filter(pk=email.pk, state=OutboundEmail.State.SENDING).update(
        last_error=f"{type(error).__name__}: {error}"[:2000], **fields
    )
    log.warning("Email %s to %s not sent: %s", email.pk, email.recipient, error)


def _smtp_code(error) -> int:
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return min(code for code, _ in error.recipients.values())
    return 0


def outbox_sweep(*, now=None) -> int:
    """Puts rows whose worker died while sending back in the queue."""
    now = now or timezone.now()
    return OutboundEmail.objects.filter(
        state=OutboundEmail.State.SENDING, claimed_at__lt=now - settings.EMAIL_STUCK_AFTER
    ).update(state=OutboundEmail.State.QUEUED, next_try_at=timezone.now())


def email_retry(*, emails) -> int:
    """A coordinator's "send again" for the failed ones among `emails` (a queryset)."""
    count = emails.filter(state=OutboundEmail.State.FAILED).update(
        state=OutboundEmail.State.QUEUED, next_try_at=timezone.now(), attempts=0
    )
    if count:
        transaction.on_commit(outbox_wake)
    return count


def _site_host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
