"""House style the README's Layout describes, checked in the code: services take keyword
arguments only; tasks import services in their bodies (services import tasks, with no import
circle); the code's own references point at the README, not at documents outside the
repository."""

import ast
import inspect
import re
from pathlib import Path

import pytest

from notifications import selectors, services

ROOT = Path(__file__).resolve().parent.parent
OURS = sorted(path.parent.name for path in ROOT.glob("*/__init__.py"))


def public_functions(module):
    return [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    ]


@pytest.mark.parametrize("module", [services, selectors], ids=lambda module: module.__name__)
def test_notification_services_and_selectors_take_keyword_arguments_only(module):
    assert public_functions(module)
    positional = [
        f"{function.__name__}({name})"
        for function in public_functions(module)
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY
    ]
    assert positional == []


def module_level_imports(path) -> set[str]:
    """What a module imports when it is loaded (not inside a function), relative as `.name`."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            prefix = "." * node.level + (node.module or "")
            joined = {f"{prefix}.{alias.name}".replace("..", ".") for alias in node.names}
            found |= {prefix} | joined
    return found


@pytest.mark.parametrize("app", [app for app in OURS if (ROOT / app / "tasks.py").exists()])
def test_tasks_import_services_in_their_bodies(app):
    loaded = module_level_imports(ROOT / app / "tasks.py")
    assert not loaded & {".services", f"{app}.services"}


def test_notification_services_import_their_tasks():
    assert ".tasks" in module_level_imports(ROOT / "notifications" / "services.py")


# Documents kept outside the repository, which a reader of the code does not have.
OUTSIDE = re.compile(
    r"\b(CONTRACT|DESIGN|DEVELOPERS)(\.md)?\s*§|\b(CONTRACT|DESIGN|DEVELOPERS)\.md\b"
    r"|/work/" + "shared"
)
SKIPPED = {".venv", "var", "node_modules", "staticfiles", ".git", "locale"}


def test_the_code_points_at_the_readme_not_at_documents_outside_the_repository():
    found = []
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if SKIPPED & set(relative.parts) or path.suffix not in {".py", ".html", ".txt", ".js"}:
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []
