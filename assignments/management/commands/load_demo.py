"""Load the letter's data and a demonstration of every screen: users for each role and two reporting years.

Safe to run again: the second run finds everything in place and changes nothing. All narrative text written
here starts with "[Minh họa]" and the figures are sample values, so nothing can be mistaken for real results.
"""

import datetime
import hashlib
import unicodedata
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Agency, Directive, Indicator, IndicatorTarget, Membership, ReportingYear
from assignments.roles import ADMINISTRATORS, LEADERS, REVIEWERS, ensure_role_groups
from assignments.services import assignments_sync
from portal.safety import add_demo_guard_argument, refuse_demo_outside_demo_mode
from reports.models import CommunicationActivity, IndicatorValue, IssuedDocument, Report, TaskReport
from reports.services import (
    report_editing,
    report_return,
    report_submit,
    reporting_year_close,
    reporting_year_create,
)

DEMO_PASSWORD = "HungYen@2026"
LETTER_PK = 2
DEMO = "[Minh họa]"

# 2026: who has submitted (and was accepted or returned), who is drafting; the rest have not started.
PLAN_2026 = {
    "STC": "accepted",
    "SXD": "accepted",
    "BQLKCN": "accepted",
    "TPHY": "accepted",
    "SNV": "submitted",
    "STP": "submitted",
    "SKHCN": "submitted",
    "TXMH": "submitted",
    "HVL": "submitted",
    "NHNN": "submitted",
    "HYM": "returned",
    "SCT": "draft",
    "SKHĐT": "draft",
    "STNMT": "draft",
    "HVG": "draft",
    "SYT": "draft",
}
# 2025: every report in; these few late, these two still waiting for review.
LATE_2025 = {"SGTVT": 3, "HKC": 1, "HPC": 6}
PENDING_2025 = {"SVHTTDL", "HAT"}


def ascii_code(short_name: str) -> str:
    text = short_name.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def local(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _seed(*parts) -> int:
    return int(hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:8], 16)


class Command(BaseCommand):
    help = "Load the directive, its agencies and demonstration users and reports (safe to run again)."

    def add_arguments(self, parser):
        add_demo_guard_argument(parser)

    def handle(self, *args, **options):
        refuse_demo_outside_demo_mode(options)
        # The demo's submissions and returns create notices in the portal, but send no e-mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            call_command("loaddata", "agencies", "directive", "indicators", verbosity=0)
            letter = Directive.objects.get(pk=LETTER_PK)
            result = assignments_sync(directive=letter, day=datetime.date(2025, 1, 1))
            groups = ensure_role_groups()
            users = self._users(groups)
            self._targets()
            if not ReportingYear.objects.filter(directive=letter, year=2025).exists():
                self._year_2025(letter, users)
            if not ReportingYear.objects.filter(directive=letter, year=2026).exists():
                self._year_2026(letter, users)
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data ready: %(agencies)d agencies, %(assignments)d assignments, %(reports)d reports.")
                % {"agencies": Agency.objects.count(), "assignments": result.total, "reports": Report.objects.count()}
            )
        )
        self._print_logins()

    # --- Users -------------------------------------------------------------------------------------------

    def _user(self, username, first_name, last_name, *, email=None):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": email if email is not None else f"{username}@example.org",
            },
        )
        if created:
            # One hash for every demo account: hashing sixty passwords one by one takes half a minute.
            if self._password_hash is None:
                self._password_hash = make_password(DEMO_PASSWORD)
            user.password = self._password_hash
            user.save(update_fields=["password"])
        return user

    _password_hash = None

    def _users(self, groups):
        users = {}
        for agency in Agency.objects.all():
            code = ascii_code(agency.short_name)
            staff = self._user(f"{code}.canbo", "Cán bộ", f"{agency.short_name} (minh họa)")
            head = self._user(f"{code}.lanhdao", "Nguyễn Văn", "A (minh họa)")
            deputy_title = f"Phó {agency.head_title}"
            Membership.objects.get_or_create(user=staff, agency=agency, defaults={"role": Membership.Role.STAFF})
            Membership.objects.get_or_create(
                user=head,
                agency=agency,
                defaults={"role": Membership.Role.HEAD, "position_title": deputy_title, "is_deputy": True},
            )
            users[agency.short_name] = (staff, head)
        reviewer = self._user("tonghop", "Chuyên viên", "Tổng hợp (minh họa)")
        reviewer.groups.add(groups[REVIEWERS])
        leader = self._user("lanhdao.tinh", "Lãnh đạo", "UBND tỉnh (minh họa)")
        leader.groups.add(groups[LEADERS])
        admin = self._user("quantri", "Quản trị", "hệ thống (minh họa)")
        if not admin.is_superuser:
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
        admin.groups.add(groups[ADMINISTRATORS])
        users["reviewer"], users["leader"], users["admin"] = reviewer, leader, admin
        return users

    def _targets(self):
        # Sample targets so that the dashboards can compare; the note says they are not real.
        samples = {1: 4, 2: 6, 3: 1500, 7: 2500, 9: 300, 10: 20000}
        for pk, value in samples.items():
            for year in (2025, 2026):
                IndicatorTarget.objects.get_or_create(
                    indicator_id=pk,
                    year=year,
                    # 2026 a tenth above 2025, rounded to whole units (projects, documents, events are counted).
                    defaults={"value": Decimal(round(value * 1.1) if year == 2026 else value), "note": "Chỉ tiêu minh họa"},
                )

    # --- Years -------------------------------------------------------------------------------------------

    def _year_2025(self, letter, users):
        year = reporting_year_create(directive=letter, year=2025, actor=users["admin"])
        reviewer = users["reviewer"]
        for report in year.reports.select_related("agency").order_by("agency__position"):
            staff, head = users[report.agency.short_name]
            short = report.agency.short_name
            late = LATE_2025.get(short, 0)
            day = year.deadline + datetime.timedelta(days=late) if late else datetime.date(2025, 11, 10 + _seed(short) % 20)
            self._fill(report, staff, tasks="all", year=2025, at=local(day - datetime.timedelta(days=2), 15))
            report_submit(report=report, actor=head, at=local(day, 10, _seed(short, "m") % 60))
            if short not in PENDING_2025:
                self._accept(report, reviewer, at=local(datetime.date(2025, 12, 8), 14))
        reporting_year_close(reporting_year=year, actor=reviewer, at=local(datetime.date(2025, 12, 20), 16))

    def _year_2026(self, letter, users):
        year = reporting_year_create(directive=letter, year=2026, actor=users["admin"])
        reviewer = users["reviewer"]
        reports = {r.agency.short_name: r for r in year.reports.select_related("agency")}
        for short, plan in PLAN_2026.items():
            report = reports[short]
            staff, head = users[short]
            day = datetime.date(2026, 11, 3 + _seed(short, 2026) % 18)
            if plan == "draft":
                self._fill(report, staff, tasks="some", year=2026, at=local(day, 11))
                continue
            self._fill(report, staff, tasks="all", year=2026, at=local(day - datetime.timedelta(days=1), 16))
            report_submit(report=report, actor=head, at=local(day, 9, 30))
            if plan == "accepted":
                self._accept(report, reviewer, at=local(day + datetime.timedelta(days=2), 14))
            elif plan == "returned":
                first = report.task_reports.select_related("task").order_by("task__group__number", "task__position").first()
                report_return(
                    report=report,
                    actor=reviewer,
                    reason=f"{DEMO} Đề nghị bổ sung số liệu cụ thể và văn bản đã ban hành.",
                    task_comments={first.task: f"{DEMO} Kết quả còn chung chung, đề nghị nêu rõ số hoạt động đã tổ chức."},
                    at=local(day + datetime.timedelta(days=2), 15),
                )

    def _accept(self, report, reviewer, *, at):
        """Accept through the review service, with the reviewer's rating of each task (mostly as reported)."""
        from review.services import Decision, report_review

        as_reported = {
            TaskReport.Status.COMPLETED: TaskReport.Rating.DONE,
            TaskReport.Status.RECURRING: TaskReport.Rating.DONE,
            TaskReport.Status.IN_PROGRESS: TaskReport.Rating.IN_PROGRESS,
            TaskReport.Status.NOT_STARTED: TaskReport.Rating.NOT_DONE,
        }
        ratings = {}
        for answer in report.task_reports.all():
            rating = as_reported[answer.status]
            if rating == TaskReport.Rating.IN_PROGRESS and _seed(report.agency_id, answer.task_id) % 3 == 0:
                rating = TaskReport.Rating.BEHIND
            ratings[answer.pk] = rating
        report_review(
            report=report,
            actor=reviewer,
            decision=Decision.ACCEPT,
            ratings=ratings,
            comment=f"{DEMO} Báo cáo đầy đủ, đúng mẫu.",
            at=at,
        )

    # --- Content -----------------------------------------------------------------------------------------

    def _fill(self, report, staff, *, tasks, year, at):
        """Write sample answers through the same service the report form uses (it records the history)."""
        with report_editing(report=report, actor=staff, expected_version=report.version, at=at) as edit:
            answers = list(
                TaskReport.objects.filter(report=report).select_related("task").order_by("task__group__number", "task__position")
            )
            if tasks == "some":
                answers = answers[:2]
            statuses = [TaskReport.Status.RECURRING, TaskReport.Status.COMPLETED, TaskReport.Status.IN_PROGRESS]
            for i, answer in enumerate(answers):
                answer.status = statuses[_seed(report.agency_id, answer.task_id, year) % len(statuses)]
                answer.results = (
                    f"{DEMO} Năm {year}, {report.agency.name} đã triển khai nhiệm vụ {answer.task.code} "
                    f"theo chức năng, nhiệm vụ được giao; nội dung này là dữ liệu mẫu để trình diễn Cổng."
                )
                if i % 2 == 0:
                    answer.difficulties = f"{DEMO} Nguồn lực và số liệu phục vụ theo dõi còn hạn chế."
                    answer.proposals = f"{DEMO} Đề nghị được hướng dẫn thống nhất cách thu thập số liệu."
                answer.save(update_fields=["status", "results", "difficulties", "proposals"])
                edit.record(f"{answer.task.code}", "", answer.get_status_display())
            values = IndicatorValue.objects.filter(task_report__in=answers).select_related("indicator")
            for value in values:
                value.value = self._sample_value(value.indicator, report.agency_id, year)
                value.save(update_fields=["value"])
            if tasks == "all":
                IssuedDocument.objects.get_or_create(
                    report=report,
                    position=1,
                    defaults={
                        "number_symbol": f"…/KH-{report.agency.symbol}",
                        "issued_on": datetime.date(year, 3, 1 + _seed(report.agency_id) % 27),
                        "issuer": report.agency.name,
                        "title": f"{DEMO} Kế hoạch triển khai Chỉ thị số 44/CT-TTg năm {year}",
                    },
                )
                CommunicationActivity.objects.get_or_create(
                    report=report,
                    position=1,
                    defaults={
                        "description": f"{DEMO} Hội nghị quán triệt Chỉ thị số 44/CT-TTg",
                        "held_on": datetime.date(year, 4, 1 + _seed(report.agency_id, "c") % 28),
                        "participants": 50 + _seed(report.agency_id, year) % 150,
                    },
                )

    def _sample_value(self, indicator: Indicator, agency_id: int, year: int) -> Decimal:
        base = {"ha": 40, "tỷ đồng": 300, "lượt người": 800}.get(indicator.unit, 3)
        return Decimal(base + _seed(indicator.pk, agency_id, year) % (base * 2))

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(
            _("Demo logins (password for all: %(password)s) – for demonstration only:") % {"password": DEMO_PASSWORD}
        )
        rows = [
            ("sct.canbo", _("Sở Công Thương – staff (2026 report being drafted)")),
            ("sct.lanhdao", _("Sở Công Thương – head, submits the report")),
            ("hvg.canbo", _("UBND huyện Văn Giang – staff")),
            ("hvg.lanhdao", _("UBND huyện Văn Giang – head")),
            ("nhnn.lanhdao", _("State Bank branch of Hưng Yên – head (2026 report submitted)")),
            ("hym.canbo", _("UBND huyện Yên Mỹ – staff (report returned)")),
            ("tonghop", _("Reviewer at the consolidating department")),
            ("lanhdao.tinh", _("Provincial leader (read-only)")),
            ("quantri", _("Administrator")),
        ]
        for username, role in rows:
            self.stdout.write(f"  {username:<14} {role}")
        self.stdout.write(_("  Every agency has <code>.canbo and <code>.lanhdao (e.g. skhdt.canbo); see README.md."))
