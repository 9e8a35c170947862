"""What the dashboards count: every figure comes from the reports in the database, and no draft is ever read."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assignments.models import Agency, IndicatorTarget, TaskGroup
from dashboards import selectors
from dashboards.selectors import Scope
from reports.models import IndicatorValue, Report, TaskReport
from review.services import Decision, report_review
from tests.conftest import fill_report

pytestmark = pytest.mark.django_db


def figures_on_page(html: str) -> dict[str, str]:
    """The number shown in each headline card, by its data-figure name."""
    return dict(re.findall(r'data-figure="(\w+)".*?figure-value[^>]*>([^<]+)<', html, flags=re.DOTALL))


def vi(label) -> str:
    with translation.override("vi"):
        return str(label)


def test_headline_figures_equal_the_reports_in_the_database(world, hand_in, client_for):
    hand_in(world.report_a)
    hand_in(world.report_b, days_late=3, accepted_by=world.reviewer)
    reports = Report.objects.filter(reporting_year=world.year)

    h = selectors.headline(Scope(world.year))

    assert h.expected == reports.count() == 29
    assert (h.submitted, h.on_time, h.late, h.accepted) == (2, 1, 1, 1)
    assert h.not_submitted == reports.filter(first_submitted_at__isnull=True).count() == 27
    assert h.days_to_deadline == 7
    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()
    assert figures_on_page(page) == {
        "expected": "29",
        "submitted": "2",
        "on_time": "1",
        "late": "1",
        "not_submitted": "27",
        "awaiting_review": "1",
        "accepted": "1",
        "days_to_deadline": "7",
    }
    assert "ngày còn lại" in page


def test_a_returned_report_counts_as_not_submitted_until_it_is_handed_in_again(world, hand_in, return_report):
    hand_in(world.report_a)
    return_report(world.report_a, world.reviewer)

    h = selectors.headline(Scope(world.year))
    assert (h.submitted, h.on_time, h.returned, h.awaiting_review) == (0, 0, 1, 0)
    assert h.not_submitted == h.not_started + h.drafting + h.returned

    world.report_a.refresh_from_db()
    world.report_a.task_reports.update(results="Đã bổ sung.")
    from reports.services import report_submit

    report_submit(report=world.report_a, actor=world.head_a)
    h = selectors.headline(Scope(world.year))
    # Back in, and on time by its first submission.
    assert (h.submitted, h.on_time, h.returned, h.awaiting_review) == (1, 1, 0, 1)


def test_days_past_the_deadline_are_shown_once_it_has_passed(world, client_for):
    world.year.deadline = world.year.deadline - datetime.timedelta(days=10)
    world.year.save(update_fields=["deadline"])

    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()

    assert figures_on_page(page)["days_to_deadline"] == "3"
    assert "ngày quá hạn" in page


def test_a_draft_shows_its_state_on_the_heat_map_never_its_answers(world):
    fill_report(world.report_a, status=TaskReport.Status.COMPLETED)
    TaskReport.objects.filter(report=world.report_a).update(review_rating=TaskReport.Rating.DONE)

    heat = selectors.heat_map(Scope(world.year))

    row = next(r for r in heat.rows if r.report.pk == world.report_a.pk)
    cells = [c for c in row.cells if c is not None]
    assert len(cells) == world.report_a.task_reports.count() == 6
    assert {c.category.code for c in cells} == {"report_draft"}
    assert {c.rating for c in cells} == {""}


def test_a_returned_report_shows_as_returned_until_it_is_submitted_again(world, hand_in, return_report):
    hand_in(world.report_a, status=TaskReport.Status.IN_PROGRESS)
    return_report(world.report_a, world.reviewer)

    heat = selectors.heat_map(Scope(world.year))

    row = next(r for r in heat.rows if r.report.pk == world.report_a.pk)
    assert {c.category.code for c in row.cells if c} == {"report_returned"}


def test_handed_in_answers_fill_the_cells_with_status_and_the_reviewers_rating(world, hand_in, client_for):
    hand_in(world.report_a, status=TaskReport.Status.COMPLETED)
    task_31 = world.report_a.task_reports.get(task__code="3.1")
    report_review(
        report=world.report_a,
        actor=world.reviewer,
        decision=Decision.ACCEPT,
        ratings={task_31.pk: TaskReport.Rating.BEHIND},
    )

    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()

    completed, behind = vi(TaskReport.Status.COMPLETED.label), vi(TaskReport.Rating.BEHIND.label)
    # In words for screen readers (and as a tooltip), with the reviewer's rating; the cell links to the report.
    assert (
        f"Sở Công Thương, nhiệm vụ 3.1: {completed}; đánh giá của cơ quan tổng hợp: {behind}</span>" in page
    )
    assert f"Sở Công Thương, nhiệm vụ 3.2: {completed}</span>" in page
    # The cell opens the report at that task.
    assert f'href="{reverse("reports:detail", args=[world.report_a.pk])}#task-3-1"' in page
    # And for the eye: the short label and the rating's short label.
    cell = re.search(r'<td class="hm hm-completed">.*?</td>', page, flags=re.DOTALL).group(0)
    assert "Đã HT" in cell


def test_cells_appear_only_where_the_agency_carries_the_task(world):
    heat = selectors.heat_map(Scope(world.year))

    row_a = next(r for r in heat.rows if r.report.pk == world.report_a.pk)
    carried = [heat.tasks[i].code for i, cell in enumerate(row_a.cells) if cell is not None]
    assert carried == ["3.1", "3.2", "9.1", "9.2", "9.3", "9.4"]
    assert [t.code for t in heat.tasks][:3] == ["1.1", "1.2", "1.3"]
    assert len(heat.rows) == Report.objects.filter(reporting_year=world.year).count()


def test_progress_per_task_group_counts_each_assigned_agency_once(world, hand_in):
    hand_in(world.report_a, status=TaskReport.Status.COMPLETED)
    hand_in(world.report_b, status=TaskReport.Status.IN_PROGRESS)

    progress = selectors.task_progress(selectors.heat_map(Scope(world.year)))

    group_9 = next(p for p in progress if p.group.number == 9 and p.task is None)
    agencies = Report.objects.filter(reporting_year=world.year).count()
    assert group_9.total == 4 * agencies
    assert group_9.count("completed") == 4 and group_9.count("in_progress") == 4
    assert group_9.not_handed_in == 4 * (agencies - 2)
    task_91 = next(p for p in progress if p.task is not None and p.task.code == "9.1")
    assert (task_91.total, task_91.count("completed"), task_91.count("in_progress")) == (agencies, 1, 1)
    group_3 = next(p for p in progress if p.group.number == 3 and p.task is None)
    assert (group_3.total, group_3.count("completed")) == (2, 2)


def test_filtering_by_kind_of_agency_counts_only_those_agencies(world, hand_in, client_for):
    district = Report.objects.filter(reporting_year=world.year, agency__kind=Agency.Kind.DISTRICT).first()
    hand_in(district)
    hand_in(world.report_a)

    h = selectors.headline(Scope(world.year, kind=Agency.Kind.DISTRICT))
    heat = selectors.heat_map(Scope(world.year, kind=Agency.Kind.DISTRICT))

    assert (h.expected, h.submitted) == (10, 1)
    assert {r.report.agency.kind for r in heat.rows} == {"district"}
    page = client_for(world.leader).get(reverse("dashboards:index"), {"kind": "district"}).content.decode()
    assert figures_on_page(page)["expected"] == "10"
    assert 'value="district" selected' in page


def test_filtering_by_task_group_keeps_its_tasks_and_the_agencies_that_carry_them(world, client_for):
    group_3 = TaskGroup.objects.get(directive=world.letter, number=3)

    scope = Scope(world.year, group=group_3)
    heat = selectors.heat_map(scope)

    assert [t.code for t in heat.tasks] == ["3.1", "3.2"]
    assert [r.report.agency.short_name for r in heat.rows] == ["SCT"]
    assert selectors.headline(scope).expected == 1
    page = client_for(world.leader).get(reverse("dashboards:index"), {"group": group_3.pk}).content.decode()
    assert figures_on_page(page)["expected"] == "1"
    assert "các đơn vị được giao nhiệm vụ nhóm 3" in page


def test_switching_year_shows_that_years_figures(world, last_year, client_for):
    reports = Report.objects.filter(reporting_year=last_year)

    page = (
        client_for(world.leader).get(reverse("dashboards:index"), {"year": last_year.year}).content.decode()
    )

    figures = figures_on_page(page)
    assert figures["expected"] == str(reports.count())
    assert figures["submitted"] == str(reports.filter(first_submitted_at__isnull=False).count()) == "15"
    assert figures["late"] == str(reports.filter(days_late__gt=0).count()) == "1"
    assert figures["accepted"] == str(reports.filter(state=Report.State.ACCEPTED).count())
    assert f"Kỳ báo cáo năm {last_year.year}" in page


def test_an_unknown_year_is_refused_beside_the_filter_and_the_current_year_is_shown(world, client_for):
    response = client_for(world.leader).get(reverse("dashboards:index"), {"year": "1999", "kind": "planet"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Không có kỳ báo cáo năm 1999. Vui lòng chọn một năm trong danh sách." in page
    assert "Vui lòng chọn loại cơ quan trong danh sách." in page
    assert 'aria-invalid="true"' in page
    assert f"Kỳ báo cáo năm {world.year.year}" in page
    assert figures_on_page(page)["expected"] == "29"


def test_indicator_totals_add_handed_in_values_only_and_compare_with_the_target(world, hand_in, head_of):
    communication = 9  # "Số hoạt động truyền thông về tăng trưởng xanh", task 9.2, carried by every agency
    IndicatorTarget.objects.create(indicator_id=communication, year=world.year.year, value=Decimal(10))
    values = {world.report_a: Decimal(3), world.report_b: Decimal("4.5")}
    drafting = Report.objects.filter(reporting_year=world.year, agency__short_name="SXD").get()
    for report, value in [*values.items(), (drafting, Decimal(100))]:
        IndicatorValue.objects.filter(task_report__report=report, indicator_id=communication).update(
            value=value
        )
    hand_in(world.report_a)
    hand_in(world.report_b)
    fill_report(drafting)

    summaries = selectors.indicator_summaries(Scope(world.year), selectors.years_of(world.year))

    summary = next(s for s in summaries if s.indicator.pk == communication)
    assert summary.current.total == Decimal("7.5")
    assert summary.current.target == Decimal(10)
    assert summary.current.percent_of_target == 75
    assert summary.current.values == 2
    assert [(v.agency_name, v.value) for v in summary.by_agency] == [
        ("Sở Tài chính", Decimal("4.5")),
        ("Sở Công Thương", 3),
    ]


def test_indicators_show_their_totals_across_years(world, last_year):
    communication = 9
    IndicatorValue.objects.filter(
        task_report__report__reporting_year=last_year,
        task_report__report__state__in=Report.SUBMITTED_STATES,
        indicator_id=communication,
    ).update(value=2)
    handed_in = Report.objects.filter(reporting_year=last_year, state__in=Report.SUBMITTED_STATES).count()

    summaries = selectors.indicator_summaries(Scope(world.year), selectors.years_of(world.year))

    summary = next(s for s in summaries if s.indicator.pk == communication)
    assert [(v.year, v.total) for v in summary.trend] == [
        (last_year.year, 2 * handed_in),
        (world.year.year, None),
    ]


def test_an_indicator_per_agency_only_has_no_provincial_total(world, hand_in):
    from assignments.models import Indicator

    Indicator.objects.filter(pk=9).update(aggregation=Indicator.Aggregation.NONE)
    IndicatorValue.objects.filter(task_report__report=world.report_a, indicator_id=9).update(value=5)
    hand_in(world.report_a)

    summaries = selectors.indicator_summaries(Scope(world.year), selectors.years_of(world.year))

    summary = next(s for s in summaries if s.indicator.pk == 9)
    assert summary.current.total is None
    assert [(v.agency_name, v.value) for v in summary.by_agency] == [("Sở Công Thương", 5)]


def test_the_trend_gives_submission_and_on_time_rates_per_year(world, last_year, hand_in):
    hand_in(world.report_a)

    rates = selectors.year_rates(Scope(world.year), selectors.years_of(world.year))

    last = Report.objects.filter(reporting_year=last_year)
    assert [r.year for r in rates] == [last_year.year, world.year.year]
    assert rates[0].expected == last.count() == 29
    assert rates[0].submitted == 15 and rates[0].submitted_percent == 52  # 15/29
    assert rates[0].on_time == 14 and rates[0].on_time_percent == 48  # 14/29
    assert (rates[1].submitted, rates[1].on_time_percent) == (1, 3)


def test_the_page_shows_every_number_in_vietnamese_format(world, hand_in, client_for):
    IndicatorTarget.objects.create(indicator_id=10, year=world.year.year, value=Decimal(20000))
    IndicatorValue.objects.filter(task_report__report=world.report_a, indicator_id=10).update(
        value=Decimal("12345.5")
    )
    hand_in(world.report_a)

    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()

    assert "12.345,5" in page
    assert "20.000" in page
    assert "62%" in page  # 12345.5 / 20000
    assert world.year.deadline.strftime("%d/%m/%Y") in page


def test_every_chart_carries_its_numbers_for_the_script_and_a_table_view(world, client_for):
    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()

    for key in ("states", "trend", "progress", "indicators", "indicator_trend"):
        assert f'id="{key}-data" type="application/json"' in page
        assert f'id="{key}-table"' in page
        assert f'data-chart="{key}-data"' in page
    assert page.count("Xem dạng bảng") >= 6  # five charts and the heat map
    assert "vendor/chartjs/chart.umd.min.js" in page


def test_leaders_find_no_way_to_change_anything_on_the_dashboards(world, client_for):
    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()

    forms = re.findall(r"<form[^>]*>", page)
    posting = [f for f in forms if 'method="post"' in f]
    # Only the layout's language switch and log-out post; the filters are a GET form.
    assert len(posting) == 2
    assert reverse("review:board", args=[world.year.year]) not in page


def test_the_dashboards_say_so_when_there_is_no_reporting_year(db, letter, client_for, django_user_model):
    from assignments.roles import LEADERS, ensure_role_groups

    leader = django_user_model.objects.create_user("leader-alone", password="pw")
    leader.groups.add(ensure_role_groups()[LEADERS])

    page = client_for(leader).get(reverse("dashboards:index")).content.decode()

    assert "Chưa có kỳ báo cáo nào" in page


def test_the_dashboards_are_in_english_for_a_user_who_chose_english(world, client_for):
    client = client_for(world.leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("dashboards:index")).content.decode()

    assert "Headline figures" in page and "Table view" in page


def test_a_closed_year_shows_it_is_closed_instead_of_a_countdown(world, client_for):
    from reports.years import reporting_year_close

    reporting_year_close(reporting_year=world.year, actor=world.reviewer)
    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()
    assert "Đã khóa sổ" in page and "đơn vị không còn chỉnh sửa" in page
    assert "ngày còn lại" not in page
