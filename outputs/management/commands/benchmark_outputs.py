"""Measure how long the official outputs take for a whole province (default: 150 agencies, all accepted).

    python manage.py benchmark_outputs [--agencies 150]

Everything it creates (agencies, users, a reporting year, reports) lives in one transaction that is rolled back
at the end: the database is left as it was, and no file is written. The figures decide whether a document is
generated while the user waits or as a background job (see outputs/services.py).
"""

import datetime
import time

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.utils import timezone

from assignments.models import Agency, Directive, Membership, ReportingYear, Task
from assignments.roles import REVIEWERS, ensure_role_groups
from assignments.services import assignments_sync
from outputs.documents import agency_report_document, consolidated_document
from outputs.pdf import render_pdf
from outputs.selectors import latest_version
from outputs.services import work_units
from outputs.tasks import SECONDS_PER_UNIT
from outputs.xlsx import consolidated_workbook
from reports.models import IndicatorValue, TaskReport
from reports.services import report_accept, report_editing, report_submit
from reports.years import reporting_year_create

LETTER_PK = 2
BENCHMARK_YEAR = 2099
RESULTS = (
    "Năm {year}, {agency} đã ban hành kế hoạch triển khai nhiệm vụ {code}, giao các phòng chuyên môn chủ trì "
    "theo dõi, đôn đốc; lồng ghép nội dung tăng trưởng xanh trong chương trình công tác năm.\n"
    "Đã tổ chức hội nghị quán triệt, tuyên truyền trên cổng thông tin điện tử, phối hợp với các doanh nghiệp "
    "trên địa bàn rà soát nhu cầu chuyển đổi công nghệ, tiết kiệm năng lượng và giảm phát thải.\n"
    "Kết quả cụ thể được tổng hợp tại phụ lục kèm theo báo cáo."
)
DIFFICULTIES = (
    "Nguồn lực tài chính và nhân lực theo dõi còn hạn chế; số liệu thống kê chưa đồng bộ giữa các ngành."
)
PROPOSALS = "Đề nghị UBND tỉnh hướng dẫn thống nhất bộ chỉ tiêu theo dõi và bố trí kinh phí triển khai."


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the consolidated PDF and workbook for a province of N agencies (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agencies", type=int, default=150, help="Agencies with an accepted report (default 150)."
        )

    def handle(self, *args, agencies, **options):
        try:
            with transaction.atomic():
                self._run(agencies)
                raise Rollback
        except Rollback:
            self.stdout.write("Everything created for the benchmark was rolled back.")

    def _run(self, count: int) -> None:
        started = time.perf_counter()
        year = self._province(count)
        self.stdout.write(f"Prepared {count} accepted reports in {time.perf_counter() - started:.1f} s")

        timings = []
        t = time.perf_counter()
        document = consolidated_document(year)
        timings.append(("Compile the consolidated data", time.perf_counter() - t, ""))

        t = time.perf_counter()
        content, pages = render_pdf(document)
        pdf_seconds = time.perf_counter() - t
        timings.append(
            ("Consolidated PDF (WeasyPrint)", pdf_seconds, f"{pages} pages, {len(content) // 1024} KB")
        )

        t = time.perf_counter()
        workbook = consolidated_workbook(document)
        timings.append(
            ("Consolidated Excel (openpyxl)", time.perf_counter() - t, f"{len(workbook) // 1024} KB")
        )

        report = year.reports.select_related("agency", "reporting_year__directive__implements").first()
        t = time.perf_counter()
        _agency_pdf, agency_pages = render_pdf(agency_report_document(report, latest_version(report)))
        timings.append(("One agency's PDF", time.perf_counter() - t, f"{agency_pages} pages"))

        self.stdout.write("")
        for label, seconds, detail in timings:
            self.stdout.write(f"  {label:<32} {seconds:7.2f} s   {detail}")
        units = work_units(document)
        self.stdout.write("")
        self.stdout.write(
            f"Consolidated PDF: {units} entries, {pdf_seconds / units:.3f} s per entry "
            f"(outputs.services.SECONDS_PER_UNIT = {SECONDS_PER_UNIT})."
        )
        verdict = "a background job" if pdf_seconds > 10 else "fast enough to wait for"
        self.stdout.write(
            self.style.SUCCESS(f"Consolidated PDF for {count} agencies: {pdf_seconds:.1f} s, {verdict}.")
        )

    def _province(self, count: int, *, drafts: int = 0) -> ReportingYear:
        """`count` agencies owing a report, every one accepted except the last `drafts`, left as saved drafts."""
        if Task.objects.filter(group__directive_id=LETTER_PK).count() != 19:
            call_command("loaddata", "agencies", "directive", "indicators", verbosity=0)
        letter = Directive.objects.get(pk=LETTER_PK)
        existing = Agency.objects.filter(kind__in=["department", "board", "bank", "district"]).count()
        for n in range(1, max(0, count - existing) + 1):
            Agency.objects.create(
                name=f"Ủy ban nhân dân xã Thử Nghiệm {n}",
                short_name=f"XTN{n}",
                document_symbol="UBND",
                kind=Agency.Kind.DISTRICT,
                parent_body="",
                head_title="Chủ tịch",
                collective_body=True,
                position=1000 + n,
            )
        assignments_sync(directive=letter, day=datetime.date(BENCHMARK_YEAR, 1, 1))
        ReportingYear.objects.filter(directive=letter, year=BENCHMARK_YEAR).delete()
        year = reporting_year_create(directive=letter, year=BENCHMARK_YEAR)
        reviewer = get_user_model().objects.create_user("benchmark-reviewer", password=None)
        reviewer.groups.add(ensure_role_groups()[REVIEWERS])
        submitted_at = timezone.make_aware(datetime.datetime(BENCHMARK_YEAR, 11, 20, 9, 0))
        reports = list(year.reports.select_related("agency")[:count])
        for index, report in enumerate(reports):
            head = get_user_model().objects.create_user(f"benchmark-{report.agency_id}", password=None)
            Membership.objects.create(
                user=head,
                agency=report.agency,
                role=Membership.Role.HEAD,
                position_title="Phó Chủ tịch",
                is_deputy=True,
            )
            # Written through the same service as the report form, then submitted and accepted.
            with report_editing(report=report, actor=head, expected_version=report.version):
                for answer in report.task_reports.select_related("task"):
                    answer.status = TaskReport.Status.RECURRING
                    answer.results = RESULTS.format(
                        year=BENCHMARK_YEAR, agency=report.agency.name, code=answer.task.code
                    )
                    answer.difficulties = DIFFICULTIES
                    answer.proposals = PROPOSALS
                    answer.save(update_fields=["status", "results", "difficulties", "proposals"])
                IndicatorValue.objects.filter(task_report__report=report).update(value=5)
            if index >= len(reports) - drafts:
                continue
            report = report_submit(report=report, actor=head, at=submitted_at)
            report_accept(report=report, actor=reviewer, at=submitted_at + datetime.timedelta(days=2))
        return year
