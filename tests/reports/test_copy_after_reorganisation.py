"""Copy from last year after a reorganisation: a renamed agency starts from its former name's report, an agency
formed by a merger from the reports of the agencies merged into it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Agency, AgencySuccession, ReportingYear
from assignments.services import agency_reorganise
from audit.models import Action, AuditEntry
from reports.copying import report_copy_previous
from reports.models import Report, TaskReport
from reports.years import reporting_year_create, reports_sync_open_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(world):
    today = timezone.localdate()
    year = reporting_year_create(
        directive=world.letter, year=world.year.year - 1, deadline=today - datetime.timedelta(days=300), actor=world.admin
    )
    for short_name, text in (("STNMT", "Kết quả của Sở Tài nguyên và Môi trường."), ("SNNPTNT", "Kết quả của Sở Nông nghiệp.")):
        report = Report.objects.get(reporting_year=year, agency__short_name=short_name)
        report.task_reports.update(status=TaskReport.Status.RECURRING, results=text)
        report.task_reports.filter(task__code="9.1").update(
            status=TaskReport.Status.COMPLETED if short_name == "STNMT" else TaskReport.Status.IN_PROGRESS
        )
        Report.objects.filter(pk=report.pk).update(state=Report.State.DRAFT)
    year.state = ReportingYear.State.CLOSED
    year.save(update_fields=["state"])
    return year


def new_agency(world, name, short_name):
    return Agency.objects.create(
        name=name,
        short_name=short_name,
        kind=Agency.Kind.DEPARTMENT,
        head_title="Giám đốc",
        valid_from=world.year.deadline - datetime.timedelta(days=60),
    )


def reorganise(predecessor_short_names, successor, kind, actor):
    for short_name in predecessor_short_names:
        agency_reorganise(
            predecessor=Agency.objects.get(short_name=short_name),
            successor=successor,
            kind=kind,
            effective_on=successor.valid_from,
            actor=actor,
        )
    reports_sync_open_years()
    return Report.objects.get(reporting_year__year=successor.valid_from.year, agency=successor)


def staff_of(agency, django_user_model):
    from assignments.models import Membership

    user = django_user_model.objects.create_user(f"{agency.short_name.lower()}.canbo", password="x")
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.STAFF)
    return user


def answers(report) -> dict[str, TaskReport]:
    return {tr.task.code: tr for tr in report.task_reports.select_related("task")}


def test_a_renamed_agency_copies_its_former_names_report(world, last_year, django_user_model):
    renamed = new_agency(world, "Sở Môi trường", "SMT")
    report = reorganise(["STNMT"], renamed, AgencySuccession.Kind.RENAMED_TO, world.admin)

    copied = report_copy_previous(
        report=report, actor=staff_of(renamed, django_user_model), expected_version=report.version
    )

    assert copied.year == last_year.year and copied.other_agencies == ["Sở Tài nguyên và Môi trường"]
    got = answers(report)
    assert got["4.1"].results == "Kết quả của Sở Tài nguyên và Môi trường."
    assert got["9.1"].status == TaskReport.Status.COMPLETED
    origin = AuditEntry.objects.get(report=report, action=Action.REPORT_COPIED).changes[0]["new"]
    assert origin == f"Báo cáo năm {last_year.year} của Sở Tài nguyên và Môi trường (chưa nộp)"


def test_an_agency_formed_by_a_merger_copies_each_merged_agencys_answer_under_its_name(
    world, last_year, django_user_model
):
    merged = new_agency(world, "Sở Nông nghiệp và Môi trường", "SNNMT")
    report = reorganise(["SNNPTNT", "STNMT"], merged, AgencySuccession.Kind.MERGED_INTO, world.admin)

    copied = report_copy_previous(
        report=report, actor=staff_of(merged, django_user_model), expected_version=report.version
    )

    assert sorted(copied.other_agencies) == ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"]
    got = answers(report)
    # A task only one of them carried: its answer as it was.
    assert got["4.1"].results == "Kết quả của Sở Tài nguyên và Môi trường."
    assert got["4.1"].status == TaskReport.Status.RECURRING
    # A task both carried: both answers, each under its agency's name; their statuses differ, so none is chosen.
    assert "Sở Nông nghiệp và Phát triển nông thôn: Kết quả của Sở Nông nghiệp." in got["9.1"].results
    assert "Sở Tài nguyên và Môi trường: Kết quả của Sở Tài nguyên và Môi trường." in got["9.1"].results
    assert got["9.1"].status == ""
    assert got["9.2"].status == TaskReport.Status.RECURRING


def test_the_report_form_offers_the_copy_naming_the_former_agencies(world, last_year, client_for, django_user_model):
    renamed = new_agency(world, "Sở Môi trường", "SMT")
    report = reorganise(["STNMT"], renamed, AgencySuccession.Kind.RENAMED_TO, world.admin)
    client = client_for(staff_of(renamed, django_user_model))

    page = client.get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert "Sao chép từ năm trước" in page and "Sở Tài nguyên và Môi trường" in page

    response = client.post(reverse("reports:copy_previous", args=[report.pk]), {"version": report.version}, follow=True)
    text = response.content.decode()
    assert f"báo cáo năm {last_year.year} của Sở Tài nguyên và Môi trường" in text


def test_a_transfer_of_some_functions_is_not_a_source_to_copy_from(world, last_year):
    receiving = Agency.objects.get(short_name="SCT")
    agency_reorganise(
        predecessor=Agency.objects.get(short_name="STNMT"),
        successor=receiving,
        kind=AgencySuccession.Kind.SPLIT_INTO,
        effective_on=world.year.deadline - datetime.timedelta(days=10),
        actor=world.admin,
    )
    from reports.selectors import previous_reports_for

    assert [r.agency.short_name for r in previous_reports_for(world.report_a)] == ["SCT"]


def test_the_review_page_lists_the_earlier_years_of_the_agencies_merged_into_it(world, last_year, client_for):
    merged = new_agency(world, "Sở Nông nghiệp và Môi trường", "SNNMT")
    merged.formed_from = "Sở Tài nguyên và Môi trường; Sở Nông nghiệp và Phát triển nông thôn"
    merged.save(update_fields=["formed_from"])
    report = reorganise(["STNMT", "SNNPTNT"], merged, AgencySuccession.Kind.MERGED_INTO, world.admin)

    html = client_for(world.reviewer).get(reverse("review:report", args=[report.pk])).content.decode()
    section = html[html.index('id="earlier-heading"') :][:3000]
    assert "Các năm trước" in section
    assert f"Thành lập ngày {merged.valid_from:%d/%m/%Y}" in section
    assert "Hình thành từ: Sở Tài nguyên và Môi trường; Sở Nông nghiệp và Phát triển nông thôn." in section
    # Each earlier report names the agency that wrote it, and links to it.
    for short_name in ("STNMT", "SNNPTNT"):
        earlier = Report.objects.get(reporting_year=last_year, agency__short_name=short_name)
        assert f'href="{reverse("review:report", args=[earlier.pk])}">{last_year.year}</a> · {earlier.agency.name}' in section
    assert "Gồm cả báo cáo của các cơ quan được hợp nhất vào:" in section

    # An agency without lineage: its own years only, or none.
    own = Report.objects.get(reporting_year=world.year, agency__short_name="SCT")
    html = client_for(world.reviewer).get(reverse("review:report", args=[own.pk])).content.decode()
    section = html[html.index('id="earlier-heading"') :][:3000]
    assert "được hợp nhất vào" not in section


def test_a_leader_reads_the_earlier_years_of_a_merged_agency_from_its_report(world, last_year, client_for):
    """From the dashboard a leader opens an agency's report: its earlier years follow the lineage there too, and
    the agency's own members do not get the card (their years are under "Our reports")."""
    merged = new_agency(world, "Sở Nông nghiệp và Môi trường", "SNNMT")
    report = reorganise(["STNMT", "SNNPTNT"], merged, AgencySuccession.Kind.MERGED_INTO, world.admin)

    html = client_for(world.leader).get(reverse("reports:detail", args=[report.pk])).content.decode()
    section = html[html.index('id="earlier-heading"') :][:3000]
    for short_name in ("STNMT", "SNNPTNT"):
        earlier = Report.objects.get(reporting_year=last_year, agency__short_name=short_name)
        assert f'href="{reverse("reports:detail", args=[earlier.pk])}">{last_year.year}</a> · {earlier.agency.name}' in section
    # The leader may open those reports.
    assert client_for(world.leader).get(reverse("reports:detail", args=[earlier.pk])).status_code == 200

    member = staff_of(merged, django_user_model=type(world.staff_a))
    assert 'id="earlier-heading"' not in client_for(member).get(reverse("reports:detail", args=[report.pk])).content.decode()
