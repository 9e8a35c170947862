"""Each chart's numbers download as CSV: UTF-8 with a byte-order mark, the same rows as its table view."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from dashboards import tables
from dashboards.views import DATASETS
from reports.models import IndicatorValue, Report

pytestmark = pytest.mark.django_db


def download(client, dataset, **filters):
    return client.get(reverse("dashboards:csv", args=[dataset]), filters)


def rows_of(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_headline_csv_holds_the_figures_of_the_page(world, hand_in, client_for):
    hand_in(world.report_a)
    hand_in(world.report_b, days_late=2, accepted_by=world.reviewer)

    response = download(client_for(world.leader), "headline")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="tang-truong-xanh_headline_{world.year.year}.csv"'
    )
    rows = rows_of(response)
    assert rows[0] == ["Chỉ số", "Số lượng", "Tỷ lệ so với số đơn vị phải nộp (%)"]
    assert rows[1:8] == [
        ["Phải báo cáo", "29", ""],
        ["Đã nộp", "2", "7"],
        ["Đúng hạn", "1", "3"],
        ["Quá hạn", "1", "3"],
        ["Chưa nộp", "27", "93"],
        ["Chờ xem xét", "1", ""],
        ["Đã chấp nhận", "1", "3"],
    ]
    assert rows[8][1] == "7"  # days to the deadline


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_downloads_with_a_header_row(dataset, world, last_year, client_for):
    response = download(client_for(world.reviewer), dataset, year=last_year.year)

    assert response.status_code == 200
    rows = rows_of(response)
    assert len(rows) >= 2
    assert len({len(r) for r in rows}) == 1, "every row has as many cells as the header"
    assert f"_{dataset}_{last_year.year}.csv" in response["Content-Disposition"]


def test_the_heat_map_csv_lists_every_agency_and_task_it_carries(world, hand_in, client_for):
    hand_in(world.report_a)

    rows = rows_of(download(client_for(world.leader), "heatmap"))

    assert rows[0] == [
        "Đơn vị",
        "Nhiệm vụ",
        "Báo cáo",
        "Tình trạng thực hiện",
        "Đánh giá của cơ quan tổng hợp",
    ]
    sct = [r for r in rows[1:] if r[0] == "Sở Công Thương"]
    assert [r[1] for r in sct] == ["3.1", "3.2", "9.1", "9.2", "9.3", "9.4"]
    total_answers = sum(r.task_reports.count() for r in Report.objects.filter(reporting_year=world.year))
    assert len(rows) - 1 == total_answers


def test_the_csv_follows_the_filters_of_the_page(world, client_for):
    rows = rows_of(download(client_for(world.leader), "heatmap", kind="district"))

    assert len({r[0] for r in rows[1:]}) == 10
    assert all(r[0].startswith("Ủy ban nhân dân") for r in rows[1:])


def test_numbers_stay_plain_numbers_in_the_csv(world, hand_in, client_for):
    IndicatorValue.objects.filter(task_report__report=world.report_a, indicator_id=10).update(
        value=Decimal("12345.5")
    )
    hand_in(world.report_a)

    rows = rows_of(download(client_for(world.leader), "indicator-values"))

    assert [
        "Sở Công Thương",
        "Số lượt người được tuyên truyền, phổ biến",
        "lượt người",
        "12345.5",
        "",
    ] in rows


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(world, hand_in, client_for):
    IndicatorValue.objects.filter(task_report__report=world.report_a, indicator_id=10).update(
        value=1, note='=HYPERLINK("http://example.org","x")'
    )
    hand_in(world.report_a)

    rows = rows_of(download(client_for(world.leader), "indicator-values"))

    note = next(r[4] for r in rows if r[0] == "Sở Công Thương" and r[2] == "lượt người")
    assert note == '\'=HYPERLINK("http://example.org","x")'


def test_a_csv_is_never_answered_for_other_filters_than_asked(world, client_for):
    response = download(client_for(world.leader), "headline", year=1999)

    assert response.status_code == 400
    assert "Không có kỳ báo cáo năm 1999" in response.content.decode()


def test_an_unknown_dataset_is_not_found(world, client_for):
    assert download(client_for(world.leader), "passwords").status_code == 404


def test_the_table_view_and_the_csv_are_built_from_one_table(world, client_for):
    from dashboards import selectors

    table = tables.trend_table(
        selectors.year_rates(selectors.Scope(world.year), selectors.years_of(world.year))
    )
    rows = rows_of(download(client_for(world.leader), "trend"))

    assert rows[0] == [str(c.label) for c in table.columns]
    assert rows[1] == [tables.csv_text(v, c.kind) for v, c in zip(table.rows[0], table.columns, strict=True)]
