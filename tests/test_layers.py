"""Imports point one way (README, Layout): a lower app never imports a higher one. Where a page
of a lower app shows parts of higher ones, the lower app owns a registry they fill
(events/admin_parts.py, notifications/registry.py)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's own packages: every folder of the repository with an __init__.py.
OURS = {path.parent.name for path in ROOT.glob("*/__init__.py")}
# What each lower app may import of ours, besides itself: the plumbing below every domain
# app, and the apps below it (stakeholders lowest, then notifications, then events).
PLUMBING = {"api", "files", "ops", "audit", "links"}
MAY_IMPORT = {
    "links": set(),
    "stakeholders": PLUMBING,
    "notifications": PLUMBING | {"stakeholders"},
    "events": PLUMBING | {"stakeholders", "notifications"},
}
IMPORTERS = {"import_module", "import_string", "__import__"}


def imported(tree) -> list[tuple[int, str]]:
    """The absolute modules a module imports: statements, and import_module("…") and the like
    with a literal name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = getattr(function, "id", None) or getattr(function, "attr", None)
            first = node.args[0]
            if name in IMPORTERS and isinstance(first, ast.Constant):
                found.append((node.lineno, str(first.value)))
    return found


def higher_imports(app) -> list[str]:
    """`app`'s modules (its tests aside: they exercise the whole project) that import one of
    our apps it may not."""
    allowed = MAY_IMPORT[app] | {app}
    wrong = []
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts:
            continue
        for line, module in imported(ast.parse(path.read_text(), str(relative))):
            top = module.split(".")[0]
            if top in OURS and top not in allowed:
                wrong.append(f"{relative}:{line} imports {module}")
    return wrong


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_a_lower_app_imports_no_higher_one(app):
    assert higher_imports(app) == []


def test_the_check_sees_every_way_of_importing(tmp_path):
    source = (
        "import followups.models\n"
        "from pledges import admin\n"
        "from . import services\n"
        "def late():\n"
        "    from feedback.selectors import responses\n"
        "    importlib.import_module('dashboard.views')\n"
    )
    modules = {module for _line, module in imported(ast.parse(source))}
    assert modules == {"followups.models", "pledges", "feedback.selectors", "dashboard.views"}
