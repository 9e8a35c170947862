"""The download buttons that the report and review pages include for one agency report."""

from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assignments.roles import roles_for
from portal.jinja import render_jinja
from tests.outputs.conftest import submit

PARTIAL = "outputs/report_downloads.html"


def render_for(user, report):
    request = RequestFactory().get("/")
    request.user = user
    return render_jinja(PARTIAL, {"report": report, "roles": roles_for(user), "request": request})


def test_members_and_readers_see_the_pdf_button_once_the_report_is_submitted(world):
    url = reverse("outputs:agency_pdf", kwargs={"pk": world.report_a.pk})
    before = render_for(world.staff_a, world.report_a)
    assert url not in before
    assert "Bản PDF của báo cáo có sau khi báo cáo được nộp." in before

    report = submit(world.report_a)
    for user in (world.staff_a, world.head_a, world.reviewer, world.leader):
        html = render_for(user, report)
        assert url in html and "Tải báo cáo (PDF)" in html
        assert (
            f"Bản nộp ngày {timezone.localtime(report.submitted_at):%d/%m/%Y}, theo thể thức Nghị định 30"
            in html
        )


def test_another_agency_sees_no_button(world):
    report = submit(world.report_a)
    assert render_for(world.staff_b, report).strip() == ""


def test_the_word_button_stands_beside_every_pdf_button(world, client_for):
    report = submit(world.report_a)
    word = reverse("outputs:agency_docx", kwargs={"pk": report.pk})
    for user in (world.staff_a, world.reviewer, world.leader):
        html = render_for(user, report)
        assert word in html and "Tải bản Word" in html
    assert word not in render_for(world.staff_b, report)
    page = client_for(world.reviewer).get(reverse("outputs:consolidated", kwargs={"year": world.year.year}))
    assert reverse("outputs:consolidated_docx", kwargs={"year": world.year.year}) in page.content.decode()
