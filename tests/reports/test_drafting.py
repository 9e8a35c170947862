"""Saving drafts, evidence and copying last year's answers, through the services the pages use."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assignments.models import ReportingYear
from audit.models import Action, AuditEntry
from reports.copying import report_copy_previous
from reports.drafting import DraftInput, report_draft_save
from reports.errors import ReportError, ReportPermissionError, StaleReportError
from reports.models import (
    CommunicationActivity,
    Evidence,
    IndicatorValue,
    IssuedDocument,
    Report,
    ReportVersion,
    TaskReport,
)
from reports.services import report_accept, report_reopen, report_return, report_submit
from reports.years import reporting_year_close, reporting_year_create
from tests.conftest import fill_report
from tests.reports.conftest import exe_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def answer(report, code) -> TaskReport:
    return report.task_reports.select_related("task").get(task__code=code)


def save(report, actor, **draft):
    report.refresh_from_db()
    return report_draft_save(report=report, actor=actor, expected_version=report.version, draft=DraftInput(**draft))


def test_first_save_makes_a_draft_and_records_every_changed_field(world):
    report = world.report_a
    assert report.state == Report.State.NOT_STARTED
    a31 = answer(report, "3.1")
    saved = save(
        world.report_a,
        world.staff_a,
        answers={a31.pk: {"status": TaskReport.Status.IN_PROGRESS, "results": "Thu hút 3 dự án năng lượng tái tạo."}},
    )
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert report.version == 2
    a31.refresh_from_db()
    assert a31.status == "in_progress" and a31.results == "Thu hút 3 dự án năng lượng tái tạo."
    entry = AuditEntry.objects.filter(report=report, action=Action.REPORT_SAVED).get()
    assert entry.actor == world.staff_a
    assert (entry.from_state, entry.to_state, entry.version) == ("not_started", "draft", 2)
    fields = {c["field"]: c for c in entry.changes}
    assert fields["Nhiệm vụ 3.1 · Tình trạng thực hiện"]["new"] == "Đang triển khai"
    assert fields["Nhiệm vụ 3.1 · Kết quả đạt được"] == {
        "field": "Nhiệm vụ 3.1 · Kết quả đạt được",
        "old": "",
        "new": "Thu hút 3 dự án năng lượng tái tạo.",
    }
    assert len(saved.changes) == 2


def test_indicator_values_are_saved_and_recorded_with_their_unit(world):
    value = IndicatorValue.objects.get(task_report__report=world.report_a, indicator__name__startswith="Số dự án công nghiệp xanh")
    save(world.report_a, world.staff_a, values={value.pk: {"value": Decimal("1500.5"), "note": "Lũy kế"}})
    value.refresh_from_db()
    assert value.value == Decimal("1500.5") and value.note == "Lũy kế"
    changes = AuditEntry.objects.get(report=world.report_a, action=Action.REPORT_SAVED).changes
    assert {"field": "Nhiệm vụ 3.1 · Số dự án công nghiệp xanh thu hút được (dự án)", "old": "", "new": "1.500,5"} in changes


def test_a_stale_save_is_refused_and_names_who_changed_what(world):
    report = world.report_a
    a31 = answer(report, "3.1")
    opened_at = report.version  # both colleagues open the form at this version
    report_draft_save(
        report=report, actor=world.head_a, expected_version=opened_at, draft=DraftInput(answers={a31.pk: {"results": "Bản của lãnh đạo."}})
    )
    with pytest.raises(StaleReportError) as error:
        report_draft_save(
            report=Report.objects.get(pk=report.pk),
            actor=world.staff_a,
            expected_version=opened_at,
            draft=DraftInput(answers={a31.pk: {"results": "Bản của cán bộ."}}),
        )
    assert world.head_a.get_full_name() in error.value.message
    [entry] = error.value.entries
    assert entry.actor == world.head_a
    assert entry.changes[0]["new"] == "Bản của lãnh đạo."
    a31.refresh_from_db()
    assert a31.results == "Bản của lãnh đạo."  # never silently overwritten
    assert AuditEntry.objects.filter(report=report, action=Action.REPORT_SAVED).count() == 1


def test_answers_of_another_report_are_never_written(world):
    theirs = answer(world.report_b, "9.1")
    save(world.report_a, world.staff_a, answers={theirs.pk: {"results": "Ghi đè báo cáo đơn vị khác"}})
    theirs.refresh_from_db()
    assert theirs.results == ""


def test_documents_and_activities_are_added_changed_and_removed_in_order(world):
    report = world.report_a
    save(
        report,
        world.staff_a,
        documents=[
            {"id": None, "number_symbol": "15/KH-SCT", "issued_on": datetime.date(2026, 3, 2), "issuer": "Sở Công Thương", "title": "Kế hoạch triển khai"},
            {"id": None, "number_symbol": "20/CV-SCT", "issued_on": None, "issuer": "Sở Công Thương", "title": "Công văn đôn đốc"},
        ],
        activities=[{"id": None, "description": "Hội nghị quán triệt", "held_on": datetime.date(2026, 4, 1), "participants": 120}],
    )
    first, second = IssuedDocument.objects.filter(report=report).order_by("position")
    assert (first.number_symbol, first.position, second.position) == ("15/KH-SCT", 1, 2)
    save(
        report,
        world.staff_a,
        documents=[{"id": second.pk, "number_symbol": "20/CV-SCT", "issued_on": None, "issuer": "Sở Công Thương", "title": "Công văn đôn đốc thực hiện"}],
    )
    [kept] = IssuedDocument.objects.filter(report=report)
    assert kept.pk == second.pk and kept.position == 1 and kept.title == "Công văn đôn đốc thực hiện"
    assert CommunicationActivity.objects.get(report=report).participants == 120
    last = AuditEntry.objects.filter(report=report, action=Action.REPORT_SAVED).order_by("-pk").first()
    [change] = last.changes
    assert change["field"] == "Văn bản đã ban hành"
    assert "15/KH-SCT – 02/03/2026" in change["old"] and "15/KH-SCT" not in change["new"]


def test_evidence_is_stored_under_a_random_name_and_recorded(world, settings):
    report = world.report_a
    a31 = answer(report, "3.1")
    saved = save(report, world.staff_a, uploads=[(a31.pk, upload("Biên bản hội nghị.pdf", pdf_bytes()))])
    assert saved.added == ["Biên bản hội nghị.pdf"]
    evidence = Evidence.objects.get(task_report=a31)
    assert evidence.original_name == "Biên bản hội nghị.pdf"
    assert evidence.kind == "pdf" and evidence.uploaded_by == world.staff_a
    assert "Biên" not in evidence.file.name and not evidence.file.name.endswith(".pdf")
    stored = settings.PRIVATE_MEDIA_ROOT / evidence.file.name
    assert stored.read_bytes() == pdf_bytes()
    added = AuditEntry.objects.get(report=report, action=Action.EVIDENCE_ADDED)
    assert added.message == "Biên bản hội nghị.pdf" and added.version == 2
    report.refresh_from_db()
    assert report.version == 2


def test_a_refused_file_leaves_nothing_behind(world, settings):
    report = world.report_a
    a31 = answer(report, "3.1")
    with pytest.raises(ReportError):
        save(
            report,
            world.staff_a,
            answers={a31.pk: {"results": "Sẽ không được lưu"}},
            uploads=[(a31.pk, upload("a.pdf", pdf_bytes())), (a31.pk, upload("b.pdf", exe_bytes()))],
        )
    assert not Evidence.all_objects.exists()
    private = settings.PRIVATE_MEDIA_ROOT / "evidence"
    assert not private.exists() or not any(p.is_file() for p in private.rglob("*"))
    a31.refresh_from_db()
    assert a31.results == ""


def test_a_draft_file_removed_before_any_submission_is_deleted(world, settings, django_capture_on_commit_callbacks):
    report = world.report_a
    a31 = answer(report, "3.1")
    save(report, world.staff_a, uploads=[(a31.pk, upload("nhap.pdf", pdf_bytes()))])
    evidence = Evidence.objects.get()
    path = settings.PRIVATE_MEDIA_ROOT / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(report, world.staff_a, removals=[evidence.pk])
    assert saved.removed == ["nhap.pdf"]
    assert not Evidence.all_objects.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(report=report, action=Action.EVIDENCE_REMOVED, message="nhap.pdf").exists()


def test_a_submitted_file_removed_later_stays_with_its_version(world, settings):
    report = world.report_a
    a31 = answer(report, "3.1")
    save(report, world.staff_a, uploads=[(a31.pk, upload("v1.pdf", pdf_bytes()))])
    fill_report(report)
    report_submit(report=report, actor=world.head_a)
    report_return(report=report, actor=world.reviewer, reason="Thay tệp minh chứng.")
    evidence = Evidence.objects.get()
    save(report, world.staff_a, removals=[evidence.pk])
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    kept = Evidence.all_objects.get(pk=evidence.pk)
    assert kept.removed_at is not None and kept.removed_by == world.staff_a
    assert (settings.PRIVATE_MEDIA_ROOT / kept.file.name).exists()
    version = ReportVersion.objects.get(report=report)
    assert version.snapshot["tasks"][0]["evidence"][0]["id"] == evidence.pk


def test_files_of_another_report_cannot_be_removed(world):
    a91 = answer(world.report_b, "9.1")
    save(world.report_b, world.staff_b, uploads=[(a91.pk, upload("b.pdf", pdf_bytes()))])
    theirs = Evidence.objects.get()
    save(world.report_a, world.staff_a, removals=[theirs.pk])
    assert Evidence.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("state", ["submitted", "accepted"])
def test_a_handed_in_report_cannot_be_saved(world, state):
    report = world.report_a
    fill_report(report)
    report_submit(report=report, actor=world.head_a)
    if state == "accepted":
        report_accept(report=report, actor=world.reviewer)
    with pytest.raises(ReportError):
        save(report, world.staff_a, answers={answer(report, "3.1").pk: {"results": "Sửa sau khi nộp"}})


def test_saving_into_a_closed_year_is_refused_until_the_report_is_reopened(world):
    report = world.report_a
    reporting_year_close(reporting_year=world.year, actor=world.reviewer)
    a31 = answer(report, "3.1")
    with pytest.raises(ReportError) as error:
        save(report, world.staff_a, answers={a31.pk: {"results": "Nộp muộn"}})
    assert str(world.year.year) in error.value.message
    report_reopen(report=report, actor=world.reviewer, reason="Đơn vị xin bổ sung.")
    save(report, world.staff_a, answers={a31.pk: {"results": "Nộp muộn"}})
    a31.refresh_from_db()
    assert a31.results == "Nộp muộn"


def test_people_outside_the_agency_cannot_save(world):
    with pytest.raises(ReportPermissionError):
        save(world.report_a, world.staff_b, answers={answer(world.report_a, "3.1").pk: {"results": "x"}})


# --- Copy from last year ---------------------------------------------------------------------------------


@pytest.fixture
def last_year(world):
    """Agency A's report of the previous year, submitted once, then corrected and submitted again."""
    today = timezone.localdate()
    year = reporting_year_create(
        directive=world.letter, year=world.year.year - 1, deadline=today - datetime.timedelta(days=300), actor=world.admin
    )
    report = Report.objects.get(reporting_year=year, agency=world.agency_a)
    fill_report(report, status=TaskReport.Status.IN_PROGRESS, results="Kết quả năm trước, lần nộp 1.")
    report_submit(report=report, actor=world.head_a)
    report_return(report=report, actor=world.reviewer, reason="Bổ sung")
    report.task_reports.filter(task__code="3.1").update(
        status=TaskReport.Status.COMPLETED, results="Kết quả năm trước, lần nộp 2.", proposals="Đề xuất năm trước."
    )
    report_submit(report=report, actor=world.head_a)
    # Live rows changed after the last submission must not be copied: the submitted version is.
    report.task_reports.filter(task__code="3.1").update(results="Chưa nộp")
    IssuedDocument.objects.create(report=report, number_symbol="1/KH-SCT", issuer="Sở Công Thương", title="KH")
    IndicatorValue.objects.filter(task_report__report=report).update(value=Decimal("7"))
    year.state = ReportingYear.State.CLOSED
    year.save(update_fields=["state"])
    return report


def test_copy_fills_an_empty_report_from_last_years_latest_submission(world, last_year):
    report = world.report_a
    copied = report_copy_previous(report=report, actor=world.staff_a, expected_version=report.version)
    assert copied.year == world.year.year - 1 and copied.version_number == 2
    assert copied.task_codes == ["3.1", "3.2", "9.1", "9.2", "9.3", "9.4"]
    a31 = answer(report, "3.1")
    assert (a31.status, a31.results, a31.proposals) == ("completed", "Kết quả năm trước, lần nộp 2.", "Đề xuất năm trước.")
    assert answer(report, "9.4").results == "Kết quả năm trước, lần nộp 1."
    # Figures, documents and files belong to their year.
    assert not IndicatorValue.objects.filter(task_report__report=report, value__isnull=False).exists()
    assert not IssuedDocument.objects.filter(report=report).exists()
    entry = AuditEntry.objects.get(report=report, action=Action.REPORT_COPIED)
    assert entry.changes[0]["new"] == f"Báo cáo năm {world.year.year - 1}, lần nộp thứ 2"
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT


def test_copy_is_refused_when_the_report_already_has_content(world, last_year):
    report = world.report_a
    a31 = answer(report, "3.1")
    save(report, world.staff_a, answers={a31.pk: {"results": "Đã viết năm nay"}})
    report.refresh_from_db()
    with pytest.raises(ReportError) as error:
        report_copy_previous(report=report, actor=world.staff_a, expected_version=report.version)
    assert "ghi đè" in error.value.message
    a31.refresh_from_db()
    assert a31.results == "Đã viết năm nay"
    assert not AuditEntry.objects.filter(action=Action.REPORT_COPIED).exists()


def test_copy_is_refused_politely_when_there_is_no_earlier_report(world):
    with pytest.raises(ReportError) as error:
        report_copy_previous(report=world.report_a, actor=world.staff_a, expected_version=world.report_a.version)
    assert "năm trước" in error.value.message or "trước đây" in error.value.message
