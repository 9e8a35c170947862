"""The consolidated report as an Excel workbook, opened again with openpyxl."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from outputs.models import GeneratedOutput
from tests.outputs.conftest import accept, download

HEADER_ROW, FIRST_DATA_ROW = 3, 4
GROUP_HEADERS = [
    "STT",
    "Nhiệm vụ",
    "Nội dung nhiệm vụ",
    "Cơ quan, đơn vị",
    "Tình hình thực hiện",
    "Kết quả đạt được",
    "Khó khăn, vướng mắc",
    "Đề xuất, kiến nghị",
]


@pytest.fixture
def workbook_bytes(world, client_for):
    accept(
        world.report_a,
        world.reviewer,
        results='=HYPERLINK("http://example.org/x","Bấm vào đây")',
        difficulties="-Thiếu kinh phí",
        proposals="@Sở Tài chính xem xét",
        value=7,
    )
    accept(world.report_b, world.reviewer, results="+84 dự án đã rà soát.", days_late=2)
    response = client_for(world.leader).get(
        reverse("outputs:consolidated_xlsx", kwargs={"year": world.year.year})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="bao-cao-tong-hop-{world.year.year}.xlsx"' in response["Content-Disposition"]
    return download(response)


@pytest.fixture
def workbook(workbook_bytes):
    return load_workbook(io.BytesIO(workbook_bytes))


def test_it_has_a_summary_a_sheet_per_task_group_indicators_and_timeliness(workbook):
    assert workbook.sheetnames == [
        "Tổng hợp chung",
        *(f"Nhóm {n}" for n in range(1, 10)),
        "Chỉ tiêu",
        "Chỉ tiêu theo đơn vị",
        "Thời hạn nộp",
    ]


def test_every_sheet_has_vietnamese_headers_a_frozen_header_row_and_a_landscape_a4_print_setup(workbook):
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "A4", ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == "$3:$3"
        headers = [c.value for c in ws[HEADER_ROW]]
        assert all(headers) and all(c.font.b for c in ws[HEADER_ROW])
        for letter in "ABC"[: len(headers)]:
            assert ws.column_dimensions[letter].width >= 6
    assert [c.value for c in workbook["Nhóm 3"][HEADER_ROW]] == GROUP_HEADERS
    assert [c.value for c in workbook["Chỉ tiêu"][HEADER_ROW]][:4] == [
        "STT",
        "Nhiệm vụ",
        "Chỉ tiêu",
        "Đơn vị tính",
    ]
    assert [c.value for c in workbook["Thời hạn nộp"][HEADER_ROW]] == [
        "STT",
        "Cơ quan, đơn vị",
        "Trạng thái báo cáo",
        "Ngày nộp lần đầu",
        "Số ngày quá hạn",
        "Thời hạn nộp",
        "Ngày chấp nhận",
        "Được tổng hợp",
    ]


def test_text_that_looks_like_a_formula_comes_back_as_text(workbook, workbook_bytes):
    rows = list(workbook["Nhóm 3"].iter_rows(min_row=FIRST_DATA_ROW))
    results = rows[0][5]
    assert results.value == '=HYPERLINK("http://example.org/x","Bấm vào đây")'
    assert results.data_type == "s" and results.quotePrefix
    assert rows[0][6].value == "-Thiếu kinh phí" and rows[0][6].data_type == "s"
    assert rows[0][7].value == "@Sở Tài chính xem xét" and rows[0][7].data_type == "s"
    plus = next(
        r[5] for r in workbook["Nhóm 2"].iter_rows(min_row=FIRST_DATA_ROW) if r[3].value == "Sở Tài chính"
    )
    assert plus.value == "+84 dự án đã rà soát." and plus.data_type == "s"
    # No cell of the file is a formula: the XML holds no <f> element at all.
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)


def test_rows_are_wrapped_and_figures_dates_are_real_numbers_and_dates(world, workbook):
    group = workbook["Nhóm 9"]
    first = next(group.iter_rows(min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW))
    assert all(cell.alignment.wrap_text for cell in first if cell.data_type == "s"), "long text is wrapped"
    assert all(cell.alignment.horizontal == "right" for cell in first if cell.data_type == "n")
    agencies = {row[3].value for row in group.iter_rows(min_row=FIRST_DATA_ROW)}
    assert agencies == {"Sở Công Thương", "Sở Tài chính"}

    values = {
        (row[1].value, row[4].value): row[5].value
        for row in workbook["Chỉ tiêu theo đơn vị"].iter_rows(min_row=FIRST_DATA_ROW)
    }
    assert values[("3.1", "Sở Công Thương")] == 7

    timeliness = {row[1].value: row for row in workbook["Thời hạn nộp"].iter_rows(min_row=FIRST_DATA_ROW)}
    late = timeliness["Sở Tài chính"]
    assert isinstance(late[3].value, datetime.datetime) and late[3].number_format == "dd/mm/yyyy"
    assert (late[4].value, late[5].value, late[7].value) == (2, "quá hạn 2 ngày", "Có")
    missing = timeliness["Sở Nội vụ"]
    assert (missing[3].value, missing[5].value, missing[7].value) == (None, "chưa nộp", "Không")

    summary = {
        row[0].value: row[1].value for row in workbook["Tổng hợp chung"].iter_rows(min_row=FIRST_DATA_ROW)
    }
    assert summary["Năm báo cáo"] == world.year.year
    assert summary["Đã chấp nhận"] == 2


def test_the_workbook_is_kept_until_the_data_changes(world, workbook_bytes, client_for):
    url = reverse("outputs:consolidated_xlsx", kwargs={"year": world.year.year})
    assert download(client_for(world.reviewer).get(url)) == workbook_bytes
    assert GeneratedOutput.objects.filter(kind=GeneratedOutput.Kind.CONSOLIDATED_XLSX).count() == 1


def test_the_documents_stay_in_vietnamese_when_the_interface_is_in_english(world, client_for, settings):
    accept(world.report_a, world.reviewer)
    client = client_for(world.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("outputs:consolidated", kwargs={"year": world.year.year})).content.decode()
    assert f"Consolidated report {world.year.year}" in page and "Download the Excel workbook" in page
    response = client.get(reverse("outputs:consolidated_xlsx", kwargs={"year": world.year.year}))
    assert load_workbook(io.BytesIO(download(response))).sheetnames[0] == "Tổng hợp chung"


def test_every_sheet_opens_with_a_title_row_naming_the_year_and_the_province(world, workbook):
    year = world.year.year
    for ws in workbook.worksheets:
        title = ws.cell(row=1, column=1)
        assert title.value == f"Báo cáo tổng hợp năm {year} – tỉnh Hưng Yên", ws.title
        assert title.font.b and ws.cell(row=2, column=1).value, ws.title
        last = get_column_letter(ws.max_column)
        assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}, "the title spans the table"
    assert workbook["Nhóm 3"].cell(row=2, column=1).value.startswith("Nhóm 3: ")
    assert "tỉnh Hưng Yên năm" in workbook["Tổng hợp chung"].cell(row=2, column=1).value


def test_figures_are_numbers_dates_are_dates_in_formats_a_vietnamese_reader_expects(workbook):
    totals = list(workbook["Chỉ tiêu"].iter_rows(min_row=FIRST_DATA_ROW))
    assert totals[0][0].data_type == "n" and totals[0][0].number_format == "#,##0"
    reported = [row for row in totals if row[6].value is not None]
    assert reported, "some indicator has a provincial total"
    for row in reported:
        assert row[6].data_type == "n" and row[6].number_format == "#,##0", "whole numbers: no dangling comma"
        assert row[5].data_type == "n" and row[5].number_format == "#,##0"

    by_agency = [
        row
        for row in workbook["Chỉ tiêu theo đơn vị"].iter_rows(min_row=FIRST_DATA_ROW)
        if row[5].value is not None
    ]
    assert by_agency and all(r[5].data_type == "n" and r[5].number_format == "#,##0" for r in by_agency)
    assert all(r[5].alignment.horizontal == "right" for r in by_agency)

    summary = {row[0].value: row[1] for row in workbook["Tổng hợp chung"].iter_rows(min_row=FIRST_DATA_ROW)}
    assert summary["Năm báo cáo"].number_format == "0", "the year is not written 2.025"
    assert summary["Đã chấp nhận"].number_format == "#,##0"
    exported = summary["Thời điểm xuất"]
    assert isinstance(exported.value, datetime.datetime) and exported.number_format == "dd/mm/yyyy hh:mm"

    timeliness = {row[1].value: row for row in workbook["Thời hạn nộp"].iter_rows(min_row=FIRST_DATA_ROW)}
    accepted = timeliness["Sở Công Thương"][6]
    assert accepted.is_date and accepted.number_format == "dd/mm/yyyy"


def test_decimals_keep_their_digits_and_shares_of_the_target_are_percentages(world):
    from assignments.models import Indicator, IndicatorTarget
    from outputs.services import consolidated_xlsx

    accept(world.report_a, world.reviewer, value="7.25")
    summed = Indicator.objects.filter(task__code="3.1", aggregation=Indicator.Aggregation.SUM)
    first, *others = list(summed)
    IndicatorTarget.objects.create(indicator=first, year=world.year.year, value=58)  # 7,25 of 58 = 12,5%
    for indicator in others:
        IndicatorTarget.objects.create(indicator=indicator, year=world.year.year, value="7.25")  # 100%
    workbook = load_workbook(consolidated_xlsx(reporting_year=world.year).file.open("rb"))
    rows = {row[2].value: row for row in workbook["Chỉ tiêu"].iter_rows(min_row=FIRST_DATA_ROW)}
    total, target, achieved = rows[first.name][6], rows[first.name][7], rows[first.name][8]
    assert (total.value, total.number_format) == (7.25, "#,##0.00")
    assert (target.value, target.number_format) == (58, "#,##0")
    assert achieved.data_type == "n" and achieved.value == pytest.approx(0.125)
    assert achieved.number_format == "0.0%"
    for indicator in others:
        assert rows[indicator.name][8].value == pytest.approx(1)
        assert rows[indicator.name][8].number_format == "0%"


def test_a_rows_text_is_stored_as_openpyxls_own_setter_stores_it():
    """SafeSheet.write_row stores text itself (outputs/xlsx.py): the same value and type as openpyxl's setter, a
    formula kept as text with a quote prefix, an error code as an error, a text past Excel's limit cut to it."""
    from openpyxl import Workbook

    from outputs.xlsx import SafeSheet, new_workbook
    from portal.spreadsheets import FORMULA_STARTS

    texts = ["Đã ban hành kế hoạch", "#N/A", "=SUM(A1:A3)", "-5 ngày", "x" * 40_000, "  lề  ", "Dòng 1\nDòng 2"]

    def read_back(workbook) -> list:
        buffer = io.BytesIO()
        workbook.save(buffer)
        return list(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())[-1]

    wb = new_workbook()
    SafeSheet(wb.create_sheet("Thử"), [("Cột", 10)] * len(texts), title="Tiêu đề", subject="Chủ đề").write_row(texts)
    reference = Workbook()
    reference.active.append(texts)
    for cell, expected, text in zip(read_back(wb), read_back(reference), texts, strict=True):
        if text.startswith(FORMULA_STARTS):
            assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
        else:
            assert (cell.value, cell.data_type) == (expected.value, expected.data_type), text[:20]
