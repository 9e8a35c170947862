"""The dashboards read a fixed number of queries, whether the province has 30 agencies or 300."""

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.models import Agency, Indicator, Task
from portal import cache as dashboard_cache
from reports.models import IndicatorValue, Report, TaskReport

pytestmark = pytest.mark.django_db

KINDS = [Agency.Kind.DEPARTMENT, Agency.Kind.DISTRICT, Agency.Kind.COMMUNE]
DISTRICTS = ["Huyện Thử", "Thành phố Thử; Huyện Thử"]
STATES = itertools.cycle(
    [
        Report.State.ACCEPTED,
        Report.State.SUBMITTED,
        Report.State.RETURNED,
        Report.State.DRAFT,
        Report.State.NOT_STARTED,
    ]
)
STATUSES = itertools.cycle(TaskReport.Status.values)
RATINGS = itertools.cycle(["", *TaskReport.Rating.values])


def grow_to(years, count: int) -> None:
    """Add agencies, each with a report in every year, an answer per task of group 9 and its indicator values."""
    reporting = Agency.objects.exclude(kind=Agency.Kind.MINISTRY).count()
    missing = count - reporting
    start = reporting
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Đơn vị thử {start + i}",
            short_name=f"T{start + i}",
            kind=KINDS[i % 3],
            head_title="Giám đốc",
            former_district=DISTRICTS[i % 2] if KINDS[i % 3] == Agency.Kind.COMMUNE else "",
        )
        for i in range(missing)
    )
    tasks = list(Task.objects.filter(group__number=9))
    indicators = {t.pk: list(Indicator.objects.filter(task=t)) for t in tasks}
    now = timezone.now()
    for year in years:
        reports = []
        for i, agency in enumerate(agencies):
            state = next(STATES)
            handed_in = state in (Report.State.ACCEPTED, Report.State.SUBMITTED, Report.State.RETURNED)
            reports.append(
                Report(
                    reporting_year=year,
                    agency=agency,
                    state=state,
                    first_submitted_at=now if handed_in else None,
                    days_late=(i % 4) if handed_in else None,
                )
            )
        reports = Report.objects.bulk_create(reports)
        answers = TaskReport.objects.bulk_create(
            TaskReport(
                report=r, task=t, status=next(STATUSES), results="Đã triển khai.", review_rating=next(RATINGS)
            )
            for r in reports
            for t in tasks
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(task_report=a, indicator=ind, value=Decimal(7))
            for a in answers
            for ind in indicators[a.task_id]
        )


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"kind": "district"}, {"kind": "provincial"}, {"kind": "commune", "district": "Huyện Thử"}, {"group": "9"}],
    ids=["all agencies", "one kind", "a group of kinds", "one former district", "one task group"],
)
def test_the_dashboard_reads_as_many_queries_for_300_agencies_as_for_30(
    params, world, last_year, client_for, django_assert_max_num_queries
):
    client = client_for(world.leader)
    url = reverse("dashboards:index")
    if "group" in params:
        params = {"group": str(world.letter.task_groups.get(number=9).pk)}
    years = [last_year, world.year]
    grow_to(years, 30)
    # The leader's session, permissions and agencies are read once and then kept in the cache (portal.auth); the
    # figures are measured afresh each time with a new generation.
    client.get(url)
    dashboard_cache.bump()
    with django_assert_max_num_queries(18):
        at_30 = count_queries(client, url, **params)

    grow_to(years, 300)
    assert Report.objects.filter(reporting_year=world.year).count() == 300
    # Rows written in bulk send no signals (no service writes reports so): a new generation by hand, so that
    # the dashboard is computed afresh rather than read from the cache.
    dashboard_cache.bump()
    with django_assert_max_num_queries(18):
        at_300 = count_queries(client, url, **params)

    assert at_300 == at_30
    # The heat map shows one page of agencies, whatever the province has.
    heat = client.get(url, params).content.decode().split('id="heatmap-chart"')[1].split("</table>")[0]
    assert heat.count('<th scope="row" class="hm-agency">') <= 50
    # Until the data change again, the figures are a cache read.
    with django_assert_max_num_queries(8):
        count_queries(client, url, **params)


@pytest.mark.parametrize(
    "dataset", ["headline", "heatmap", "progress", "indicators", "indicator-values", "trend"]
)
def test_each_csv_reads_as_many_queries_for_300_agencies_as_for_30(
    dataset, world, last_year, client_for, django_assert_max_num_queries
):
    client = client_for(world.reviewer)
    url = reverse("dashboards:csv", args=[dataset])
    grow_to([last_year, world.year], 30)
    client.get(url)  # the reviewer's session, permissions and agencies, read once and kept in the cache
    dashboard_cache.bump()
    # 10 and one for the former districts the filter checks the address against.
    with django_assert_max_num_queries(11):
        at_30 = count_queries(client, url)

    grow_to([last_year, world.year], 300)
    dashboard_cache.bump()  # bulk rows send no signals: the filter's former districts are read afresh too
    with django_assert_max_num_queries(11):
        at_300 = count_queries(client, url)

    assert at_300 == at_30


def test_the_page_shows_the_first_values_per_agency_and_the_download_holds_every_one(
    world, last_year, client_for
):
    from dashboards.views import VALUES_SHOWN

    client = client_for(world.leader)
    grow_to([last_year, world.year], 300)
    dashboard_cache.bump()
    page = client.get(reverse("dashboards:index")).content.decode()
    values = page.split('id="indicators-heading"')[1]
    handed_in_values = IndicatorValue.objects.filter(
        task_report__report__reporting_year=world.year,
        task_report__report__state__in=[Report.State.SUBMITTED, Report.State.ACCEPTED],
        value__isnull=False,
    ).count()
    assert handed_in_values > VALUES_SHOWN
    assert f"{VALUES_SHOWN} dòng đầu trong tổng số {handed_in_values} dòng" in values
    csv_rows = client.get(reverse("dashboards:csv", args=["indicator-values"])).content.decode("utf-8-sig")
    assert len(csv_rows.strip().splitlines()) - 1 == handed_in_values
