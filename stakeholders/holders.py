"""Contact holders: what each app keeps about people and organizations, and what to do with it.

`stakeholders` is the lowest app: it knows no meetings, requests or emails. Each app that
points at a contact or an organization, or keeps a copy of a person's details, registers a
`Holder` per model from its own `privacy.py`, loaded in its `AppConfig.ready()`. Merging
organizations, erasing a contact (on request or when the retention period is over), finding a
contact's last trace and answering an access request all read this registry, never the models'
relations. The system check below refuses a foreign key to a person or an organization, or a
field that looks like a person's details, that no holder covers: a new model that stores
contacts' data and is left out of erasure fails `manage.py check` (and migrate, runserver)
and the test suite (stakeholders/tests/test_holders.py).
"""

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.core import checks, serializers
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction

# Link secrets are not personal data about the contact, and must not leave the system.
SECRET_FIELDS = {"salt", "token_hash"}


@dataclasses.dataclass(frozen=True)
class Erasure:
    """One contact whose personal details are being erased. `name` and `email` are what the
    contact carried before the erasure began, whatever order the holders run in."""

    person: Any
    placeholder: str
    reason: str
    now: datetime.datetime
    name: str
    email: str


@dataclasses.dataclass(frozen=True)
class Merge:
    """`other` is being merged into `keep`; `reason` goes into every changed row's history."""

    keep: Any
    other: Any
    reason: str


@dataclasses.dataclass(frozen=True)
class Holder:
    """What one model holds about people and organizations.

    - `people`, `organizations`: its foreign keys to a Person, to an Organization. Its past
      versions (django-simple-history) have the same keys and are covered with it; they keep
      the organization they named at the time when organizations merge.
    - `details`: its fields that keep a copy of a person's details (names, positions, emails,
      phones, text about them); `forget` erases them, in the model and in its past versions.
    - `kept`: fields that look like a person's details and are kept on purpose (a file's name,
      part of what a company asked).
    - `forget(erasure)`: erases what the model keeps about `erasure.person`.
    - `merge(merge) -> (moved, folded)`: moves what points at `merge.other` to `merge.keep`.
      By default each row of `organizations` is moved with a note in its history; a row that
      would duplicate one `keep` already has is handed to `fold(row, keep)`, which folds it in
      and deletes it, and without `fold` the merge stops.
    - `export(person) -> {label: rows}`: its part of an access request. By default the rows
      whose `people` name the person and, when the model copies details, their past versions;
      `exported=False` leaves the model out.
    - `traces`: (person key, timestamp) pairs: a row that names the person, stamped within the
      retention period, keeps them from being anonymised.
    """

    model: type[models.Model]
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    forget: Callable[[Erasure], None] | None = None
    merge: Callable[[Merge], tuple[int, int]] | None = None
    fold: Callable[[models.Model, Any], None] | None = None
    export: Callable[[Any], dict] | None = None
    exported: bool = True
    traces: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label


_holders: dict[str, Holder] = {}


def register(holder: Holder) -> Holder:
    _holders[holder.label] = holder
    return holder


def registered() -> list[Holder]:
    return list(_holders.values())


# --- What the services ask ------------------------------------------------------------------


def forget(erasure: Erasure) -> None:
    """Every holder erases its copy of the contact's details."""
    for holder in registered():
        if holder.forget is not None:
            holder.forget(erasure)


def merge(*, keep, other, reason) -> tuple[int, int]:
    """Moves every row that points at `other` to `keep`; returns (moved, folded)."""
    moved = folded = 0
    for holder in registered():
        merging = Merge(keep=keep, other=other, reason=reason)
        rows_moved, rows_folded = (
            holder.merge(merging) if holder.merge else _move_rows(holder, merging)
        )
        moved += rows_moved
        folded += rows_folded
    return moved, folded


def _move_rows(holder: Holder, merging: Merge) -> tuple[int, int]:
    moved = folded = 0
    keep = merging.keep
    for field in holder.organizations:
        for row in holder.model._default_manager.filter(**{field: merging.other}):
            setattr(row, field, keep)
            row._change_reason = merging.reason
            try:
                with transaction.atomic():
                    row.save(update_fields=[field])
                moved += 1
            except IntegrityError:
                if holder.fold is None:
                    raise
                holder.fold(row, keep)
                folded += 1
    return moved, folded


def export(person) -> dict[str, list]:
    """Every holder's rows about the contact, by model label."""
    held = {}
    for holder in registered():
        if not holder.exported:
            continue
        if holder.export is not None:
            held.update(holder.export(person))
            continue
        naming = _naming(holder.people, person.pk)
        if naming is None:
            continue
        current = holder.model._default_manager.filter(naming)
        if current.exists():
            held[holder.label] = serialized(current)
        history = history_model(holder.model)
        if holder.details and history is not None:
            past = history._default_manager.filter(naming)
            if past.exists():
                held[history._meta.label] = serialized(past)
    return held


def recent_traces(cutoff) -> Iterable[models.QuerySet]:
    """For each declared trace, the ids of the people it names since `cutoff`."""
    for holder in registered():
        for field, stamp in holder.traces:
            yield (
                holder.model._default_manager.filter(
                    **{f"{stamp}__gte": cutoff, f"{field}__isnull": False}
                )
                .values(field)
                .distinct()
            )


def _naming(fields, person_id) -> models.Q | None:
    if not fields:
        return None
    q = models.Q()
    for field in fields:
        q |= models.Q(**{f"{field}_id": person_id})
    return q


def serialized(queryset) -> list[dict]:
    """Rows as Django's serializer writes them, link secrets left out."""
    fields = [f.name for f in queryset.model._meta.concrete_fields if f.name not in SECRET_FIELDS]
    return serializers.serialize("python", queryset, fields=fields)


def history_model(model) -> type[models.Model] | None:
    """The model of `model`'s past versions (django-simple-history), if it keeps them."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


# --- The system check -----------------------------------------------------------------------

# Field names that hold a person's details wherever they appear.
DETAIL_NAMES = re.compile(r"(^|_)(e?mail|email_address|phone|mobile|fax|position)(_|$)")
# Field names that hold a person's name in a model about people (one that points at a person).
NAME_NAMES = re.compile(r"(^|_)(name|full_name|first_name|last_name)(_en)?$")


def contact_holders_covered(app_configs=None, *, registry=None, models_to_check=None, **kwargs):
    """Errors for every foreign key or one-to-one field to a Person or an Organization, and
    every field that looks like a copy of a person's details (an email field; a phone,
    position or email by its name; a name in a model that points at a person), in any
    installed app, past versions included, that no holder covers; and for holders that name
    fields their model lacks or keep details they never erase."""
    from django.apps import apps

    from .models import Organization, Person

    registry = _holders if registry is None else registry
    if models_to_check is None:
        configs = app_configs or apps.get_app_configs()
        models_to_check = [
            model for config in configs for model in config.get_models(include_auto_created=True)
        ]
    errors = []
    for holder in registry.values():
        errors += _holder_errors(holder, Person, Organization)
    for model in models_to_check:
        base = getattr(model, "instance_type", None) or model  # past versions: their model
        holder = registry.get(base._meta.label)
        covered = set()
        if holder is not None:
            covered = {*holder.people, *holder.organizations, *holder.details, *holder.kept}
        about_people = base is Person or any(
            _points_at(field) is Person for field in base._meta.get_fields()
        )
        project = _in_project(model)
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.name in covered:
                continue
            target = _points_at(field)
            if target in (Person, Organization):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} points at a {target._meta.model_name} "
                        "but no contact holder covers it: merges, erasure and access requests "
                        "would miss it.",
                        hint=f"Register a stakeholders.holders.Holder for {base._meta.label} "
                        f"naming {field.name!r} in its people or organizations, from the "
                        "app's privacy.py.",
                        obj=model,
                        id="stakeholders.E010",
                    )
                )
            elif project and _looks_personal(field, about_people):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} looks like a copy of a person's "
                        "details but no contact holder covers it: an erasure would leave it.",
                        hint=f"List {field.name!r} in the details (erased by its forget) or "
                        f"the kept fields of the holder of {base._meta.label}.",
                        obj=model,
                        id="stakeholders.E011",
                    )
                )
    return errors


def _holder_errors(holder, Person, Organization) -> list:
    errors = []
    wanted = {
        **dict.fromkeys(holder.people, Person),
        **dict.fromkeys(holder.organizations, Organization),
        **dict.fromkeys((*holder.details, *holder.kept)),
        **{name: Person for name, _stamp in holder.traces},
        **{stamp: None for _name, stamp in holder.traces},
    }
    for name, target in wanted.items():
        try:
            field = holder.model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or (target is not None and _points_at(field) is not target):
            what = f"a key to {target._meta.model_name}" if target else "a field"
            errors.append(
                checks.Error(
                    f"The contact holder of {holder.label} names {name!r}, which is not "
                    f"{what} of that model.",
                    obj=holder.model,
                    id="stakeholders.E012",
                )
            )
    if holder.details and holder.forget is None:
        errors.append(
            checks.Error(
                f"The contact holder of {holder.label} keeps details "
                f"({', '.join(holder.details)}) but has no forget to erase them.",
                obj=holder.model,
                id="stakeholders.E013",
            )
        )
    return errors


def _points_at(field):
    if getattr(field, "concrete", False) and (field.many_to_one or field.one_to_one):
        return field.related_model
    return None


def _looks_personal(field, about_people) -> bool:
    if field.is_relation or not isinstance(field, models.CharField | models.TextField):
        return False
    if field.name.startswith("history_"):
        return False  # django-simple-history's own columns
    return (
        isinstance(field, models.EmailField)
        or bool(DETAIL_NAMES.search(field.name))
        or (about_people and bool(NAME_NAMES.search(field.name)))
    )


def _in_project(model) -> bool:
    """Models of the project's own apps (not Django's or third parties')."""
    from django.conf import settings

    path = Path(model._meta.app_config.path)
    return path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts
