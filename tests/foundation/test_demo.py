"""`load_demo`: the letter plus demonstration users and reports for every screen; running it twice changes nothing."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from assignments.models import Agency, ReportingYear
from demo.management.commands.load_demo import DEMO_PASSWORD
from reports.models import Report, ReportVersion

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {
    # username (every login the README lists): text only that role's home page shows
    "sct.canbo": "Sở Công Thương",
    "sct.lanhdao": "Sở Công Thương",
    "hym.canbo": "Ủy ban nhân dân xã Yên Mỹ",
    "hvg.canbo": "Ủy ban nhân dân xã Văn Giang",
    "hvg.lanhdao": "Ủy ban nhân dân xã Văn Giang",
    "xa-vangiang.canbo": "Ủy ban nhân dân xã Văn Giang",
    "xa-vangiang.lanhdao": "Ủy ban nhân dân xã Văn Giang",
    "phuong-phohien.canbo": "Ủy ban nhân dân phường Phố Hiến",
    "phuong-phohien.lanhdao": "Ủy ban nhân dân phường Phố Hiến",
    "nhnn.lanhdao": "Chi nhánh Khu vực 12",
    "skhdt.canbo": "Sở Tài chính",
    "stc.lanhdao": "Sở Tài chính",
    "snnmt.canbo": "Sở Nông nghiệp và Môi trường",
    "stnmt.canbo": "Sở Nông nghiệp và Môi trường",
    "tphy.canbo": "Ủy ban nhân dân phường Phố Hiến",
    "xa-tienlu.canbo": "Ủy ban nhân dân xã Tiên Lữ",
    "phuong-sonnam.lanhdao": "Ủy ban nhân dân phường Sơn Nam",
    "tonghop": "Xem xét báo cáo đã nộp",
    "lanhdao.tinh": "Mở bảng điều hành",
    "quantri": "Mở trang quản trị",
}
PRINTED = ["sct.canbo", "sct.lanhdao", "xa-vangiang.canbo", "phuong-phohien.lanhdao", "hym.canbo", "nhnn.lanhdao",
           "tonghop", "lanhdao.tinh", "quantri"]


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", exclude=["sessions", "contenttypes", "auth.permission"], stdout=out, indent=0)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_running_the_demo_twice_changes_no_data(demo):
    before = dump()
    call_command("load_demo", stdout=io.StringIO())
    assert dump() == before


def test_the_demo_prints_the_logins(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username in PRINTED:
        assert username in text


def test_every_unit_owing_a_report_and_every_agency_of_the_letter_has_a_staff_and_a_head_login(demo):
    from assignments.models import Membership

    owing = Agency.objects.filter(reports__reporting_year__year=2026)
    letter = Agency.objects.filter(pk__lte=29)
    assert owing.count() == 117
    for agency in {*owing, *letter}:
        roles = set(Membership.objects.filter(agency=agency).values_list("role", flat=True))
        assert roles == {"staff", "head"}, agency


def test_2025_has_every_report_in_and_2026_a_realistic_mix(demo):
    y2025 = ReportingYear.objects.get(year=2025)
    y2026 = ReportingYear.objects.get(year=2026)
    assert y2025.state == ReportingYear.State.CLOSED
    assert y2026.state == ReportingYear.State.OPEN and y2026.deadline == datetime.date(2026, 12, 2)
    assert y2025.reports.count() == y2026.reports.count() == 117
    assert not y2025.reports.filter(agency__kind__in=["district", "other"]).exists()
    assert y2025.reports.filter(agency__kind__in=["commune", "ward"]).count() == 104
    assert y2025.consolidating_agency.short_name == y2026.consolidating_agency.short_name == "STC-2025"
    assert not y2025.reports.exclude(state__in=Report.SUBMITTED_STATES).exists()
    assert y2025.reports.filter(days_late__gt=0).count() == 3
    assert y2025.reports.filter(state="submitted").count() == 2
    states = {state: y2026.reports.filter(state=state).count() for state in
              ("not_started", "draft", "submitted", "returned", "accepted")}
    assert all(states.values()), states
    assert y2026.reports.filter(days_late__gt=0).exists()
    assert ReportVersion.objects.filter(report__reporting_year=y2026).count() == (
        states["submitted"] + states["returned"] + states["accepted"]
    )


def test_demo_narratives_read_as_demo(demo):
    from reports.models import TaskReport

    written = TaskReport.objects.exclude(results="")
    assert written.exists()
    assert not written.exclude(results__startswith="[Minh họa]").exists()


def test_every_demo_login_of_the_readme_logs_in_and_lands_on_a_page_for_their_role(demo, client):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for username, expected in DEMO_LOGINS.items():
        assert f"`{username}`" in readme, username
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        page = client.get("/")
        assert page.status_code == 200
        assert expected in page.content.decode(), username
        client.logout()


def test_the_demo_is_refused_outside_demo_mode_and_says_why(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE=1") as refused:
        call_command("load_demo", stdout=io.StringIO())
    assert "--i-know-this-is-not-production" in str(refused.value)
    assert not get_user_model().objects.filter(username="quantri").exists()


def test_the_demo_loads_outside_demo_mode_only_with_the_explicit_flag(settings):
    from django.contrib.auth import get_user_model

    settings.DEMO_MODE = False
    call_command("load_demo", "--i-know-this-is-not-production", stdout=io.StringIO())
    assert get_user_model().objects.filter(username="quantri").exists()
