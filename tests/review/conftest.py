"""Helpers for the reviewers' tests: reports handed in the way an agency's head hands them in."""

import pytest

from reports.models import Report, TaskReport
from reports.services import report_editing, report_submit
from tests.conftest import fill_report


def submit(report: Report, head, *, results: str = "Đã triển khai.") -> Report:
    """Fill every task as the form would and submit as the agency's head; returns the fresh report."""
    report.refresh_from_db()
    if report.state in Report.EDITABLE_STATES and report.state != Report.State.RETURNED:
        fill_report(report, results=results)
    report.refresh_from_db()
    return report_submit(report=report, actor=head)


def revise(report: Report, staff, *, code: str, results: str) -> Report:
    """A returned report corrected by the agency's staff through the editing service (recorded in the history)."""
    report.refresh_from_db()
    with report_editing(report=report, actor=staff, expected_version=report.version) as edit:
        answer = TaskReport.objects.select_related("task").get(report=report, task__code=code)
        edit.record(code, answer.results, results)
        answer.results = results
        answer.save(update_fields=["results"])
    report.refresh_from_db()
    return report


@pytest.fixture
def reviewer_client(client_for, world):
    return client_for(world.reviewer)
