"""Load the letter's data and a demonstration of every screen: users for each role and two reporting years.

Safe to run again: the second run finds everything in place and changes nothing. All narrative text written
here starts with "[Minh họa]" and the figures are sample values, so nothing can be mistaken for real results.
"""

import datetime
import hashlib
import io
import unicodedata
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments import reorg2025
from assignments.models import (
    Agency,
    Assignment,
    Directive,
    Indicator,
    IndicatorTarget,
    Membership,
    ReportingYear,
)
from assignments.roles import ADMINISTRATORS, LEADERS, REVIEWERS, ensure_role_groups
from assignments.services import assignments_sync
from portal.safety import add_demo_guard_argument, refuse_demo_outside_demo_mode
from reports.models import CommunicationActivity, IndicatorValue, IssuedDocument, Report, TaskReport
from reports.services import report_editing, report_return, report_submit
from reports.years import reporting_year_close, reporting_year_create

DEMO_PASSWORD = "HungYen@2026"
DEADLINE_2026 = datetime.date(2026, 12, 2)
LETTER_AGENCIES = 29  # the pks of fixtures/agencies.json
LETTER_PK = 2
DEMO = "[Minh họa]"

# The province as it is since 01/07/2025 (assignments/reorg2025.py): the merged province's departments, the
# State Bank's regional branch and the 104 commune-level committees owe the reports of 2025 and 2026. Units whose
# state the README names are fixed here; the others get a realistic spread from a seeded draw.
PLAN_2026 = {
    "STC-2025": "accepted",
    "SXD-2025": "accepted",
    "SNV-2025": "submitted",
    "STP-2025": "submitted",
    "SKHCN-2025": "submitted",
    "NHNN-KV12": "submitted",
    "SCT-2025": "draft",
    "SNNMT-2025": "draft",
    "SYT-2025": "draft",
}
# Xã Yên Mỹ returned, Xã Văn Giang drafting, Phường Phố Hiến accepted (by the communes' names in the data).
PLAN_2026_COMMUNES = {"Xã Yên Mỹ": "returned", "Xã Văn Giang": "draft", "Phường Phố Hiến": "accepted"}
# The share of the other units in each state, out of 20.
SPREAD_2026 = ["accepted"] * 7 + ["submitted"] * 4 + ["returned"] * 1 + ["draft"] * 3 + ["not_started"] * 5
# 2025: every report in; a few late, two still waiting for review when the year was closed.
LATE_2025 = {"SGDĐT-2025": 3, "Xã Khoái Châu": 1, "Xã Quang Hưng": 6}
PENDING_2025 = {"SVHTTDL-2025", "Xã Ân Thi"}
# The logins of the letter's district-level committees work at the commune that bears the district's name (or
# holds its seat) since 01/07/2025.
DISTRICT_LOGINS = {
    "TPHY": "Phường Phố Hiến",
    "TXMH": "Phường Mỹ Hào",
    "HVL": "Xã Như Quỳnh",
    "HVG": "Xã Văn Giang",
    "HYM": "Xã Yên Mỹ",
    "HAT": "Xã Ân Thi",
    "HKC": "Xã Khoái Châu",
    "HKĐ": "Xã Lương Bằng",
    "HTL": "Xã Tiên Lữ",
    "HPC": "Xã Quang Hưng",
}


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
            # The letter's agencies as it addressed them, then the 2025 reorganisation from its data.
            assignments_sync(directive=letter, day=datetime.date(2025, 1, 1))
            call_command("load_reorganisation_2025", stdout=io.StringIO())
            result = assignments_sync(directive=letter, day=reorg2025.JULY)
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

    def _pair(self, code, agency, *, also=None):
        staff = self._user(f"{code}.canbo", "Cán bộ", f"{agency.short_name} (minh họa)")
        head = self._user(f"{code}.lanhdao", "Nguyễn Văn", "A (minh họa)")
        for unit in filter(None, [agency, also]):
            Membership.objects.get_or_create(user=staff, agency=unit, defaults={"role": Membership.Role.STAFF})
            Membership.objects.get_or_create(
                user=head,
                agency=unit,
                defaults={"role": Membership.Role.HEAD, "position_title": f"Phó {unit.head_title}", "is_deputy": True},
            )
        return staff, head

    def _carrier(self, agency, communes_by_name):
        """The unit that carries a letter agency's functions on the 2026 deadline (None for a gap)."""
        if agency.short_name in DISTRICT_LOGINS:
            return Agency.objects.get(short_name=communes_by_name[DISTRICT_LOGINS[agency.short_name]])
        if agency.short_name == "NHNN":
            return Agency.objects.get(short_name=reorg2025.BANK_KV12[0])
        now = agency.successor_on(DEADLINE_2026)
        return now if now != agency and now.is_active_on(DEADLINE_2026) else None

    def _users(self, groups):
        """A staff and a head login for every unit that owes a report, and the letter's logins kept at the unit
        that carries their agency's functions now (skhdt.canbo at Sở Tài chính, hym.canbo at Xã Yên Mỹ)."""
        users = {}
        communes = {c.short_name: c for c in reorg2025.communes()}
        by_name = {c.name: c.short_name for c in communes.values()}
        owing = Agency.objects.filter(pk__in=Assignment.objects.active_on(DEADLINE_2026).values("agency"))
        owing = owing.filter(valid_to__isnull=True)
        for agency in owing.order_by("position", "pk"):
            commune = communes.get(agency.short_name)
            code = commune.login if commune else ascii_code(agency.short_name.removesuffix("-2025"))
            users[agency.short_name] = self._pair(code, agency)
        for agency in Agency.objects.filter(pk__lte=LETTER_AGENCIES).order_by("pk"):
            now = self._carrier(agency, by_name)
            pair = self._pair(ascii_code(agency.short_name), agency, also=now)
            users.setdefault(agency.short_name, pair)
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
        names = self._names()
        for report in year.reports.select_related("agency").order_by("agency__position", "agency__pk"):
            staff, head = users[report.agency.short_name]
            short = names.get(report.agency.short_name, report.agency.short_name)
            late = LATE_2025.get(short, 0)
            day = year.deadline + datetime.timedelta(days=late) if late else datetime.date(2025, 11, 10 + _seed(short) % 20)
            self._fill(report, staff, tasks="all", year=2025, at=local(day - datetime.timedelta(days=2), 15))
            report_submit(report=report, actor=head, at=local(day, 10, _seed(short, "m") % 60))
            if short not in PENDING_2025:
                self._accept(report, reviewer, at=local(datetime.date(2025, 12, 8), 14))
        reporting_year_close(reporting_year=year, actor=reviewer, at=local(datetime.date(2025, 12, 20), 16))

    def _names(self) -> dict[str, str]:
        """Communes by their names in the data (the plans above name them so), other units by short name."""
        return {c.short_name: c.name for c in reorg2025.communes()}

    def _year_2026(self, letter, users):
        year = reporting_year_create(directive=letter, year=2026, actor=users["admin"])
        reviewer = users["reviewer"]
        names = self._names()
        plans = {**PLAN_2026, **PLAN_2026_COMMUNES}
        for report in year.reports.select_related("agency").order_by("agency__position", "agency__pk"):
            short = report.agency.short_name
            plan = plans.get(names.get(short, short)) or SPREAD_2026[_seed(short, "2026") % len(SPREAD_2026)]
            if plan == "not_started":
                continue
            staff, head = users[short]
            # Most before the deadline (02/12/2026), a few in the days after it.
            day = datetime.date(2026, 11, 3) + datetime.timedelta(days=_seed(short, 2026) % 32)
            review_day = min(day + datetime.timedelta(days=2), max(day, timezone.localdate() - datetime.timedelta(days=1)))
            if plan == "draft":
                self._fill(report, staff, tasks="some", year=2026, at=local(day, 11))
                continue
            self._fill(report, staff, tasks="all", year=2026, at=local(day - datetime.timedelta(days=1), 16))
            report_submit(report=report, actor=head, at=local(day, 9, 30))
            if plan == "accepted":
                self._accept(report, reviewer, at=local(review_day, 14))
            elif plan == "returned":
                first = report.task_reports.select_related("task").order_by("task__group__number", "task__position").first()
                report_return(
                    report=report,
                    actor=reviewer,
                    reason=f"{DEMO} Đề nghị bổ sung số liệu cụ thể và văn bản đã ban hành.",
                    task_comments={first.task: f"{DEMO} Kết quả còn chung chung, đề nghị nêu rõ số hoạt động đã tổ chức."},
                    at=local(review_day, 15),
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
            ("xa-vangiang.canbo", _("UBND xã Văn Giang – staff (a draft begun)")),
            ("phuong-phohien.lanhdao", _("UBND phường Phố Hiến – head (2026 report accepted)")),
            ("hym.canbo", _("UBND xã Yên Mỹ (the former Yên Mỹ district's login) – staff (report returned)")),
            ("nhnn.lanhdao", _("State Bank, regional branch 12 – head (2026 report submitted)")),
            ("tonghop", _("Reviewer at Sở Tài chính, the consolidating department")),
            ("lanhdao.tinh", _("Provincial leader (read-only)")),
            ("quantri", _("Administrator")),
        ]
        for username, role in rows:
            self.stdout.write(f"  {username:<14} {role}")
        self.stdout.write(
            _(
                "  Every unit has <code>.canbo and <code>.lanhdao (e.g. snnmt.canbo, xa-tienlu.canbo); the letter's "
                "logins (skhdt.canbo, hvg.lanhdao, …) work at the unit that carries their agency's tasks; see README.md."
            )
        )
