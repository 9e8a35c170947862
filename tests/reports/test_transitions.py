"""Every step of the reporting cycle as the agency lives it: who may take it, from which state, what it records."""

import datetime

import pytest
from django.utils import timezone

from audit.models import Action, AuditEntry
from reports.drafting import DraftInput, report_draft_save
from reports.errors import IncompleteReportError, ReportError, ReportPermissionError
from reports.models import Report, ReportVersion
from reports.policy import agency_edit_state
from reports.services import report_accept, report_return, report_submit
from tests.conftest import fill_report

pytestmark = pytest.mark.django_db
S = Report.State


def local_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def last_entry(report) -> AuditEntry:
    return AuditEntry.objects.filter(report=report).order_by("-created_at", "-pk").first()


def test_not_started_becomes_draft_on_the_first_save(world):
    report = world.report_a
    answer = report.task_reports.first()
    report_draft_save(report=report, actor=world.staff_a, expected_version=1, draft=DraftInput(answers={answer.pk: {"results": "x"}}))
    report.refresh_from_db()
    assert report.state == S.DRAFT
    entry = last_entry(report)
    assert (entry.action, entry.from_state, entry.to_state) == (Action.REPORT_SAVED, S.NOT_STARTED, S.DRAFT)


def test_draft_becomes_submitted_by_the_head_with_signature_version_and_timeliness(world):
    report = world.report_a
    fill_report(report)
    report_submit(report=report, actor=world.head_a, expected_version=report.version)
    report.refresh_from_db()
    assert report.state == S.SUBMITTED and not agency_edit_state(report)
    assert report.submitted_by == world.head_a and report.first_submitted_at == report.submitted_at
    assert (report.signatory_title, report.signatory_is_deputy) == ("Phó Giám đốc", True)
    assert report.days_late == 0
    version = ReportVersion.objects.get(report=report)
    assert version.number == 1 and version.days_late == 0 and len(version.snapshot["tasks"]) == 6
    entry = last_entry(report)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (Action.REPORT_SUBMITTED, S.DRAFT, S.SUBMITTED, world.head_a)
    assert entry.message == "Lần nộp thứ 1, đúng hạn"


def test_staff_cannot_submit(world):
    fill_report(world.report_a)
    with pytest.raises(ReportPermissionError):
        report_submit(report=world.report_a, actor=world.staff_a)
    with pytest.raises(ReportPermissionError):
        report_submit(report=world.report_a, actor=world.head_b)


def test_submission_requires_a_status_and_results_for_every_task(world):
    report = world.report_a
    fill_report(report)
    report.task_reports.filter(task__code="9.3").update(results="   ")
    report.task_reports.filter(task__code="3.2").update(status="")
    with pytest.raises(IncompleteReportError) as error:
        report_submit(report=report, actor=world.head_a)
    assert [t.code for t in error.value.tasks] == ["3.2", "9.3"]
    report.refresh_from_db()
    assert report.state == S.DRAFT


def test_a_stale_version_cannot_be_submitted(world):
    report = world.report_a
    fill_report(report)
    from reports.errors import StaleReportError

    with pytest.raises(StaleReportError):
        report_submit(report=report, actor=world.head_a, expected_version=report.version + 5)


def test_a_submission_on_the_deadline_day_is_on_time_and_a_day_later_is_late(world):
    deadline = world.year.deadline
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a, at=timezone.make_aware(datetime.datetime.combine(deadline, datetime.time(23, 50))))
    assert Report.objects.get(pk=world.report_a.pk).days_late == 0
    fill_report(world.report_b)
    report_submit(report=world.report_b, actor=world.head_b, at=local_noon(deadline + datetime.timedelta(days=1)))
    assert Report.objects.get(pk=world.report_b.pk).days_late == 1


def test_submitted_becomes_returned_with_the_reason_and_is_editable_again(world):
    report = world.report_a
    fill_report(report)
    report_submit(report=report, actor=world.head_a)
    report_return(report=report, actor=world.reviewer, reason="Thiếu số liệu.")
    report.refresh_from_db()
    assert report.state == S.RETURNED and agency_edit_state(report)
    entry = last_entry(report)
    assert (entry.action, entry.from_state, entry.to_state, entry.message) == (Action.REPORT_RETURNED, S.SUBMITTED, S.RETURNED, "Thiếu số liệu.")


def test_returned_is_submitted_again_keeping_both_versions_and_the_first_timeliness(world):
    report = world.report_a
    fill_report(report)
    report_submit(report=report, actor=world.head_a)  # on time: the deadline is a week away
    report_return(report=report, actor=world.reviewer, reason="Sửa.")
    late = local_noon(world.year.deadline + datetime.timedelta(days=5))
    report_submit(report=Report.objects.get(pk=report.pk), actor=world.head_a, at=late)
    report.refresh_from_db()
    assert report.state == S.SUBMITTED
    assert report.days_late == 0  # counted from the first submission
    versions = list(report.versions.order_by("number").values_list("number", "days_late"))
    assert versions == [(1, 0), (2, 5)]
    assert last_entry(report).from_state == S.RETURNED


def test_submitted_becomes_accepted_and_is_frozen(world):
    report = world.report_a
    fill_report(report)
    report_submit(report=report, actor=world.head_a)
    report_accept(report=report, actor=world.reviewer, comment="Đạt yêu cầu.")
    report.refresh_from_db()
    assert report.state == S.ACCEPTED and not agency_edit_state(report)
    with pytest.raises(ReportError):
        report_draft_save(
            report=report,
            actor=world.staff_a,
            expected_version=report.version,
            draft=DraftInput(answers={report.task_reports.first().pk: {"results": "Sửa sau khi chấp nhận"}}),
        )
    with pytest.raises(ReportError):
        report_submit(report=report, actor=world.head_a)


def test_a_submitted_report_cannot_be_submitted_again_without_a_return(world):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    with pytest.raises(ReportError):
        report_submit(report=Report.objects.get(pk=world.report_a.pk), actor=world.head_a)


def test_the_database_holds_one_report_per_agency_and_year(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporting_year=world.year, agency=world.agency_a)
