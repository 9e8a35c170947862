"""Agencies merged, renamed or abolished: history stays, open work passes to the successor."""

import datetime

import pytest
from django.urls import reverse

from assignments.models import Agency, AgencySuccession, Assignment
from reports.models import Report, TaskReport


@pytest.fixture
def new_department(world):
    return Agency.objects.create(
        name="Sở Nông nghiệp và Môi trường",
        short_name="SNNMT",
        kind=Agency.Kind.DEPARTMENT,
        head_title="Giám đốc",
        valid_from=world.year.deadline - datetime.timedelta(days=60),
    )


def record_in_admin(client, predecessor, successor, effective_on, kind="merged_into", *, confirm=True):
    """The administrator fills the form; with `confirm`, also presses "record" on the preview it leads to."""
    data = {
        "predecessor": predecessor.pk,
        "successor": successor.pk,
        "kind": kind,
        "effective_on": effective_on.strftime("%d/%m/%Y"),
        "confirmed": "",
        "source": "Nghị quyết của HĐND tỉnh (chưa có số)",
    }
    if confirm:
        data["_confirmed"] = "1"
    return client.post(reverse("admin:assignments_agencysuccession_add"), data)


def test_the_admin_shows_what_a_succession_changes_before_recording_it(world, client_for, new_department):
    admin = client_for(world.admin)
    environment = Agency.objects.get(short_name="STNMT")
    response = record_in_admin(admin, environment, new_department, new_department.valid_from, confirm=False)
    assert response.status_code == 200
    html = response.content.decode()
    # Nothing recorded yet, every change named.
    assert not AgencySuccession.objects.filter(predecessor=environment).exists()
    environment.refresh_from_db()
    assert environment.valid_to is None
    assert Report.objects.filter(reporting_year=world.year, agency=environment).exists()
    assert not Report.objects.filter(agency=new_department).exists()
    assert "Chưa ghi nhận gì" in html
    day = new_department.valid_from.strftime("%d/%m/%Y")
    for code in ("4.1", "4.2", "4.3", "9.1", "9.2", "9.3", "9.4"):
        assert f"Nhiệm vụ {code} chuyển cho Sở Nông nghiệp và Môi trường từ ngày {day}." in html
        assert f"Nhiệm vụ {code} của {environment.name} kết thúc" in html
    assert f"Sở Nông nghiệp và Môi trường bắt đầu phải báo cáo năm {world.year.year}." in html
    assert f"Báo cáo chưa ai mở của {environment.name} năm {world.year.year} được rút" in html

    # Back to the form keeps what was typed; recording from the preview does it.
    back = admin.post(reverse("admin:assignments_agencysuccession_add"), {
        "predecessor": environment.pk, "successor": new_department.pk, "kind": "merged_into",
        "effective_on": day, "source": "Nghị quyết", "_back": "1",
    })
    assert back.status_code == 200 and f'value="{day}"' in back.content.decode()
    assert not AgencySuccession.objects.filter(predecessor=environment).exists()
    done = record_in_admin(admin, environment, new_department, new_department.valid_from)
    assert done.status_code == 302
    assert AgencySuccession.objects.filter(predecessor=environment, successor=new_department).exists()


def test_a_merger_recorded_in_the_admin_passes_the_open_work_to_the_successor(world, client_for, new_department):
    admin = client_for(world.admin)
    environment = Agency.objects.get(short_name="STNMT")
    untouched = Report.objects.get(reporting_year=world.year, agency=environment)
    response = record_in_admin(admin, environment, new_department, new_department.valid_from)
    assert response.status_code == 302, response.content.decode()[:2000]

    environment.refresh_from_db()
    assert environment.valid_to == new_department.valid_from - datetime.timedelta(days=1)
    link = AgencySuccession.objects.get(predecessor=environment)
    assert link.successor == new_department and not link.confirmed
    inherited = Assignment.objects.filter(agency=new_department, source=Assignment.Source.INHERITED)
    assert set(inherited.values_list("task__code", flat=True)) == {"4.1", "4.2", "4.3", "9.1", "9.2", "9.3", "9.4"}
    # The open year: the successor now owes the report with the inherited tasks; the former department's
    # report, which nobody had opened, is gone, so nobody is reminded about it.
    successor_report = Report.objects.get(reporting_year=world.year, agency=new_department)
    assert set(TaskReport.objects.filter(report=successor_report).values_list("task__code", flat=True)) == {
        "4.1", "4.2", "4.3", "9.1", "9.2", "9.3", "9.4"
    }
    assert not Report.objects.filter(pk=untouched.pk).exists()


def test_a_report_the_former_agency_wrote_stays_attributed_to_it(world, client_for, new_department):
    from tests.conftest import fill_report

    environment = Agency.objects.get(short_name="STNMT")
    report = Report.objects.get(reporting_year=world.year, agency=environment)
    fill_report(report)
    report.version += 1
    report.save(update_fields=["version"])
    record_in_admin(client_for(world.admin), environment, new_department, new_department.valid_from)
    report.refresh_from_db()
    assert report.agency == environment and report.state == Report.State.DRAFT
    assert TaskReport.objects.filter(report=report).count() == 7


def test_the_admin_refuses_a_successor_that_does_not_exist_yet(world, client_for, new_department):
    environment = Agency.objects.get(short_name="STNMT")
    response = record_in_admin(
        client_for(world.admin), environment, new_department, new_department.valid_from - datetime.timedelta(days=10)
    )
    assert response.status_code == 200
    assert "không tồn tại vào ngày" in response.content.decode()
    environment.refresh_from_db()
    assert environment.valid_to is None
    assert not AgencySuccession.objects.filter(predecessor__kind__in=["department", "district"]).exists()


def test_a_recorded_succession_cannot_be_rewritten(world, client_for, new_department):
    environment = Agency.objects.get(short_name="STNMT")
    record_in_admin(client_for(world.admin), environment, new_department, new_department.valid_from)
    link = AgencySuccession.objects.exclude(predecessor__kind="ministry").get()
    page = client_for(world.admin).get(reverse("admin:assignments_agencysuccession_change", args=[link.pk]))
    html = page.content.decode()
    assert 'name="successor"' not in html and 'name="effective_on"' not in html
    assert 'name="confirmed"' in html
