"""The report filled offline in Excel: download, fill, upload, preview, confirm; hostile workbooks refused."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditEntry
from reports.drafting import DraftInput, report_draft_save
from reports.models import CommunicationActivity, IndicatorValue, IssuedDocument, Report, TaskReport
from reports.offline.reader import parse_date, parse_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TASKS, INDICATORS, DOCUMENTS, ACTIVITIES = "Nhiệm vụ", "Chỉ tiêu", "Văn bản đã ban hành", "Truyền thông"


def download(client, report) -> bytes:
    response = client.get(reverse("reports:offline_download", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response.content


def open_book(content: bytes):
    return load_workbook(io.BytesIO(content))


def save(book, name="bao-cao.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(client, report, file):
    return client.post(reverse("reports:offline_upload", kwargs={"pk": report.pk}), {"workbook": file})


def preview_url(report):
    return reverse("reports:offline_preview", kwargs={"pk": report.pk})


def confirm(client, report):
    report.refresh_from_db()
    return client.post(preview_url(report), {"action": "confirm", "version": report.version})


def fill(book, report):
    """Every answer typed as an agency would: Vietnamese numbers and dates, text that looks like a formula."""
    tasks = book[TASKS]
    first_code = tasks["A2"].value
    tasks["C2"] = "Đang triển khai"
    tasks["D2"] = "=Đã tổ chức 3 hội nghị; \n  giữ nguyên khoảng trắng  "
    tasks["D2"].data_type = "s"
    tasks["E2"] = "Thiếu kinh phí"
    tasks["F2"] = "Đề nghị hỗ trợ"
    indicators = book[INDICATORS]
    indicators["E2"] = "1.234,5"
    indicators["F2"] = "ước tính"
    documents = book[DOCUMENTS]
    documents["A2"], documents["B2"], documents["C2"], documents["D2"] = (
        "15/KH-SCT",
        "05/03/2026",
        "Sở Công Thương",
        "Kế hoạch triển khai",
    )
    activities = book[ACTIVITIES]
    activities["A2"], activities["B2"], activities["C2"] = (
        "Hội nghị tập huấn",
        datetime.datetime(2026, 4, 20),
        "1.200",
    )
    return first_code


@pytest.fixture
def staff(world, client_for):
    return client_for(world.staff_a)


def test_the_workbook_is_protected_with_only_the_answer_cells_open(world, staff):
    book = open_book(download(staff, world.report_a))
    assert book.sheetnames[:5] == ["Hướng dẫn", TASKS, INDICATORS, DOCUMENTS, ACTIVITIES]
    assert book.security.lockStructure
    tasks = book[TASKS]
    assert tasks.protection.sheet
    assert tasks["B2"].protection.locked and not tasks["C2"].protection.locked
    assert not tasks["D2"].protection.locked
    validation = tasks.data_validations.dataValidation[0]
    assert validation.type == "list" and "C2" in str(validation.sqref)
    meta = book["_portal"]
    assert meta.sheet_state == "veryHidden"
    statuses = [meta.cell(row=r, column=4).value for r in range(1, 5)]
    assert statuses == [str(label) for _code, label in TaskReport.Status.choices]
    indicators = book[INDICATORS]
    assert indicators["C2"].protection.locked and not indicators["E2"].protection.locked
    assert "Hướng dẫn" in book.sheetnames and "công thức" in book["Hướng dẫn"]["A8"].value


def test_download_fill_preview_confirm_puts_exactly_the_workbooks_values_in_the_draft(world, staff):
    report = world.report_a
    book = open_book(download(staff, report))
    code = fill(book, report)
    response = upload(staff, report, save(book))
    assert response.status_code == 302 and response["Location"] == preview_url(report)

    # Nothing is saved before the confirmation; the preview shows the change task by task.
    answer = TaskReport.objects.get(report=report, task__code=code)
    assert answer.results == ""
    page = staff.get(preview_url(report)).content.decode()
    assert f"Nhiệm vụ {code}" in page and "1.234,5" in page and "Đang triển khai" in page

    assert confirm(staff, report).status_code == 302
    answer.refresh_from_db()
    assert answer.status == TaskReport.Status.IN_PROGRESS
    assert answer.results == "=Đã tổ chức 3 hội nghị; \n  giữ nguyên khoảng trắng  "
    assert (answer.difficulties, answer.proposals) == ("Thiếu kinh phí", "Đề nghị hỗ trợ")
    value = IndicatorValue.objects.filter(task_report__report=report).order_by(
        "task_report__task__group__number", "task_report__task__position", "indicator__position"
    ).first()
    assert value.value == Decimal("1234.5") and value.note == "ước tính"
    document = IssuedDocument.objects.get(report=report)
    assert (document.number_symbol, document.issued_on) == ("15/KH-SCT", datetime.date(2026, 3, 5))
    activity = CommunicationActivity.objects.get(report=report)
    assert (activity.held_on, activity.participants) == (datetime.date(2026, 4, 20), 1200)
    report.refresh_from_db()
    # An upload only changes the draft, through the editing service (audited, versioned); it never submits.
    assert report.state == Report.State.DRAFT
    entry = AuditEntry.objects.filter(report=report, action=Action.REPORT_SAVED).latest("pk")
    assert entry.actor == world.staff_a and entry.version == report.version
    # The upload is used once.
    assert staff.get(preview_url(report)).status_code == 302


def test_a_formula_is_refused_with_its_cell_and_nothing_changes(world, staff):
    report = world.report_a
    book = open_book(download(staff, report))
    fill(book, report)
    book[INDICATORS]["E2"] = "=1+1"
    version = Report.objects.get(pk=report.pk).version
    response = upload(staff, report, save(book))
    assert response.status_code == 400
    page = response.content.decode()
    assert INDICATORS in page and "E2" in page and "công thức" in page
    assert Report.objects.get(pk=report.pk).version == version
    assert not TaskReport.objects.filter(report=report).exclude(results="").exists()


def test_wrong_types_are_each_listed_with_sheet_and_cell(world, staff):
    report = world.report_a
    book = open_book(download(staff, report))
    fill(book, report)
    book[TASKS]["C2"] = "Xong rồi"
    book[INDICATORS]["E2"] = "nhiều"
    book[DOCUMENTS]["B2"] = "32/13/2026"
    book[ACTIVITIES]["C2"] = "-5"
    response = upload(staff, report, save(book))
    assert response.status_code == 400
    page = response.content.decode()
    for sheet, cell in ((TASKS, "C2"), (INDICATORS, "E2"), (DOCUMENTS, "B2"), (ACTIVITIES, "C2")):
        assert f"<td>{sheet}</td><td>{cell}</td>" in page
    assert "Xong rồi" in page and "không phải là số" in page


def _with_member(content: bytes, name: str, data: bytes, *, types_extra: bytes = b"") -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and types_extra:
                body = body.replace(b"</Types>", types_extra + b"</Types>")
            out.writestr(item, body)
        out.writestr(name, data)
    return target.getvalue()


def test_macros_an_xlsm_and_a_zip_bomb_are_refused(world, staff):
    report = world.report_a
    content = download(staff, report)
    macro = _with_member(
        content,
        "xl/vbaProject.bin",
        b"\x00" * 100,
        types_extra=b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    page = upload(staff, report, SimpleUploadedFile("bao-cao.xlsx", macro)).content.decode()
    assert "macro" in page
    page = upload(staff, report, SimpleUploadedFile("bao-cao.xlsm", content)).content.decode()
    assert "Không nhận tệp “bao-cao.xlsm”" in page
    bomb = _with_member(content, "xl/media/padding.xml", b"0" * (60 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    response = upload(staff, report, SimpleUploadedFile("bao-cao.xlsx", bomb))
    assert response.status_code == 400 and "giải nén" in response.content.decode()
    assert Report.objects.get(pk=report.pk).state == Report.State.NOT_STARTED


def test_a_workbook_of_another_report_is_refused(world, client_for):
    content = download(client_for(world.staff_b), world.report_b)
    response = upload(client_for(world.staff_a), world.report_a, SimpleUploadedFile("b.xlsx", content))
    assert response.status_code == 400 and "báo cáo khác" in response.content.decode()


def test_a_workbook_made_from_an_older_draft_shows_both_before_saving(world, staff):
    report = world.report_a
    book = open_book(download(staff, report))
    code = fill(book, report)
    answer = TaskReport.objects.get(report=report, task__code=code)
    report.refresh_from_db()
    report_draft_save(
        report=report,
        actor=world.head_a,
        expected_version=report.version,
        draft=DraftInput(answers={answer.pk: {"results": "Lãnh đạo đã sửa trên Cổng."}}),
    )
    assert upload(staff, report, save(book)).status_code == 302
    page = staff.get(preview_url(report)).content.decode()
    assert 'id="workbook-stale"' in page
    assert "Lãnh đạo đã sửa trên Cổng." in page and "Đã tổ chức 3 hội nghị" in page
    assert confirm(staff, report).status_code == 302
    answer.refresh_from_db()
    assert answer.results.startswith("=Đã tổ chức 3 hội nghị")


def test_a_save_between_preview_and_confirmation_is_refused_as_stale(world, staff):
    report = world.report_a
    book = open_book(download(staff, report))
    code = fill(book, report)
    upload(staff, report, save(book))
    report.refresh_from_db()
    shown_version = report.version
    answer = TaskReport.objects.get(report=report, task__code=code)
    report_draft_save(
        report=report,
        actor=world.head_a,
        expected_version=report.version,
        draft=DraftInput(answers={answer.pk: {"proposals": "Sửa cùng lúc."}}),
    )
    response = staff.post(preview_url(report), {"action": "confirm", "version": shown_version})
    assert response.status_code == 409
    answer.refresh_from_db()
    assert answer.proposals == "Sửa cùng lúc." and answer.results == ""


def test_another_agency_and_a_submitted_report_get_no_workbook(world, client_for, staff):
    assert client_for(world.staff_b).get(
        reverse("reports:offline_download", kwargs={"pk": world.report_a.pk})
    ).status_code == 404
    assert client_for(world.reviewer).get(
        reverse("reports:offline_download", kwargs={"pk": world.report_a.pk})
    ).status_code == 404
    content = download(staff, world.report_a)
    response = upload(client_for(world.staff_b), world.report_a, SimpleUploadedFile("a.xlsx", content))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1.234,5", "1234.5"), ("1234,5", "1234.5"), ("1.234", "1234"), ("1234.5", "1234.5"), (12.0, "12"), (7, "7")],
)
def test_numbers_are_read_the_vietnamese_way_or_excels(typed, number):
    assert parse_number(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["nhiều", "1,2,3", True, "1.23456"])
def test_anything_else_is_not_a_number(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_dates_are_read_as_dd_mm_yyyy_or_excels_own():
    assert parse_date("05/03/2026") == datetime.date(2026, 3, 5)
    assert parse_date(datetime.datetime(2026, 3, 5)) == datetime.date(2026, 3, 5)
    assert parse_date(46086) == datetime.date(2026, 3, 5)
    with pytest.raises(ValueError):
        parse_date("2026/31/12")


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_to_fill(world, staff, tmp_path):
    from tests.outputs.conftest import pdftotext
    from tests.outputs.test_word import soffice_pdf

    text = " ".join(pdftotext(soffice_pdf(download(staff, world.report_a), ".xlsx", tmp_path)).split())
    for part in ("Báo cáo của Sở Công Thương", "Nhiệm vụ được giao (theo văn bản)", "Chỉ tiêu năm của tỉnh"):
        assert part in text


def test_the_preview_page_makes_a_bounded_number_of_queries(world, staff, django_assert_max_num_queries):
    report = world.report_a
    book = open_book(download(staff, report))
    fill(book, report)
    upload(staff, report, save(book))
    with django_assert_max_num_queries(30):
        assert staff.get(preview_url(report)).status_code == 200


def test_an_xml_entity_bomb_inside_the_workbook_is_refused(world, staff):
    report = world.report_a
    content = download(staff, report)
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                body = bomb + body.split(b"?>", 1)[-1]
            out.writestr(item, body)
    response = upload(staff, report, SimpleUploadedFile("bao-cao.xlsx", target.getvalue()))
    assert response.status_code == 400 and "Không đọc được tệp Excel" in response.content.decode()
