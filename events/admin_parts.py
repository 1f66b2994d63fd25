"""What the apps above events add to the meeting admin, registered from their own module.

events imports no higher app: `followups`, `pledges` and `feedback` register their parts here
from their `meeting_admin.py`, loaded in their AppConfig.ready() (as reminder kinds register
with notifications/registry.py). The meeting admin reads the registry on every request, so the
order in which apps load does not matter; `order` places a part among the others.

- inline: an inline on a meeting's page, after events' own. One that can add, change or
  delete rows names its `save(request, formset)`, which writes each row through its app's
  services; one without `save` is read only (and is never saved).
- panel: a read-only block of a meeting's page, a display callable in a fieldset of its own.
- figures: lines of the meeting's "At a glance" summary, as (label, value) pairs.
- column: a column of the meeting list, a display callable (with its `ordering`).
- annotation: an aggregate the meeting list's rows carry, named for a column to read.
- action: an action of the meeting list, offered to those `allowed(request)` lets.

Every inline on the page, events' own and the others', is built on `MeetingInline`: collapsed
under its heading, and its rows cost no query each (see there).
"""

import dataclasses
import re
from collections.abc import Callable, Iterable

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.db.models import Count, Expression, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

# The rows of each part a meeting's page holds as forms; the rest are edited in their list.
# Fifty attendees as forms made a page of most of a megabyte that took seconds to render.
ROWS_SHOWN = 5


class _NamedFromTheRow(AutocompleteSelect):
    """An autocomplete choice that names its chosen row from the object the form's row
    already holds (loaded with select_related), where Django's asks the database once per
    row, and an empty one without building a query; any other value is looked up as Django
    does."""

    chosen = None

    def optgroups(self, name, value, attr=None):
        chosen = self.chosen
        selected = [str(v) for v in value if v not in ("", None)]
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        if not selected:
            return [(None, options, 0)]  # nothing chosen: nothing to look up
        if chosen is None or selected != [str(chosen.pk)]:
            return super().optgroups(name, value, attr)
        label = self.choices.field.label_from_instance(chosen)
        options.append(self.create_option(name, chosen.pk, label, True, len(options)))
        return [(None, options, 0)]


class RowForm(forms.ModelForm):
    """The form of a row of a `MeetingInline` (a custom one subclasses it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, _NamedFromTheRow):
                widget.chosen = getattr(self.instance, name)


# Text whose line breaks and indentation are content: kept as it is.
_VERBATIM = re.compile(r"(<(textarea|pre|script)\b.*?</\2>)", re.S | re.I)
_INDENTED_BREAK = re.compile(r"\s*\n\s*")


def compact_html(response):
    """Drops the indentation and blank lines the admin's templates leave between tags (a third
    of a meeting's page), outside text areas, preformatted text and scripts."""
    parts = _VERBATIM.split(response.content.decode(response.charset))
    # split() gives text, then each verbatim block with its tag name, then text again.
    compacted = [
        _INDENTED_BREAK.sub("\n", part) if n % 3 == 0 else part
        for n, part in enumerate(parts)
        if n % 3 != 2
    ]
    response.content = "".join(compacted)
    return response


class BoundedFormSet(BaseInlineFormSet):
    """The first ROWS_SHOWN rows as forms, and how many there are in all, read in the same
    query (a window count taken before the slice)."""

    def get_queryset(self):
        if not hasattr(self, "_shown"):
            rows = super().get_queryset().annotate(rows_total=Window(Count("pk")))
            self._shown = rows[:ROWS_SHOWN]
        return self._shown

    @property
    def rows_total(self) -> int:
        rows = self.get_queryset()
        return rows[0].rows_total if rows else 0

    def bounded_note(self) -> str:
        """What the page says of the rows it leaves out, with a link to their list."""
        total = self.rows_total
        if total <= ROWS_SHOWN:
            return ""
        opts = self.model._meta
        note = _("The first %(shown)d of %(total)d %(rows)s are here to edit.") % {
            "shown": ROWS_SHOWN,
            "total": total,
            "rows": opts.verbose_name_plural,
        }
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            return format_html('<p class="help bounded-rows">{}</p>', note)
        return format_html(
            '<p class="help bounded-rows">{} <a href="{}?meeting__id__exact={}">{}</a></p>',
            note,
            url,
            self.instance.pk,
            _("Every one, to filter and edit, in their list"),
        )


class MeetingInline:
    """What an inline on a meeting's page is built on (before Django's inline class): it is
    collapsed under its heading (a <details>, opened by the page's section links or when it
    has errors), and a page of many rows costs the queries of one. Its autocomplete fields
    name their chosen row from the row's own object, so get_queryset should select_related
    them; the choices carry no add, change, delete or view link (those rows are edited on
    their own pages, and the links were most of the page's weight and rendering time)."""

    classes = ["collapse"]
    form = RowForm
    formset = BoundedFormSet

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's tabular or stacked rows, under the note of the rows left out.
        self.rows_template = self.template
        self.template = "admin/events/edit_inline/bounded.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            using = kwargs.get("using")
            kwargs["widget"] = _NamedFromTheRow(db_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget = field.widget.widget  # the choice alone: its links cost most
        return field


@dataclasses.dataclass(frozen=True)
class Inline:
    inline: type
    order: int = 100
    # (request, formset) -> None: each row through the app's services. None: read only.
    save: Callable | None = None


@dataclasses.dataclass(frozen=True)
class Panel:
    title: str
    # (meeting) -> HTML, decorated with @admin.display(description=...).
    display: Callable
    order: int = 100


@dataclasses.dataclass(frozen=True)
class Figures:
    # (meeting) -> [(label, value), ...]
    rows: Callable[..., Iterable[tuple]]
    order: int = 100


@dataclasses.dataclass(frozen=True)
class Column:
    # (meeting) -> value, decorated with @admin.display(description=..., ordering=...).
    display: Callable
    order: int = 100


def rows_of(queryset, to: str = "meeting") -> Expression:
    """How many rows of `queryset` point at each meeting, as an annotation the meeting list
    can sort by. A subquery, counted for the page's rows only: a join counted with GROUP BY
    would aggregate every meeting before the page is taken."""
    counted = (
        queryset.filter(**{to: OuterRef("pk")})
        .order_by()
        .values(to)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


@dataclasses.dataclass(frozen=True)
class Annotation:
    name: str
    expression: Expression


@dataclasses.dataclass(frozen=True)
class Action:
    name: str
    description: str
    # (modeladmin, request, queryset), as Django calls an admin action.
    run: Callable
    # (request) -> bool: who is offered the action.
    allowed: Callable
    order: int = 100


_parts: dict[type, dict[str, object]] = {
    kind: {} for kind in (Inline, Panel, Figures, Column, Annotation, Action)
}


def _key(part) -> str:
    if isinstance(part, Inline):
        return part.inline.model._meta.label
    if isinstance(part, Annotation | Action):
        return part.name
    function = part.rows if isinstance(part, Figures) else part.display
    return f"{function.__module__}.{function.__qualname__}"


def register(part):
    """Adds a part (registering the same one again replaces it). One inline per model: the
    meeting admin saves a formset by the part of its model."""
    _parts[type(part)][_key(part)] = part
    return part


def _ordered(kind) -> list:
    return sorted(_parts[kind].values(), key=lambda part: part.order)


def inlines() -> list[Inline]:
    return _ordered(Inline)


def inline_for(model) -> Inline | None:
    return _parts[Inline].get(model._meta.label)


def panels() -> list[Panel]:
    return _ordered(Panel)


def figures() -> list[Figures]:
    return _ordered(Figures)


def columns() -> list[Column]:
    return _ordered(Column)


def annotations() -> dict[str, Expression]:
    return {part.name: part.expression for part in _parts[Annotation].values()}


def actions() -> list[Action]:
    return _ordered(Action)
