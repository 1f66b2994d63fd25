"""What every migrate brings up to date (README, Roles; Email and reminders): the roles'
permissions, the default reminder rules and beat's periodic tasks, all declared in code. What a
coordinator changed is kept; data migrations run none of the project's code."""

import ast
import dataclasses
import datetime
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.roles import (
    COORDINATORS,
    COORDINATORS_ONLY,
    DOMAIN_APPS,
    MINISTRY_OFFICERS,
    VIEWERS,
)
from events.reminders import PRE_MEETING
from followups.reminders import DIGEST, DUE_SOON
from notifications import registry
from notifications.models import DefaultRuleRecord, ReminderRule
from ops.schedules import schedule_list

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OURS = {path.parent.name for path in ROOT.glob("*/__init__.py")}
SCAN = "notifications.tasks.scan_reminders"
PRUNE = "events.tasks.prune_meeting_changes"
ANONYMISE = "stakeholders.tasks.anonymise_contacts"
LATER_KIND = "tests.later_kind"


def migrate():
    call_command("migrate", verbosity=0, stdout=io.StringIO())


def state() -> dict:
    """Everything the migrate step may write, as comparable values."""
    return {
        "groups": {
            group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        },
        "rules": list(ReminderRule.objects.order_by("pk").values()),
        "records": sorted(DefaultRuleRecord.objects.values_list("kind", flat=True)),
        "tasks": list(
            PeriodicTask.objects.order_by("pk").values(
                "pk", "task", "name", "enabled", "interval", "crontab", "date_changed"
            )
        ),
    }


def perms(group_name, model) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        codename.split("_", 1)[0]
        for codename in group.permissions.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        ).values_list("codename", flat=True)
    }


@pytest.fixture
def later_kind():
    """A rule kind an app registers after the system was set up, with a default rule."""
    kind = registry.register(
        dataclasses.replace(
            registry.get(PRE_MEETING),
            key=LATER_KIND,
            default={
                "name": "Later kind's default",
                "offset": datetime.timedelta(hours=5),
                "subject_ko": "제목",
                "body_ko": "본문",
                "subject_en": "Subject",
                "body_en": "Body",
            },
        )
    )
    yield kind
    registry._kinds.pop(LATER_KIND)


def test_a_new_database_has_the_declared_roles_rules_and_schedules():
    assert {COORDINATORS, MINISTRY_OFFICERS, VIEWERS} <= set(
        Group.objects.values_list("name", flat=True)
    )
    # Every domain model, also one added after the last data migration that set roles.
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.default_permissions and not model.__name__.startswith("Historical"):
                if (app_label, f"view_{model._meta.model_name}") not in COORDINATORS_ONLY:
                    assert "view" in perms(VIEWERS, model), model
                its_own = set(model._meta.default_permissions)
                assert its_own <= perms(COORDINATORS, model), model

    declared = {kind.key: kind.default for kind in registry.kinds() if kind.default}
    assert len(declared) == 7
    rules = {rule.kind: rule for rule in ReminderRule.objects.all()}
    assert set(rules) == set(declared)
    for kind, default in declared.items():
        assert {field: getattr(rules[kind], field) for field in default} == default
    assert set(DefaultRuleRecord.objects.values_list("kind", flat=True)) == set(declared)

    tasks = {task.task: task for task in PeriodicTask.objects.all()}
    assert {SCAN, PRUNE, ANONYMISE} <= {entry["task"] for entry in schedule_list()}
    assert (tasks[SCAN].interval.every, tasks[SCAN].interval.period) == (1, "minutes")
    assert (tasks[PRUNE].crontab.hour, tasks[PRUNE].crontab.minute) == ("4", "30")
    assert str(tasks[PRUNE].crontab.timezone) == "Asia/Seoul"
    assert [tasks[task].enabled for task in (SCAN, PRUNE, ANONYMISE)] == [True, True, False]


def test_migrating_brings_back_what_is_missing_and_changes_nothing_else():
    before = state()
    meeting_view = Permission.objects.get(codename="view_meeting")
    Group.objects.get(name=VIEWERS).permissions.remove(meeting_view)
    # A permission nobody declared for the role goes: the roles hold exactly theirs.
    Group.objects.get(name=VIEWERS).permissions.add(
        Permission.objects.get(codename="delete_meeting")
    )
    PeriodicTask.objects.filter(task=SCAN).delete()

    migrate()
    after = state()
    assert after["groups"] == before["groups"]
    assert (after["rules"], after["records"]) == (before["rules"], before["records"])
    assert [t for t in after["tasks"] if t["task"] != SCAN] == [
        t for t in before["tasks"] if t["task"] != SCAN
    ]
    assert PeriodicTask.objects.get(task=SCAN).enabled

    migrate()
    assert state() == after


def test_a_new_models_permissions_reach_the_roles_with_no_migration():
    # As for a model added since: no permission rows yet, so no role holds any.
    document = apps.get_model("events", "MeetingDocument")
    Permission.objects.filter(content_type__model="meetingdocument").delete()
    assert perms(COORDINATORS, document) == set()

    migrate()
    assert perms(COORDINATORS, document) == {"add", "change", "delete", "view"}
    assert perms(VIEWERS, document) == {"view"}
    assert perms(MINISTRY_OFFICERS, document) == {"view"}


def test_a_kind_registered_later_gets_its_default_rule_once(later_kind):
    migrate()
    rule = ReminderRule.objects.get(kind=LATER_KIND)
    assert (rule.name, rule.offset, rule.body_en) == (
        "Later kind's default",
        datetime.timedelta(hours=5),
        "Body",
    )
    migrate()
    assert ReminderRule.objects.filter(kind=LATER_KIND).count() == 1


def test_what_a_coordinator_did_with_the_default_rules_is_kept(later_kind):
    ReminderRule.objects.filter(kind=PRE_MEETING).update(
        name="하루 전 안내 (수정)", body_ko="고친 문구 {{ url }}", offset=datetime.timedelta(days=2)
    )
    ReminderRule.objects.filter(kind=DUE_SOON).update(enabled=False)
    ReminderRule.objects.filter(kind=DIGEST).delete()
    edited = ReminderRule.objects.filter(kind=PRE_MEETING).values().get()
    rules = ReminderRule.objects.count()

    migrate()
    # The rule of the kind registered since is created in the same run...
    assert ReminderRule.objects.filter(kind=LATER_KIND).count() == 1
    # ...and nothing a coordinator changed is undone: the deleted rule stays deleted.
    assert ReminderRule.objects.count() == rules + 1
    assert ReminderRule.objects.filter(kind=PRE_MEETING).values().get() == edited
    assert not ReminderRule.objects.get(kind=DUE_SOON).enabled
    assert not ReminderRule.objects.filter(kind=DIGEST).exists()


def test_a_coordinators_schedule_is_kept_and_a_deleted_one_comes_back():
    five = CrontabSchedule.objects.create(minute="0", hour="5", timezone="Asia/Seoul")
    PeriodicTask.objects.filter(task=PRUNE).update(
        name="로그 정리 (새벽 5시)", crontab=five, enabled=False
    )
    PeriodicTask.objects.filter(task=ANONYMISE).update(enabled=True)
    edited = {t["task"]: t for t in state()["tasks"]}
    PeriodicTask.objects.filter(task=SCAN).delete()

    migrate()
    tasks = {t["task"]: t for t in state()["tasks"]}
    assert (tasks[PRUNE], tasks[ANONYMISE]) == (edited[PRUNE], edited[ANONYMISE])
    assert PeriodicTask.objects.filter(task=PRUNE).count() == 1
    scan = PeriodicTask.objects.get(task=SCAN)
    assert (scan.name, scan.enabled, scan.interval.every) == ("Reminder scan and outbox", True, 1)


def data_migrations():
    """Every migration module (and helper in a migrations folder) that writes data."""
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        if "RunPython" in path.read_text():
            yield path


def project_imports(path) -> list[str]:
    """The project modules `path` imports, its own migrations folder aside."""
    app = path.parent.parent.name
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [
            f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
            for name in names
            if name.split(".")[0] in OURS and not name.startswith(f"{app}.migrations")
        ]
    return found


def test_data_migrations_import_none_of_the_projects_code():
    """A data migration runs as it ran the first time: what it needs is copied into it, since
    live code (texts, roles) changes after it."""
    assert list(data_migrations())
    assert [found for path in data_migrations() for found in project_imports(path)] == []
