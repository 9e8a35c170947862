"""Views read through each app's selectors and write through its services: no ORM query is written in a view
module (CONTRIBUTING.md, "Where each kind of rule lives")."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The ORM's reading and writing calls, as a view would write them on a model or a related manager.
QUERY = re.compile(r"\.objects\.|\.all_objects\.|\.(filter|exclude|annotate|aggregate|values_list|select_related|"
                   r"prefetch_related|order_by|update|bulk_create|get_or_create)\(")


def view_modules():
    for path in sorted(ROOT.glob("*/views*.py")):
        if ".venv" not in path.parts:
            yield path


def test_there_are_view_modules_to_check():
    assert len(list(view_modules())) >= 6


def test_no_view_module_queries_the_database_itself():
    found = []
    for path in view_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if QUERY.search(code):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "queries in views (move them to the app's selectors.py or services.py):\n" + "\n".join(found)
