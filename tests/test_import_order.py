"""The apps import each other only downwards, in the order CONTRIBUTING.md gives (no circular imports)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY_POINTS = {"portal.urls", "portal.views", "portal.context_processors", "portal.wsgi", "portal.asgi"}


def dependency_order() -> dict[str, int]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Dependency order", 1)[1].split("\n## ", 1)[0]
    order = {}
    for number, line in re.findall(r"^(\d+)\. (.+)$", section, re.M):
        for name in re.findall(r"`([a-z_.]+)`", line):
            order.setdefault(name, int(number))
    return order


def layer_of(module: str, order: dict[str, int]) -> int | None:
    if module in ENTRY_POINTS or any(module.startswith(entry + ".") for entry in ENTRY_POINTS):
        return max(order.values())
    app = module.split(".")[0]
    return order.get(app)


def project_modules(order):
    for app in {name.split(".")[0] for name in order}:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            yield module, path


def imports_of(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_the_order_is_written_down():
    order = dependency_order()
    assert list(order)[:9] == [
        "portal", "audit", "notifications", "assignments", "reports", "review", "outputs", "dashboards", "demo"
    ]


def test_no_app_imports_an_app_after_it_in_the_order():
    order = dependency_order()
    wrong = []
    for module, path in project_modules(order):
        own = layer_of(module, order)
        for line, imported in imports_of(path):
            target = layer_of(imported, order)
            same_app = imported.split(".")[0] == module.split(".")[0]
            if target is None or (same_app and imported not in ENTRY_POINTS):
                continue
            if target > own or (target == own and not same_app):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not wrong, "imports against the order of CONTRIBUTING.md:\n" + "\n".join(wrong)
