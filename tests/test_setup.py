"""The set-up promises of the README (Set-up, Configuration, Commands), checked from outside
the code."""

import io
import os
import re
import subprocess
import sys
from gettext import GNUTranslations
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command

from roundtable.settings import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent


def test_readme_first_screen_has_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
    assert "make run" in first_screen and "make test" in first_screen


def test_ci_script_calls_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make test" in script and "DATABASE_URL" in script and "REDIS_URL" in script


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_compose_runs_every_service_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert "gunicorn roundtable.wsgi" in services["web"]["command"]
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"] == "celery -A roundtable worker --loglevel=INFO"
    assert services["beat"]["command"] == "celery -A roundtable beat --loglevel=INFO"
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])
    env = services["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and env["DJANGO_DEBUG"] == "0"


def test_korean_catalogue_is_complete_and_its_compiled_copy_current(tmp_path):
    po = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "fresh.mo"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", fresh, po],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats
    with open(po.with_suffix(".mo"), "rb") as shipped, open(fresh, "rb") as compiled:
        assert GNUTranslations(shipped)._catalog == GNUTranslations(compiled)._catalog, (
            "the shipped .mo is stale: run make messages"
        )


@pytest.mark.django_db
def test_createsuperuser_noinput(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root-admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-test-password")
    call_command("createsuperuser", "--noinput", stdout=io.StringIO())
    assert get_user_model().objects.get(username="root-admin").is_superuser


@pytest.mark.django_db
def test_demo_coordinator_is_created_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = io.StringIO(), io.StringIO()
    call_command("ensure_demo_coordinator", stdout=first)
    user = get_user_model().objects.get(username="coordinator")
    password = re.search(r"password: (\S+)", first.getvalue()).group(1)
    assert user.check_password(password) and user.is_staff
    assert user.groups.filter(name="Coordinators").exists()
    call_command("ensure_demo_coordinator", stdout=second)
    assert "Existing" in second.getvalue() and password in second.getvalue()
    assert get_user_model().objects.filter(username="coordinator").count() == 1


def test_deploy_check_is_clean_with_production_values(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-production-like-secret-key-9f8e7d6c5b4a",
        "DJANGO_ALLOWED_HOSTS": "roundtable.example.go.kr",
        "SITE_URL": "https://roundtable.example.go.kr",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sync_tokens_live_at_least_the_90_days_the_contract_promises():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.MEETING_SYNC_RETENTION.days)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "roundtable.settings"}
    days = {}
    for configured in ("30", "365"):
        env["MEETING_SYNC_RETENTION_DAYS"] = configured
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        days[configured] = int(result.stdout.strip())
    assert days == {"30": 90, "365": 365}


def test_two_factor_is_required_only_when_the_environment_says_so():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.REQUIRE_TWO_FACTOR)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "roundtable.settings"}
    env.pop("DJANGO_REQUIRE_2FA", None)
    required = {}
    for configured in (None, "1", "0"):
        if configured is not None:
            env["DJANGO_REQUIRE_2FA"] = configured
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        required[configured] = result.stdout.strip()
    assert required == {None: "False", "1": "True", "0": "False"}


def test_debug_off_refuses_a_missing_or_development_secret_key():
    """Every process (web, worker, beat, commands) reads the settings: none starts."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SECRET_KEY"}
    env["DJANGO_DEBUG"] = "0"
    for key in (None, "", "  ", DEVELOPMENT_SECRET_KEY, "django-insecure-a-startproject-key-0123"):
        run_env = env if key is None else {**env, "DJANGO_SECRET_KEY": key}
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0, key
        assert "DJANGO_DEBUG=0 needs a secret key of its own: set DJANGO_SECRET_KEY" in (
            result.stderr
        ), result.stderr


def compose_value(text):
    """A compose file's value as compose reads it with nothing set in the environment:
    `${NAME:-default}` is the default, `${NAME:?message}` something the operator sets."""
    text = re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", str(text))
    return re.sub(r"\$\{[A-Z0-9_]+:\?[^}]*\}", "set-by-the-operator", text)


def app_services(compose):
    return {name: compose["services"][name] for name in ("web", "worker", "beat")}


def test_compose_trusts_no_proxy_header_by_default():
    """Web is reachable without a proxy in front, so X-Forwarded-For is anyone's to write: it
    must not pick the address the link throttle and the sign-in lock-out count by."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in app_services(compose).items():
        hops = service["environment"].get("DJANGO_TRUSTED_PROXY_HOPS", "0")
        assert compose_value(hops) == "0", name


def test_compose_keeps_private_files_in_a_named_volume():
    """Attachments and meeting documents outlive the containers (and are backed up from web):
    the folder they are written to is in a named volume, which the image creates for the app's
    user to write in."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = (ROOT / "Dockerfile").read_text()
    for name, service in app_services(compose).items():
        root = compose_value(service["environment"].get("PRIVATE_MEDIA_ROOT", "/app/var/private"))
        mounts = [volume.split(":") for volume in service["volumes"]]
        named = [target for source, target, *_ in mounts if source in compose["volumes"]]
        assert [t for t in named if root == t or root.startswith(t.rstrip("/") + "/")], name
        assert re.search(rf"mkdir -p [^\n]*{re.escape(root)}( |$)", dockerfile, re.M), name
