"""Each chart's numbers also download as an Excel workbook: real numbers, whatever the reader's Excel settings."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.views import DATASETS
from reports.models import IndicatorValue

pytestmark = pytest.mark.django_db


def download(client, dataset, **filters):
    return client.get(reverse("dashboards:xlsx", args=[dataset]), filters)


def sheet_of(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content)).active


def test_the_headline_workbook_holds_the_figures_as_numbers(world, hand_in, client_for):
    hand_in(world.report_a)
    hand_in(world.report_b, days_late=2, accepted_by=world.reviewer)

    response = download(client_for(world.leader), "headline", kind="department")

    assert response["Content-Disposition"] == (
        f'attachment; filename="tang-truong-xanh_headline_{world.year.year}_department.xlsx"'
    )
    ws = sheet_of(response)
    assert ws["A1"].value == f"Số liệu chính năm {world.year.year}"
    assert ws["A2"].value == f"Kỳ báo cáo năm {world.year.year} · Sở"
    assert [c.value for c in ws[3]] == ["Chỉ số", "Số lượng", "Tỷ lệ so với số đơn vị phải nộp (%)"]
    assert ws.freeze_panes == "A4"
    submitted = next(row for row in ws.iter_rows(min_row=4) if row[0].value == "Đã nộp")
    assert submitted[1].value == 2 and submitted[1].data_type == "n" and submitted[1].number_format == "#,##0"
    assert submitted[2].data_type == "n" and submitted[2].number_format == "0%"
    assert 0 < submitted[2].value < 1


def test_decimals_stay_numbers_and_agency_text_never_runs_as_a_formula(world, hand_in, client_for):
    IndicatorValue.objects.filter(task_report__report=world.report_a, indicator_id=10).update(
        value=Decimal("12345.5"), note='=HYPERLINK("http://example.org","x")'
    )
    hand_in(world.report_a)

    ws = sheet_of(download(client_for(world.leader), "indicator-values"))

    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "Sở Công Thương" and r[2].value == "lượt người")
    assert row[3].value == 12345.5 and row[3].data_type == "n"
    assert row[4].value == '=HYPERLINK("http://example.org","x")' and row[4].data_type == "s"


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_downloads_as_a_workbook(dataset, world, last_year, client_for):
    response = download(client_for(world.reviewer), dataset, year=last_year.year)

    assert response.status_code == 200
    ws = sheet_of(response)
    assert ws.max_row >= 4
    assert f"_{dataset}_{last_year.year}.xlsx" in response["Content-Disposition"]


def test_a_workbook_is_never_answered_for_other_filters_than_asked(world, client_for):
    assert download(client_for(world.leader), "headline", year=1999).status_code == 400
