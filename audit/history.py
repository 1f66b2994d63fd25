import dataclasses
import datetime

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.forms.models import _get_foreign_key
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange

from events.dates import moment

ACTIONS = {
    "+": pgettext_lazy("a change in a history", "Added"),
    "~": pgettext_lazy("a change in a history", "Changed"),
    "-": pgettext_lazy("a change in a history", "Deleted"),
}
EMPTY = "—"
# Rows a company writes through its personal feedback link, with no staff account: the contact
# the row names wrote it. A row that says where it came from (`source`) says so only when it
# came from the form.
FORM_AUTHORS = {"feedback.Feedback": "submitted_by", "followups.StakeholderRequest": "person"}
FORM_SOURCE = "feedback_form"
NOBODY = gettext_lazy("the system")


@dataclasses.dataclass
class Entry:
    """One change on a history page, as a reader reads it."""

    record: models.Model
    when: datetime.datetime
    when_text: str  # in Seoul time, as every page writes a moment
    action: str
    author: str
    changes: list = dataclasses.field(default_factory=list)
    reason: str = ""
    subject: str = ""  # on a timeline: the row the change is about ("참석: 이철수 · 기업 · 참석")
    url: str = ""  # its past version's page


def shown(field, value):
    """A stored value as the change form shows it: a choice's label, yes or no, a date or a
    time in the project's one format (Seoul time), a dash for nothing."""
    if value is None or value == "":
        return EMPTY
    if getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


def readable(model, delta):
    """`delta.changes` with each value as the reader knows it (foreign keys stay objects, for
    the admin's helper to name them)."""
    changes = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField | models.ForeignKey):
            # An empty key is nothing, not "Deleted user (pk=None)".
            old, new = (
                EMPTY if isinstance(value, DeletedObject) and value.pk is None else value
                for value in (change.old, change.new)
            )
            changes.append(dataclasses.replace(change, old=old, new=new))
            continue
        changes.append(
            ModelChange(
                field=change.field, old=shown(field, change.old), new=shown(field, change.new)
            )
        )
    return dataclasses.replace(delta, changes=changes)


def full_name(user) -> str:
    """A user's name as it is written: Korean names family name first, with no space
    ("박영희"), others as Django writes them ("Younghee Park")."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if any("\uac00" <= c <= "\ud7a3" for c in first + last):
        return f"{last}{first}"
    return user.get_full_name()


def author(record, users, contacts, label) -> str:
    """Who made a change: a staff member by full name and ministry ("김담당 (과학기술정보통신부)"),
    a company's contact through the feedback form ("이철수 (포스코, 의견 양식)"), else the
    system (a command, a scheduled task)."""
    user = users.get(record.history_user_id)
    if user is not None:
        # Their contact record (an officer's) names them as their ministry knows them.
        person = getattr(user, "person", None)
        name = full_name(user) or (person and person.name) or user.get_username()
        if person is not None:
            return _("%(name)s (%(organization)s)") % {
                "name": name,
                "organization": person.organization.name,
            }
        return name
    field = FORM_AUTHORS.get(label)
    contact = contacts.get(getattr(record, f"{field}_id", None)) if field else None
    if contact is not None and getattr(record, "source", FORM_SOURCE) == FORM_SOURCE:
        return _("%(name)s (%(organization)s, feedback form)") % {
            "name": contact.name,
            "organization": contact.organization.name,
        }
    return str(NOBODY)


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin with a History page that shows who changed which field, and a page per past
    version that only shows it. Changes go through the change form and the app's services:
    a past version is never saved back from its history page (django-simple-history would save
    it even for a user who may only view, and around the rules the services keep).

    The History page reads as the change form does (labels, not codes; Seoul time; people by
    name) and is one timeline of the object and of the rows edited on its page (its inlines:
    a meeting's attendances, requests, presentations), each as far as the reader may see it."""

    object_history_template = "admin/history/object_history.html"
    object_history_form_template = "admin/history/object_history_form.html"
    history_list_per_page = 50

    def revert_disabled(self, request, obj=None):
        return True

    def object_key(self, object_id):
        """The primary key an admin URL names; 404 for one that cannot be a key ("abc")."""
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error

    def history_view(self, request, object_id, extra_context=None):
        key = self.object_key(object_id)
        pk_name = self.model._meta.pk.attname
        records = self.get_history_queryset(request, self.model.history, pk_name, key)
        obj = self.get_queryset(request).filter(pk=key).first()
        if obj is None:
            latest = records.first()
            if latest is None:
                raise Http404
            obj = latest.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        entries = self.history_entries(request, self, records, subject="")
        for part, part_records, subjects in self.history_parts(request, obj):
            entries += part.history_entries(request, part, part_records, subject=subjects)
        entries.sort(key=lambda entry: (entry.when, entry.record.history_id), reverse=True)
        page = Paginator(entries, self.history_list_per_page).get_page(request.GET.get("p"))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "module_name": capfirst(opts.verbose_name_plural),
            "object": obj,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "timeline": any(entry.subject for entry in entries),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def history_parts(self, request, obj):
        """The rows edited on the object's page, for its timeline: per inline whose rows keep
        a history, the admin of those rows, their history records the reader may see, and
        each row's name. A row another admin narrows for the reader (an officer: another
        ministry's request) is left out, and so are removed rows when any is."""
        parts = []
        for inline in self.get_inline_instances(request, obj):
            model = inline.model
            part = self.admin_site._registry.get(model)
            if not isinstance(part, HistoryAdmin) or not inline.has_view_permission(request, obj):
                continue
            try:
                fk = _get_foreign_key(self.model, model, fk_name=inline.fk_name).name
            except ValueError:
                continue  # not a plain foreign key to the object (a generic relation)
            rows = model._base_manager.filter(**{fk: obj.pk})
            visible = part.get_queryset(request).filter(**{fk: obj.pk})
            related = [f.name for f in model._meta.concrete_fields if f.is_relation]
            names = {row.pk: str(row) for row in visible.select_related(*related)}
            records = model.history.filter(**{f"{fk}_id": obj.pk})
            if len(names) < rows.count():
                records = records.filter(**{f"{model._meta.pk.attname}__in": list(names)})
            subjects = {"label": capfirst(model._meta.verbose_name), "names": names}
            parts.append((part, records._select_related_history_tracked_objs(), subjects))
        return parts

    def history_entries(self, request, admin, records, *, subject) -> list[Entry]:
        """The records of one model, newest first, as entries: each change against the
        version before it of the same row."""
        model = admin.model
        label = model._meta.label
        records = list(records.order_by(model._meta.pk.attname, "history_id"))
        users = (
            get_user_model()
            ._base_manager.select_related("person__organization")
            .in_bulk({r.history_user_id for r in records if r.history_user_id})
        )
        contacts = {}
        if label in FORM_AUTHORS:
            field = model._meta.get_field(FORM_AUTHORS[label])
            ids = {getattr(r, f"{field.name}_id") for r in records if not r.history_user_id}
            contacts = field.related_model._base_manager.select_related("organization").in_bulk(
                ids - {None}
            )
        pk = model._meta.pk.attname
        entries, previous = [], None
        for record in records:
            if previous is not None and getattr(previous, pk) != getattr(record, pk):
                previous = None
            changes = []
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous, foreign_keys_are_objs=True)
                helper = admin.get_historical_record_context_helper(request, record)
                changes = helper.context_for_delta_changes(readable(model, delta))
            row = getattr(record, pk)
            entries.append(
                Entry(
                    record=record,
                    when=record.history_date,
                    when_text=moment(record.history_date),
                    action=str(ACTIONS.get(record.history_type, record.history_type)),
                    author=author(record, users, contacts, label),
                    changes=changes,
                    reason=record.history_change_reason or "",
                    subject=(
                        f"{subject['label']}: {subject['names'].get(row) or record.instance}"
                        if subject
                        else ""
                    ),
                    url=self._version_url(model, row, record.history_id),
                )
            )
            previous = record
        return entries

    def _version_url(self, model, row, version) -> str:
        opts = model._meta
        try:
            return reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_simple_history",
                args=[row, version],
            )
        except NoReverseMatch:
            return ""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        self.object_key(object_id)
        if not str(version_id).isdecimal():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
