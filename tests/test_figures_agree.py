"""Every page and document gives the same figures of a year, under the same words, whatever the mix of states.

Over many random mixes of report states (not started, drafting, awaiting review, returned, accepted; on time or
late), the status board, the dashboard (cards and CSV), the home page, the consolidated page, the consolidated
PDF and the consolidated workbook all show the numbers that reports.figures defines.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from outputs.documents import consolidated_document
from outputs.pdf import render_pdf
from reports.figures import LABELS
from reports.models import Report

pytestmark = pytest.mark.django_db

State = Report.State
# How many reports take a random state; the others of the year stay not started.
MIXED = 8

a_report = st.tuples(
    st.sampled_from([State.NOT_STARTED, State.DRAFT, State.SUBMITTED, State.RETURNED, State.ACCEPTED]),
    st.sampled_from([0, 0, 1, 4]),  # days late at the first submission
)


def set_states(reports: list[Report], mix: list[tuple[str, int]]) -> None:
    """Give each report its state as the reporting cycle leaves it (saved, so the cached pages hear of it)."""
    now = timezone.now()
    for report, (state, days_late) in zip(reports, mix, strict=True):
        ever_submitted = state in (State.SUBMITTED, State.RETURNED, State.ACCEPTED)
        report.state = state
        report.first_submitted_at = now - datetime.timedelta(days=2) if ever_submitted else None
        report.submitted_at = report.first_submitted_at
        report.days_late = days_late if ever_submitted else None
        report.accepted_at = now if state == State.ACCEPTED else None
        report.version += 1
        report.save(
            update_fields=[
                "state",
                "first_submitted_at",
                "submitted_at",
                "days_late",
                "accepted_at",
                "version",
            ]
        )


def expected_figures(reporting_year) -> dict[str, int]:
    """The figures counted here, by hand, from the rows: what every output must say."""
    rows = list(Report.objects.filter(reporting_year=reporting_year).values_list("state", "days_late"))
    handed_in = [days for state, days in rows if state in (State.SUBMITTED, State.ACCEPTED)]
    return {
        "expected": len(rows),
        "submitted": len(handed_in),
        "on_time": sum(1 for days in handed_in if days == 0),
        "late": sum(1 for days in handed_in if days and days > 0),
        "not_submitted": len(rows) - len(handed_in),
        "awaiting_review": sum(1 for state, _days in rows if state == State.SUBMITTED),
        "accepted": sum(1 for state, _days in rows if state == State.ACCEPTED),
    }


def cards(html: str) -> dict[str, int]:
    """The figures of templates/includes/figures.html on a page, by key."""
    found = re.findall(r'data-figure="(\w+)".*?figure-value[^>]*>\s*([\d.]+)\s*<', html, flags=re.DOTALL)
    return {key: int(value.replace(".", "")) for key, value in found if key in LABELS}


def by_label(pairs) -> dict[str, int]:
    """Figures found as (label, number) pairs, turned back into their keys by the one word of each."""
    keys = {str(label): key for key, label in LABELS.items()}
    return {keys[label]: int(number) for label, number in pairs if label in keys}


def pdf_figures(reporting_year) -> dict[str, int]:
    content, _pages = render_pdf(consolidated_document(reporting_year))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    sentence = text[text.index(str(LABELS["expected"]) + ":") :][:400]
    figures = by_label(re.findall(r"(\w[\w ]*?): (\d+)", sentence))
    accepted = re.search(rf"{LABELS['accepted']} và tổng hợp trong báo cáo này: (\d+)", sentence)
    figures["accepted"] = int(accepted.group(1))
    return figures


def workbook_figures(client, reporting_year) -> dict[str, int]:
    response = client.get(reverse("outputs:consolidated_xlsx", args=[reporting_year.year]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return by_label(
        (row[0], row[1]) for row in sheet.iter_rows(values_only=True) if isinstance(row[1], int) and row[0]
    )


def csv_figures(client, reporting_year, dataset: str) -> dict[str, int]:
    response = client.get(reverse("dashboards:csv", args=[dataset]), {"year": reporting_year.year})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    return by_label((row[0], row[1]) for row in rows if row[1].lstrip("-").isdigit())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mix=st.lists(a_report, min_size=MIXED, max_size=MIXED))
def test_every_page_and_document_gives_the_same_figures(
    world, client_for, django_capture_on_commit_callbacks, mix
):
    year = world.year
    reports = list(Report.objects.filter(reporting_year=year).order_by("agency__position", "pk")[:MIXED])
    # As if committed: the cached board and dashboard (portal.cache) hear of the change once it commits. Each
    # example in a savepoint of its own, as each request is a transaction of its own (the callbacks captured by
    # an earlier example stay registered on the test's outer transaction).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        set_states(reports, mix)
    want = expected_figures(year)
    reviewer, leader = client_for(world.reviewer), client_for(world.leader)

    board = cards(reviewer.get(reverse("review:board", args=[year.year])).content.decode())
    dashboard = cards(leader.get(reverse("dashboards:index"), {"year": year.year}).content.decode())
    home = cards(leader.get(reverse("home")).content.decode())
    page = cards(reviewer.get(reverse("outputs:consolidated", args=[year.year])).content.decode())
    for name, shown in (("board", board), ("dashboard", dashboard), ("home", home), ("consolidated", page)):
        assert shown == want, name

    assert pdf_figures(year) == {k: want[k] for k in pdf_figures_keys()}
    assert workbook_figures(reviewer, year) == want
    assert csv_figures(leader, year, "headline") == want
    by_state = csv_figures(leader, year, "states")
    assert by_state["awaiting_review"] == want["awaiting_review"]
    assert by_state["accepted"] == want["accepted"]
    assert sum(by_state.values()) == want["expected"]
    assert by_state["returned"] + by_state["drafting"] + by_state["not_started"] == want["not_submitted"]


def pdf_figures_keys() -> tuple[str, ...]:
    """The figures the PDF's first section states, in its sentence."""
    return ("expected", "submitted", "on_time", "late", "not_submitted", "awaiting_review", "accepted")
