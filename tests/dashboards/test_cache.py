"""The dashboard is computed once per change of the data and served from the cache until the next change: each
kind of change made through the services (submit, return, accept, reopen, year closed) is seen at the next
visit, never a stale figure."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal import cache as dashboard_cache
from reports.models import Report
from reports.services import report_accept, report_reopen, report_return, report_submit
from reports.years import reporting_year_close
from tests.conftest import fill_report

pytestmark = pytest.mark.django_db


def body(html: str) -> str:
    """The part of the page the cache holds: from the headline figures to the end of the indicators."""
    start = html.index('<section id="figures"')
    return html[start : html.index("chart.umd.min.js", start)]


def fresh_body(client) -> str:
    """The page as computed from the database with no cache at all."""
    saved = cache.get(dashboard_cache.GENERATION_KEY)
    cache.clear()
    try:
        return body(client.get(reverse("dashboards:index")).content.decode())
    finally:
        cache.set(dashboard_cache.GENERATION_KEY, saved, None)


def test_a_leaders_second_visit_is_a_cache_read(world, client_for, django_assert_max_num_queries):
    client = client_for(world.leader)
    first = client.get(reverse("dashboards:index")).content.decode()
    with django_assert_max_num_queries(8):  # session, user, permissions, filters: none of the figures
        second = client.get(reverse("dashboards:index")).content.decode()
    assert body(second) == body(first)


def test_every_kind_of_change_is_seen_at_the_next_visit(world, client_for, head_of, django_capture_on_commit_callbacks):
    client = client_for(world.leader)
    url = reverse("dashboards:index")
    seen = [body(client.get(url).content.decode())]

    def after(change, *, shows_a_difference=True):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            generation = dashboard_cache.generation()
            change()
        assert dashboard_cache.bump in callbacks  # replaced again once the change is committed
        assert dashboard_cache.generation() != generation
        page = body(client.get(url).content.decode())
        assert page == fresh_body(client), "the dashboard served figures from before the change"
        if shows_a_difference:
            assert page != seen[-1]
        seen.append(page)

    def figure(name: str) -> str:
        return re.search(rf'data-figure="{name}".*?figure-value[^>]*>([^<]+)<', seen[-1], re.DOTALL).group(1)

    fill_report(world.report_a)
    fill_report(world.report_b)

    after(lambda: report_submit(report=Report.objects.get(pk=world.report_a.pk), actor=world.head_a))
    assert figure("submitted") == "1"
    after(lambda: report_submit(report=Report.objects.get(pk=world.report_b.pk), actor=world.head_b))
    assert figure("submitted") == "2"
    after(lambda: report_return(report=world.report_b, actor=world.reviewer, reason="Bổ sung số liệu."))
    assert figure("submitted") == "1"
    after(lambda: report_accept(report=world.report_a, actor=world.reviewer))
    assert figure("accepted") == "1"
    after(lambda: reporting_year_close(reporting_year=world.year, actor=world.reviewer))
    # A returned report reopened after closing looks the same on the dashboard: only the freshness is checked.
    after(
        lambda: report_reopen(report=world.report_b, actor=world.reviewer, reason="Cho nộp muộn."),
        shows_a_difference=False,
    )


def test_a_change_to_the_agencies_is_seen_too(world, client_for):
    client = client_for(world.leader)
    url = reverse("dashboards:index")
    before = body(client.get(url).content.decode())
    world.agency_b.name = "Sở Tài chính tỉnh Hưng Yên (mới)"
    world.agency_b.save()
    after = body(client.get(url).content.decode())
    assert after == fresh_body(client) and after != before


def test_the_review_board_follows_each_change_too(world, client_for):
    client = client_for(world.reviewer)
    url = reverse("review:board", args=[world.year.year])

    def submitted_figure() -> str:
        page = client.get(url).content.decode()
        return re.search(r'data-figure="submitted".*?figure-value[^>]*>(\d+)', page, re.DOTALL).group(1)

    def row_of(agency) -> str:
        page = client.get(url).content.decode()
        start = page.index(f'data-report="{agency.short_name}"')
        return page[start : page.index("</tr>", start)]

    assert submitted_figure() == "0" and "state-not_started" in row_of(world.agency_a)
    fill_report(world.report_a)
    assert "state-draft" in row_of(world.agency_a)
    report_submit(report=Report.objects.get(pk=world.report_a.pk), actor=world.head_a)
    assert submitted_figure() == "1" and "state-submitted" in row_of(world.agency_a)
    report_accept(report=world.report_a, actor=world.reviewer)
    assert "state-accepted" in row_of(world.agency_a)


def test_an_address_with_other_parameters_reads_the_same_cached_body(world, client_for, django_assert_max_num_queries):
    """Only the filters in use name the cached body: a tracking parameter or an empty filter makes no new entry."""
    client = client_for(world.leader)
    url = reverse("dashboards:index")
    first = client.get(url, {"year": world.year.year}).content.decode()
    for params in ({"year": world.year.year, "utm_source": "zalo", "x": "1"}, {"year": world.year.year, "kind": "", "district": "", "group": ""}):
        with django_assert_max_num_queries(8):
            page = client.get(url, params).content.decode()
        assert body(page) == body(first)
        assert "utm_source" not in body(page) and "{#" not in page


def test_a_filter_that_could_not_be_used_is_drawn_afresh_with_the_value_given(world, client_for):
    client = client_for(world.leader)
    url = reverse("dashboards:index")
    for year in (1998, 1999):
        page = client.get(url, {"year": year}).content.decode()
        assert f"Không có kỳ báo cáo năm {year}." in page, year


def test_the_cached_body_sits_in_each_visitors_own_page_in_their_language(world, client_for):
    """The body comes from the cache as the bytes sent, put into a page drawn for the visitor: their own name in
    the navigation bar, the page's own language, and no trace of the place the body was put."""
    url = reverse("dashboards:index")
    leader = client_for(world.leader).get(url).content.decode()
    reviewer = client_for(world.reviewer).get(url).content.decode()
    assert body(reviewer) == body(leader)
    signed_in = re.compile(r'bi-person-circle" aria-hidden="true"></i>\s*(\S+)')
    assert signed_in.search(reviewer).group(1) == "reviewer" and signed_in.search(leader).group(1) == "leader"
    assert "dashboard body" not in leader and leader.count('<section id="figures"') == 1
    english = client_for(world.leader)
    english.post(reverse("set_language"), {"language": "en", "next": url})
    page = english.get(url).content.decode()
    assert 'lang="en"' in page and body(page) != body(leader)
    assert "Reporting year" in page
