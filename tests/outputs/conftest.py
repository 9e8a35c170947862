"""Helpers for the outputs tests: reports submitted and accepted through the real services, PDFs read back."""

import datetime
import io
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from assignments.models import Membership
from reports.models import IndicatorValue, Report, TaskReport
from reports.services import report_accept, report_submit


@pytest.fixture(autouse=True)
def _portal_language_afterwards(settings):
    """A request in English leaves English active in the thread: give the next test the portal's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def local_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def head_of(agency, *, deputy=True):
    """The agency's head (a deputy, who signs "KT."), created once."""
    membership = (
        Membership.objects.filter(agency=agency, role=Membership.Role.HEAD).select_related("user").first()
    )
    if membership:
        return membership.user
    user = get_user_model().objects.create_user(
        username=f"head_{agency.pk}", password="pw", first_name="Lê Thị", last_name="Hòa"
    )
    Membership.objects.create(
        user=user,
        agency=agency,
        role=Membership.Role.HEAD,
        position_title=f"Phó {agency.head_title}" if deputy else agency.head_title,
        is_deputy=deputy,
    )
    return user


def write(
    report: Report,
    *,
    results=None,
    status=TaskReport.Status.COMPLETED,
    difficulties="",
    proposals="",
    value=None,
):
    """Answer every task of the report (as the form would) and give each indicator a value."""
    for answer in report.task_reports.select_related("task"):
        answer.status = status
        answer.results = results or f"Kết quả nhiệm vụ {answer.task.code} của {report.agency.name}."
        answer.difficulties = difficulties
        answer.proposals = proposals
        answer.save(update_fields=["status", "results", "difficulties", "proposals"])
    if value is not None:
        IndicatorValue.objects.filter(task_report__report=report).update(value=value)
    if report.state == Report.State.NOT_STARTED:
        report.state = Report.State.DRAFT
        report.save(update_fields=["state"])


def submit(report: Report, *, days_late=0, **answers) -> Report:
    write(report, **answers)
    at = (
        local_noon(report.reporting_year.deadline + datetime.timedelta(days=days_late)) if days_late else None
    )
    return report_submit(report=report, actor=head_of(report.agency), at=at)


def accept(report: Report, reviewer, **answers) -> Report:
    report = submit(report, **answers)
    return report_accept(report=report, actor=reviewer)


def pdftotext(content: bytes, *, first=None, last=None, layout=False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run(args + ["-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def words_with_boxes(content: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, x_min, y_min, x_max, y_max) in points from the top left corner, for one page."""
    import re

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    )
    return [(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in pattern.finditer(html)]


def embedded_fonts(content: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    assert "/FontFile2" in descriptor.get_object() or "/FontFile3" in descriptor.get_object()
    return names


def assert_in_order(text: str, *parts: str) -> None:
    """Each part appears in the text after the previous one."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} not found after position {position}:\n{text[position : position + 800]}"
        position = found + len(part)


def download(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def submitted_a(world):
    """Agency A's report submitted by its deputy head, with a result typed like a spreadsheet formula."""
    return submit(
        world.report_a,
        results='=HYPERLINK("http://example.org","Bấm vào đây")',
        difficulties="Thiếu kinh phí thực hiện.",
        proposals="Đề nghị bổ sung kinh phí.",
        value=12,
    )


def run_queued_tasks() -> int:
    """What one pass of `manage.py db_worker` does, in the test's own transaction: claim and run every ready task."""
    from django_tasks_db.models import DBTaskResult

    from outputs.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (row := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran
