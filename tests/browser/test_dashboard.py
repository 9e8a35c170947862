"""A provincial leader reads the dashboards in the browser: figures, another year, a report, and nothing to edit."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report, TaskReport
from tests.dashboards import fixtures

# The dashboard tests' fixtures, for this module too.
hand_in, head_of, last_year = fixtures.hand_in, fixtures.head_of, fixtures.last_year

pytestmark = pytest.mark.django_db(transaction=True)


def database_figures(reporting_year) -> dict[str, str]:
    """The headline figures counted straight from the report rows, the way the brief defines them."""
    reports = Report.objects.filter(reporting_year=reporting_year)
    return {
        "expected": reports.count(),
        "submitted": reports.filter(first_submitted_at__isnull=False).count(),
        "on_time": reports.filter(days_late=0).count(),
        "late": reports.filter(days_late__gt=0).count(),
        "not_submitted": reports.filter(first_submitted_at__isnull=True).count(),
        "accepted": reports.filter(state=Report.State.ACCEPTED).count(),
    }


def figures_shown(page) -> dict[str, int]:
    shown = {}
    for name in ("expected", "submitted", "on_time", "late", "not_submitted", "accepted"):
        text = page.locator(f'[data-figure="{name}"] .figure-value').inner_text()
        shown[name] = int(text.replace(".", ""))
    return shown


def test_a_leader_reads_the_figures_switches_year_opens_a_report_and_cannot_edit(
    page, live_server, world, last_year, hand_in, login
):
    hand_in(world.report_a, status=TaskReport.Status.COMPLETED)
    hand_in(world.report_b, days_late=2, accepted_by=world.reviewer)

    login(page, "leader")
    page.get_by_role("link", name="Bảng điều hành").first.click()

    expect(
        page.get_by_role("heading", name=f"Bảng điều hành · Kỳ báo cáo năm {world.year.year}")
    ).to_be_visible()
    assert figures_shown(page) == database_figures(world.year)
    assert page.locator('[data-figure="days_to_deadline"] .figure-value').inner_text() == "7"

    # Another year, from the filter: the figures follow.
    page.get_by_label("Kỳ báo cáo").select_option(str(last_year.year))
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_url(re.compile(rf"year={last_year.year}"))
    expect(
        page.get_by_role("heading", name=f"Bảng điều hành · Kỳ báo cáo năm {last_year.year}")
    ).to_be_visible()
    assert figures_shown(page) == database_figures(last_year)
    assert database_figures(last_year)["submitted"] == 15

    # Back to this year; a cell of the heat map opens that agency's report, read-only.
    page.get_by_label("Kỳ báo cáo").select_option(str(world.year.year))
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_url(re.compile(rf"year={world.year.year}"))
    page.get_by_role("link", name=re.compile(r"^Sở Công Thương, nhiệm vụ 3\.1: ")).click()
    page.wait_for_url(f"{live_server.url}{reverse('reports:detail', args=[world.report_a.pk])}#task-3-1")
    expect(page.locator("#task-3-1")).to_be_in_viewport()
    expect(page.get_by_role("heading", name=re.compile("Sở Công Thương"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Nộp|Lưu|Gửi"))).to_have_count(0)

    # Pages that change data are closed to leaders: the review board and page, year management, report editing.
    for url in (
        reverse("review:board", args=[world.year.year]),
        reverse("review:report", args=[world.report_a.pk]),
        reverse("review:years"),
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 403, url
        expect(page.get_by_role("heading", name="Bạn không có quyền thực hiện thao tác này")).to_be_visible()
    response = page.goto(f"{live_server.url}{reverse('reports:edit', args=[world.report_a.pk])}")
    assert response.status in (403, 404)


def test_each_chart_switches_to_a_table_of_the_same_numbers_and_downloads_them(
    page, live_server, world, last_year, login
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, "leader")
    page.goto(f"{live_server.url}{reverse('dashboards:index')}")
    for key in ("states", "trend", "progress", "indicator_trend"):
        expect(page.locator(f"#{key}-chart canvas")).to_be_visible()
    # No indicator has a target this year, so there is nothing to chart: its table shows instead.
    expect(page.locator("#indicators-chart")).to_be_hidden()
    expect(page.locator("#indicators-table")).to_be_visible()
    trend = page.locator("[data-chart-card]").filter(
        has=page.get_by_role("heading", name=re.compile("Xu hướng qua các năm"))
    )
    expect(trend.locator("canvas")).to_be_visible()
    expect(trend.locator("table")).to_be_hidden()

    trend.get_by_role("button", name="Xem dạng bảng").click()

    table = trend.locator("table")
    expect(table).to_be_visible()
    expect(trend.locator("canvas")).to_be_hidden()
    last_row = table.locator("tbody tr").first
    expect(last_row.locator("th")).to_have_text(str(last_year.year))
    expect(last_row.locator("td").nth(2)).to_have_text("15")  # submitted
    expect(trend.get_by_role("button", name="Xem biểu đồ")).to_be_visible()

    with page.expect_download() as info:
        trend.get_by_role("link", name=re.compile("Tải CSV")).click()
    download = info.value
    assert download.suggested_filename == f"tang-truong-xanh_trend_{world.year.year}.csv"
    body = download.path().read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    assert f"{last_year.year},Đã khóa sổ,29,15,52,14,48,1,14," in body.decode("utf-8-sig")

    # The heat map has its table view too: one row per agency and task it carries.
    heat = page.locator("#heatmap")
    heat.get_by_role("button", name="Xem dạng bảng").click()
    expect(heat.locator(".heatmap-wrap")).to_be_hidden()
    rows = heat.locator("#heatmap-table tbody tr")
    expect(rows).to_have_count(TaskReport.objects.filter(report__reporting_year=world.year).count())
    expect(rows.filter(has_text="Sở Công Thương")).to_have_count(6)
    assert errors == []


def test_the_dashboards_fit_a_phone_screen(page, live_server, world, login):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "leader")
    page.goto(f"{live_server.url}{reverse('dashboards:index')}")

    expect(page.locator('[data-figure="expected"] .figure-value')).to_have_text("29")
    # The page itself does not scroll sideways; the heat map scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".heatmap-wrap")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(page.locator("#progress-chart canvas")).to_be_visible()
