"""Named people and places shared by the whole suite.

`world` gives one open reporting year with two agencies: Sở Công Thương (agency A, "ours") and Sở Tài chính
(agency B, "theirs"), each with a staff member and a head, plus a reviewer, a provincial leader and an
administrator. Tests are written from these people's point of view.
"""

import datetime
import os
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.utils import timezone

from assignments.models import Agency, Directive, Membership, ReportingYear, Task
from assignments.reorg2025 import ensure_ministries
from assignments.roles import ADMINISTRATORS, LEADERS, REVIEWERS, ensure_role_groups
from assignments.services import assignments_sync
from reports.models import Report, TaskReport
from reports.years import reporting_year_create

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LETTER_PK = 2
TASKS_IN_LETTER = 19


def load_letter() -> Directive:
    """The letter's fixtures and the assignments derived from them; cheap when already loaded."""
    if Task.objects.count() != TASKS_IN_LETTER:
        call_command("loaddata", "agencies", "directive", "indicators", verbosity=0)
        ensure_ministries()
    letter = Directive.objects.get(pk=LETTER_PK)
    assignments_sync(directive=letter, day=datetime.date(2025, 1, 1))
    return letter


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_letter()


@pytest.fixture
def letter(db) -> Directive:
    return load_letter()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts from an empty cache: a dashboard cached by one test is never served to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    letter: Directive
    year: ReportingYear
    agency_a: Agency
    agency_b: Agency
    staff_a: object
    head_a: object
    staff_b: object
    head_b: object
    reviewer: object
    leader: object
    admin: object
    report_a: Report
    report_b: Report

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


def make_user(django_user_model, username, *, first_name="", last_name="", email=None):
    return django_user_model.objects.create_user(
        username=username,
        password="pw",
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@example.org" if email is None else email,
    )


@pytest.fixture
def world(letter, django_user_model) -> World:
    groups = ensure_role_groups()
    agency_a = Agency.objects.get(short_name="SCT")
    agency_b = Agency.objects.get(short_name="STC")
    staff_a = make_user(django_user_model, "staff_a", first_name="Nguyễn Thị", last_name="Lan")
    head_a = make_user(django_user_model, "head_a", first_name="Trần Văn", last_name="Minh")
    staff_b = make_user(django_user_model, "staff_b")
    head_b = make_user(django_user_model, "head_b")
    Membership.objects.create(user=staff_a, agency=agency_a, role=Membership.Role.STAFF)
    Membership.objects.create(
        user=head_a, agency=agency_a, role=Membership.Role.HEAD, position_title="Phó Giám đốc", is_deputy=True
    )
    Membership.objects.create(user=staff_b, agency=agency_b, role=Membership.Role.STAFF)
    Membership.objects.create(user=head_b, agency=agency_b, role=Membership.Role.HEAD, position_title="Giám đốc")
    reviewer = make_user(django_user_model, "reviewer")
    reviewer.groups.add(groups[REVIEWERS])
    leader = make_user(django_user_model, "leader")
    leader.groups.add(groups[LEADERS])
    admin = make_user(django_user_model, "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    admin.groups.add(groups[ADMINISTRATORS])
    today = timezone.localdate()
    year = reporting_year_create(
        directive=letter, year=today.year, deadline=today + datetime.timedelta(days=7), actor=admin
    )
    return World(
        letter=letter,
        year=year,
        agency_a=agency_a,
        agency_b=agency_b,
        staff_a=staff_a,
        head_a=head_a,
        staff_b=staff_b,
        head_b=head_b,
        reviewer=reviewer,
        leader=leader,
        admin=admin,
        report_a=Report.objects.get(reporting_year=year, agency=agency_a),
        report_b=Report.objects.get(reporting_year=year, agency=agency_b),
    )


def fill_report(report: Report, *, status=TaskReport.Status.COMPLETED, results="Đã triển khai.") -> None:
    """Give every task of the report a status and results, as the form would (state becomes draft)."""
    report.task_reports.update(status=status, results=results)
    if report.state == Report.State.NOT_STARTED:
        report.state = Report.State.DRAFT
        report.save(update_fields=["state"])


@pytest.fixture
def client_for(client):
    """client_for(user) – the test client logged in as `user` (or anonymous for None)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


def database_url() -> str:
    """The URL of the test database, for processes started by a test (they see only committed data)."""
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return f"postgres://{params['USER']}{password}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def worker_process(settings, transactional_db):
    """A real `manage.py db_worker` process on the test database and the test's private folder."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "DEBUG": "1",
    }
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=root,
        env=env,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def unit_owing_a_report(year, name, short, kind, district="", *, confirmed=True, position=500):
    """A unit (a commune, a ward...) with its report of `year`, for the tests of groups and former districts."""
    agency = Agency.objects.create(
        name=name,
        short_name=short,
        kind=kind,
        head_title="Chủ tịch",
        former_district=district,
        confirmed=confirmed,
        position=position,
    )
    Report.objects.create(reporting_year=year, agency=agency)
    return agency
