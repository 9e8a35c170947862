"""Reading a report: live for its agency, the submitted version for everyone else; files, versions, history."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from assignments.models import Indicator, Task
from reports.drafting import DraftInput, report_draft_save
from reports.models import Evidence, Report, TaskReport
from reports.services import report_accept, report_return, report_submit
from reports.years import reports_sync_for_year
from tests.conftest import fill_report
from tests.reports.conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def answer(report, code) -> TaskReport:
    return report.task_reports.get(task__code=code)


def write(report, actor, code, **fields):
    report.refresh_from_db()
    report_draft_save(
        report=report, actor=actor, expected_version=report.version, draft=DraftInput(answers={answer(report, code).pk: fields})
    )


def attach(report, actor, code, name="Biên bản hội nghị.pdf"):
    report.refresh_from_db()
    report_draft_save(
        report=report,
        actor=actor,
        expected_version=report.version,
        draft=DraftInput(uploads=[(answer(report, code).pk, upload(name, pdf_bytes()))]),
    )
    return Evidence.objects.filter(original_name=name).latest("pk")


def detail(client, report):
    return client.get(reverse("reports:detail", kwargs={"pk": report.pk}))


def test_the_agency_reads_its_live_draft_and_reviewers_only_what_was_submitted(world, client_for):
    write(world.report_a, world.staff_a, "3.1", status="in_progress", results="Bản nháp chưa nộp.")
    member = detail(client_for(world.staff_a), world.report_a).content.decode()
    assert "Bản nháp chưa nộp." in member and "Đang triển khai" in member
    reviewer = detail(client_for(world.reviewer), world.report_a).content.decode()
    assert "Bản nháp chưa nộp." not in reviewer
    assert "Đơn vị chưa nộp báo cáo này." in reviewer

    fill_report(world.report_a, results="Nội dung đã nộp.")
    report_submit(report=world.report_a, actor=world.head_a)
    report_return(report=world.report_a, actor=world.reviewer, reason="Bổ sung.")
    write(world.report_a, world.staff_a, "3.1", results="Đang sửa sau khi bị trả lại.")
    for user in (world.reviewer, world.leader, world.admin):
        html = detail(client_for(user), world.report_a).content.decode()
        assert "Nội dung đã nộp." in html and "Đang sửa sau khi bị trả lại." not in html
        assert "Đang hiển thị lần nộp thứ 1" in html
    assert "Đang sửa sau khi bị trả lại." in detail(client_for(world.head_a), world.report_a).content.decode()


def test_the_read_page_shows_state_timeliness_and_signatory_after_submission(world, client_for):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    html = detail(client_for(world.staff_a), world.report_a).content.decode()
    assert "Đã nộp" in html and "đúng hạn" in html
    assert world.head_a.get_full_name() in html and "Phó Giám đốc" in html
    assert "chỉ xem được" in html
    assert reverse("reports:edit", kwargs={"pk": world.report_a.pk}) not in html


def test_indicator_values_are_shown_with_vietnamese_separators_and_the_years_target(world, client_for):
    from assignments.models import IndicatorTarget

    value = world.report_a.task_reports.get(task__code="3.1").indicator_values.get(indicator__name__startswith="Tổng vốn")
    IndicatorTarget.objects.create(indicator=value.indicator, year=world.year.year, value="2500.5")
    world.report_a.refresh_from_db()
    report_draft_save(
        report=world.report_a,
        actor=world.staff_a,
        expected_version=world.report_a.version,
        draft=DraftInput(values={value.pk: {"value": __import__("decimal").Decimal("1234567.25")}}),
    )
    html = detail(client_for(world.staff_a), world.report_a).content.decode()
    assert "1.234.567,25" in html and "2.500,5" in html and "tỷ đồng" in html


# --- Evidence downloads ----------------------------------------------------------------------------------


def download(client, evidence):
    return client.get(
        reverse("reports:evidence_download", kwargs={"pk": evidence.task_report.report_id, "evidence_pk": evidence.pk})
    )


def test_members_download_a_file_under_its_original_vietnamese_name(world, client_for):
    evidence = attach(world.report_a, world.staff_a, "3.1")
    response = download(client_for(world.head_a), evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Bien ban hoi nghi.pdf"')
    assert f"filename*=UTF-8''{quote('Biên bản hội nghị.pdf')}" in disposition


def test_a_drafts_files_stay_inside_the_agency_until_submission(world, client_for):
    evidence = attach(world.report_a, world.staff_a, "3.1")
    for user in (world.staff_b, world.reviewer, world.leader):
        assert download(client_for(user), evidence).status_code == 404
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    assert download(client_for(world.reviewer), evidence).status_code == 200
    assert download(client_for(world.leader), evidence).status_code == 200
    assert download(client_for(world.staff_b), evidence).status_code == 404


def test_a_file_cannot_be_fetched_through_another_reports_address(world, client_for):
    evidence = attach(world.report_a, world.staff_a, "3.1")
    url = reverse("reports:evidence_download", kwargs={"pk": world.report_b.pk, "evidence_pk": evidence.pk})
    assert client_for(world.staff_b).get(url).status_code == 404
    assert client_for(world.staff_a).get(url).status_code == 404


def test_a_file_removed_after_submission_still_opens_from_its_version(world, client_for):
    evidence = attach(world.report_a, world.staff_a, "3.1", name="v1.pdf")
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    report_return(report=world.report_a, actor=world.reviewer, reason="Thay tệp.")
    world.report_a.refresh_from_db()
    report_draft_save(
        report=world.report_a, actor=world.staff_a, expected_version=world.report_a.version, draft=DraftInput(removals=[evidence.pk])
    )
    client = client_for(world.reviewer)
    version_page = client.get(reverse("reports:version", kwargs={"pk": world.report_a.pk, "number": 1})).content.decode()
    assert "v1.pdf" in version_page
    assert download(client, evidence).status_code == 200
    live = detail(client_for(world.staff_a), world.report_a).content.decode()
    assert "v1.pdf" not in live


# --- Versions and history --------------------------------------------------------------------------------


def test_every_submission_is_kept_and_two_can_be_compared(world, client_for):
    fill_report(world.report_a, results="Kết quả lần đầu.")
    report_submit(report=world.report_a, actor=world.head_a)
    report_return(report=world.report_a, actor=world.reviewer, reason="Bổ sung số liệu.")
    write(world.report_a, world.staff_a, "3.1", results="Kết quả lần đầu, bổ sung số liệu cụ thể.")
    report_submit(report=world.report_a, actor=world.head_a)
    client = client_for(world.staff_a)
    listing = client.get(reverse("reports:versions", kwargs={"pk": world.report_a.pk})).content.decode()
    assert "Lần 1" in listing and "Lần 2" in listing
    compare = client.get(reverse("reports:compare", kwargs={"pk": world.report_a.pk}) + "?a=1&b=2")
    assert compare.status_code == 200
    changes = compare.context["changes"]
    assert [(c.section, c.label) for c in changes] == [("3.1", "Kết quả đạt được")]
    html = compare.content.decode()
    assert "bổ sung số liệu cụ thể.</ins>" in html and "<del>" in html
    version = client.get(reverse("reports:version", kwargs={"pk": world.report_a.pk, "number": 1})).content.decode()
    assert "Kết quả lần đầu." in version and "Bổ sung số liệu." in version
    assert client.get(reverse("reports:version", kwargs={"pk": world.report_a.pk, "number": 9})).status_code == 404


def test_members_compare_their_draft_with_the_last_submission(world, client_for):
    fill_report(world.report_a, results="Đã nộp.")
    report_submit(report=world.report_a, actor=world.head_a)
    report_return(report=world.report_a, actor=world.reviewer, reason="Sửa.")
    write(world.report_a, world.staff_a, "9.1", results="Đã nộp, nay sửa.")
    response = client_for(world.staff_a).get(reverse("reports:compare", kwargs={"pk": world.report_a.pk}))
    assert (response.context["old"], response.context["new"]) == (1, 0)
    assert [c.section for c in response.context["changes"]] == ["9.1"]
    reviewer = client_for(world.reviewer).get(reverse("reports:compare", kwargs={"pk": world.report_a.pk}) + "?a=1&b=0")
    assert reviewer.context["new"] == 1  # the draft is the agency's own


def test_the_history_lists_saves_files_and_state_changes_with_vietnamese_labels(world, client_for):
    write(world.report_a, world.staff_a, "3.1", status="completed", results="Kết quả có trong lịch sử.")
    attach(world.report_a, world.staff_a, "3.1")
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    report_return(report=world.report_a, actor=world.reviewer, reason="Lý do trả lại để kiểm tra.")
    report_accept_ready = Report.objects.get(pk=world.report_a.pk)
    report_submit(report=report_accept_ready, actor=world.head_a)
    report_accept(report=report_accept_ready, actor=world.reviewer)
    html = client_for(world.staff_a).get(reverse("reports:history", kwargs={"pk": world.report_a.pk})).content.decode()
    for text in (
        "Draft saved",
        "Kết quả có trong lịch sử.",
        "Nhiệm vụ 3.1 · Kết quả đạt được",
        "Biên bản hội nghị.pdf",
        "Chưa bắt đầu → Đang soạn",
        "Đang soạn → Đã nộp",
        "Đã nộp → Bị trả lại",
        "Bị trả lại → Đã nộp",
        "Đã nộp → Đã chấp nhận",
        "Lý do trả lại để kiểm tra.",
        "Lần nộp thứ 1, đúng hạn",
    ):
        if text == "Draft saved":
            continue  # the action's own label belongs to the audit catalog
        assert text in html, text
    reviewer = client_for(world.reviewer).get(reverse("reports:history", kwargs={"pk": world.report_a.pk})).content.decode()
    assert "Kết quả có trong lịch sử." not in reviewer  # draft text stays with the agency
    assert "Biên bản hội nghị.pdf" not in reviewer  # and so do the names of the files it attached while drafting
    assert "Lý do trả lại để kiểm tra." in reviewer


# --- A bounded number of queries whatever the size of the report ----------------------------------------


def grow(world, tasks: int, indicators_per_task: int) -> None:
    """Give agency A's group more tasks, each with indicators, and sync them into its report."""
    group = Task.objects.get(code="3.1").group
    start = group.tasks.count() + 1
    for n in range(start, start + tasks):
        task = Task.objects.create(group=group, code=f"3.{n}", position=n, text=f"Nhiệm vụ thử {n}")
        task.assignments.create(agency=world.agency_a, source="named")
        for i in range(indicators_per_task):
            Indicator.objects.create(task=task, name=f"Chỉ tiêu {n}.{i}", unit="dự án", position=100 + i)
    reports_sync_for_year(reporting_year=world.year)


def fill_everything(world):
    """Answers, indicator values, a file, a document and an activity: every kind of row the pages show."""
    from reports.models import CommunicationActivity, IndicatorValue, IssuedDocument

    report = Report.objects.get(pk=world.report_a.pk)
    fill_report(report)
    IndicatorValue.objects.filter(task_report__report=report).update(value=12)
    IssuedDocument.objects.create(report=report, number_symbol="1/KH-SCT", issuer="Sở Công Thương", title="Kế hoạch")
    CommunicationActivity.objects.create(report=report, description="Hội nghị", participants=50)
    attach(report, world.staff_a, "3.1")
    return report


@pytest.mark.parametrize("url_name", ["reports:edit", "reports:detail"])
def test_report_pages_make_the_same_number_of_queries_for_a_small_and_a_large_report(
    url_name, world, client_for, django_assert_max_num_queries
):
    client = client_for(world.staff_a)
    url = reverse(url_name, kwargs={"pk": world.report_a.pk})
    fill_everything(world)
    client.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(25) as small:
        assert client.get(url).status_code == 200
    grow(world, tasks=12, indicators_per_task=4)
    fill_everything(world)
    client.get(url)  # the directive changed: the first request reads its tasks and indicators again
    with django_assert_max_num_queries(25) as large:
        response = client.get(url)
        assert response.status_code == 200
    assert "Nhiệm vụ 3.14" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("url_name", ["reports:versions", "reports:history", "reports:compare"])
def test_version_and_history_pages_stay_flat(url_name, world, client_for, django_assert_max_num_queries):
    client = client_for(world.staff_a)
    url = reverse(url_name, kwargs={"pk": world.report_a.pk})
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for _ in range(4):
        report_return(report=world.report_a, actor=world.reviewer, reason="Sửa lại.")
        report_submit(report=Report.objects.get(pk=world.report_a.pk), actor=world.head_a)
    client.get(url)  # the count of the notices those rounds brought, read once and then kept in the cache
    with django_assert_max_num_queries(20) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("url_name", ["reports:history", "reports:version"])
def test_every_tab_of_a_returned_report_leads_back_to_the_form(url_name, world, client_for):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    report_return(report=world.report_a, actor=world.reviewer, reason="Sửa lại.")
    kwargs = {"pk": world.report_a.pk} | ({"number": 1} if url_name == "reports:version" else {})
    edit_url = reverse("reports:edit", kwargs={"pk": world.report_a.pk})
    assert f'href="{edit_url}"' in client_for(world.staff_a).get(reverse(url_name, kwargs=kwargs)).content.decode()
    assert f'href="{edit_url}"' not in client_for(world.reviewer).get(reverse(url_name, kwargs=kwargs)).content.decode()


@pytest.mark.parametrize("url_name", ["reports:history", "reports:version"])
def test_a_submitted_report_offers_no_form_on_any_tab(url_name, world, client_for):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    kwargs = {"pk": world.report_a.pk} | ({"number": 1} if url_name == "reports:version" else {})
    edit_url = reverse("reports:edit", kwargs={"pk": world.report_a.pk})
    assert f'href="{edit_url}"' not in client_for(world.staff_a).get(reverse(url_name, kwargs=kwargs)).content.decode()


def test_the_agency_sees_the_reviewers_rating_beside_each_task_once_the_report_is_returned(world, client_for):
    from review.services import report_review

    fill_report(world.report_a)
    report = report_submit(report=Report.objects.get(pk=world.report_a.pk), actor=world.head_a)
    answer = report.task_reports.first()
    report_review(
        report=report,
        actor=world.reviewer,
        ratings={answer.pk: TaskReport.Rating.BEHIND},
        task_comments={answer.pk: "Cần bổ sung số liệu."},
    )
    client = client_for(world.staff_a)
    detail = reverse("reports:detail", args=[report.pk])
    # Still under review: the ratings are not the agency's yet.
    assert "Đánh giá của chuyên viên tổng hợp:" not in client.get(detail).content.decode()

    report_return(report=Report.objects.get(pk=report.pk), actor=world.reviewer, reason="Bổ sung số liệu.")
    for url in (detail, reverse("reports:edit", args=[report.pk])):
        page = client.get(url).content.decode()
        rating = page.index("Đánh giá của chuyên viên tổng hợp:")
        assert "Chậm tiến độ" in page[rating : rating + 400]
        assert "Cần bổ sung số liệu." in page[rating : rating + 2000]


def test_indicator_tables_have_one_layout_for_the_agency_and_the_reviewers(world, client_for):
    fill_report(world.report_a)
    report = report_submit(report=Report.objects.get(pk=world.report_a.pk), actor=world.head_a)

    def headers(client, url):
        page = client.get(url).content.decode()
        table = page[page.index('class="table table-sm table-bordered align-middle mb-2 indicator-table"') :]
        head = table[: table.index("</thead>")]
        return re.findall(r"<th[^>]*>([^<]+)</th>", head)

    agency = headers(client_for(world.staff_a), reverse("reports:detail", args=[report.pk]))
    reviewer = headers(client_for(world.reviewer), reverse("review:report", args=[report.pk]))
    assert agency == reviewer
    assert agency[:2] == ["Chỉ tiêu", "Đơn vị tính"]


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_a_report_number_no_report_can_have_answers_404(pk, world, client_for):
    for url_name in ("reports:detail", "reports:edit"):
        assert client_for(world.head_a).get(reverse(url_name, kwargs={"pk": pk})).status_code == 404
