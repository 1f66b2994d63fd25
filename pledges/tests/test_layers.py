"""pledges sits below followups (README, Layout): its pages name requests through what
followups registers (pledges.admin.register_requests_display), never by importing it."""

import ast

from tests.test_layers import OURS, ROOT, imported

BELOW_PLEDGES = {"api", "files", "ops", "audit", "stakeholders", "notifications", "events"}


def test_pledges_imports_no_higher_app():
    wrong = []
    for path in sorted((ROOT / "pledges").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts:
            continue
        for line, module in imported(ast.parse(path.read_text(), str(relative))):
            top = module.split(".")[0]
            if top in OURS and top not in BELOW_PLEDGES | {"pledges"}:
                wrong.append(f"{relative}:{line} imports {module}")
    assert wrong == []
