"""The consolidated report as an Excel workbook, opened again with openpyxl."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outputs.models import GeneratedOutput
from tests.outputs.conftest import accept, download

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
        assert ws.freeze_panes == "A2", ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == "$1:$1"
        headers = [c.value for c in ws[1]]
        assert all(headers) and all(c.font.b for c in ws[1])
        for letter in "ABC"[: len(headers)]:
            assert ws.column_dimensions[letter].width >= 6
    assert [c.value for c in workbook["Nhóm 3"][1]] == GROUP_HEADERS
    assert [c.value for c in workbook["Chỉ tiêu"][1]][:4] == ["STT", "Nhiệm vụ", "Chỉ tiêu", "Đơn vị tính"]
    assert [c.value for c in workbook["Thời hạn nộp"][1]] == [
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
    rows = list(workbook["Nhóm 3"].iter_rows(min_row=2))
    results = rows[0][5]
    assert results.value == '=HYPERLINK("http://example.org/x","Bấm vào đây")'
    assert results.data_type == "s" and results.quotePrefix
    assert rows[0][6].value == "-Thiếu kinh phí" and rows[0][6].data_type == "s"
    assert rows[0][7].value == "@Sở Tài chính xem xét" and rows[0][7].data_type == "s"
    plus = next(r[5] for r in workbook["Nhóm 2"].iter_rows(min_row=2) if r[3].value == "Sở Tài chính")
    assert plus.value == "+84 dự án đã rà soát." and plus.data_type == "s"
    # No cell of the file is a formula: the XML holds no <f> element at all.
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)


def test_rows_are_wrapped_and_figures_dates_are_real_numbers_and_dates(world, workbook):
    group = workbook["Nhóm 9"]
    first = next(group.iter_rows(min_row=2, max_row=2))
    assert all(cell.alignment.wrap_text for cell in first)
    agencies = {row[3].value for row in group.iter_rows(min_row=2)}
    assert agencies == {"Sở Công Thương", "Sở Tài chính"}

    values = {
        (row[1].value, row[4].value): row[5].value
        for row in workbook["Chỉ tiêu theo đơn vị"].iter_rows(min_row=2)
    }
    assert values[("3.1", "Sở Công Thương")] == 7

    timeliness = {row[1].value: row for row in workbook["Thời hạn nộp"].iter_rows(min_row=2)}
    late = timeliness["Sở Tài chính"]
    assert isinstance(late[3].value, datetime.datetime) and late[3].number_format == "DD/MM/YYYY"
    assert (late[4].value, late[5].value, late[7].value) == (2, "quá hạn 2 ngày", "Có")
    missing = timeliness["Sở Nội vụ"]
    assert (missing[3].value, missing[5].value, missing[7].value) == (None, "chưa nộp", "Không")

    summary = {row[0].value: row[1].value for row in workbook["Tổng hợp chung"].iter_rows(min_row=2)}
    assert summary["Năm báo cáo"] == world.year.year
    assert summary["Đã chấp nhận và tổng hợp"] == 2


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
