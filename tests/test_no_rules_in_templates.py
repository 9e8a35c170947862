"""No template decides by comparing a state with a literal: the rules and the state predicates live in Python
(reports.policy, Report.awaits_review, ReportingYear.is_open, ...), so a page never restates them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_TEST = re.compile(r"""state\s*(==|!=|\bin\b|\bnot in\b)\s*['"(\[]""")


def templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if not {".venv", "staticfiles", "node_modules"} & set(path.parts):
            yield path


def test_there_are_templates_to_check():
    assert len(list(templates())) > 40


def test_no_template_compares_a_state_with_a_literal():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STATE_TEST.search(line)
    ]
    assert not found, "state rules written in templates:\n" + "\n".join(found)


def test_no_django_template_comment_runs_over_a_line():
    """Django's {# #} comments end on their line; one that goes on is drawn on the page as text."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not found, "use {% comment %} for these:\n" + "\n".join(found)
