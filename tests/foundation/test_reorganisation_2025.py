"""The 2025 reorganisation as recorded by `load_reorganisation_2025`, checked against its CSV files row by row."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from assignments import reorg2025
from assignments.models import Agency, AgencySuccession, Assignment, ReportingYear
from audit.models import Action, AuditEntry
from reports.years import reporting_year_create
from tests.conftest import LETTER_PK

pytestmark = pytest.mark.django_db

DATA = reorg2025.DATA
JULY = datetime.date(2025, 7, 1)


def rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def reorganised(db):
    call_command("load_reorganisation_2025", stdout=io.StringIO())


def agency(short_name) -> Agency:
    return Agency.objects.get(short_name=short_name)


def test_the_project_keeps_the_data_it_was_built_from():
    for name in ("communes_2025.csv", "communes_2025_detail.csv", "departments_2025.csv", "SOURCES.md"):
        assert (DATA / name).exists(), name
    assert len(rows("communes_2025.csv")) == 104


def test_every_commune_of_the_data_is_a_committee_from_01_07_2025(reorganised):
    for row in rows("communes_2025.csv"):
        code = next(part.split()[1] for part in row["source"].split(";") if part.strip().startswith("code "))
        unit = agency(f"X{code}")
        assert unit.name == "Ủy ban nhân dân " + row["new_name"][0].lower() + row["new_name"][1:]
        assert unit.kind == (Agency.Kind.WARD if row["type"] == "phường" else Agency.Kind.COMMUNE)
        assert (unit.former_district, unit.formed_from, unit.source) == (
            row["old_district"], row["formed_from"], row["source"]
        )
        assert unit.valid_from == JULY and unit.valid_to is None
        assert unit.confirmed is ("unconfirmed" not in row["source"].lower())
        assert unit.head_title == "Chủ tịch" and unit.collective_body
    assert Agency.objects.filter(kind=Agency.Kind.COMMUNE).count() == 93
    assert Agency.objects.filter(kind=Agency.Kind.WARD).count() == 11


def test_every_constituent_of_the_detail_file_is_named_in_its_commune(reorganised):
    detail = rows("communes_2025_detail.csv")
    assert len(detail) == 384
    for row in detail:
        unit = agency(f"X{row['new_code']}")
        assert row["new_name"].lower() in unit.name.lower()
        assert row["old_name"] in unit.formed_from, (row["old_name"], unit.formed_from)
        assert row["old_district"] in unit.former_district or row["old_province"] == "Thái Bình"


def test_every_row_of_the_departments_file_is_recorded_with_its_date_source_and_confirmation(reorganised):
    _specs, steps = reorg2025.plan()
    csv_rows = rows("departments_2025.csv")
    assert len(steps) == len(csv_rows) == 69
    for step, row in zip(steps, csv_rows, strict=True):
        assert (step.old_name, step.new_name, step.source) == (row["old_name"], row["new_name"], row["source"])
        confirmed = "unconfirmed" not in row["source"].lower()
        day = datetime.date.fromisoformat(row["effective_date"])
        for predecessor, successor, kind in step.links:
            link = AgencySuccession.objects.get(predecessor__short_name=predecessor, successor__short_name=successor)
            assert (link.kind, link.effective_on, link.source, link.confirmed) == (kind, day, row["source"], confirmed)
        if step.action == "continues":
            unit = agency(step.agencies[0])
            assert row["source"] in unit.source
            if not confirmed:
                assert unit.confirmed is False
        elif step.action == "gap":
            for short_name in step.agencies:
                unit = agency(short_name)
                assert reorg2025.GAP in unit.note and unit.valid_to == datetime.date(2025, 6, 30)
                assert unit.confirmed is False
                assert not AgencySuccession.objects.filter(predecessor=unit).exists()
        elif step.action == "absent":
            assert "Ngoại vụ" in row["old_name"] and not step.links
        else:
            assert step.links, row


def test_the_district_level_committees_end_and_pass_to_the_communes_that_took_their_territory(reorganised):
    for short_name in ("TPHY", "TXMH", "HVL", "HVG", "HYM", "HAT", "HKC", "HKĐ", "HTL", "HPC"):
        district = agency(short_name)
        assert district.valid_to == datetime.date(2025, 6, 30)
        assert not Assignment.objects.filter(agency=district, ended_on__isnull=True).exists()
        successors = AgencySuccession.objects.filter(predecessor=district)
        assert successors.count() >= 3
        assert {link.successor.kind for link in successors} <= {Agency.Kind.COMMUNE, Agency.Kind.WARD}
    assert set(
        AgencySuccession.objects.filter(predecessor__short_name="HVG").values_list("successor__name", flat=True)
    ) == {"Ủy ban nhân dân xã Nghĩa Trụ", "Ủy ban nhân dân xã Phụng Công", "Ủy ban nhân dân xã Văn Giang",
          "Ủy ban nhân dân xã Mễ Sở"}


def test_the_tasks_pass_to_the_successors_and_every_unit_of_the_new_province_owes_group_9(reorganised):
    deadline = datetime.date(2026, 12, 2)
    owing = Assignment.objects.active_on(deadline).filter(
        agency__valid_to__isnull=True, task__group__directive_id=LETTER_PK
    )
    by_agency = {}
    for short_name, group in owing.values_list("agency__short_name", "task__group__number"):
        by_agency.setdefault(short_name, set()).add(group)
    assert len(by_agency) == 117
    assert all(9 in groups for groups in by_agency.values())
    assert by_agency["STC-2025"] >= {1, 2, 9}  # Kế hoạch và Đầu tư's group 1 came with the merger
    assert by_agency["SNNMT-2025"] >= {4, 6, 9}  # Tài nguyên và Môi trường's and Nông nghiệp's groups
    assert by_agency["NHNN-KV12"] >= {8, 9}
    assert not any(name.startswith("TB-") for name in by_agency)
    assert sum(1 for name in by_agency if name.startswith("X")) == 104


def test_a_year_after_the_reform_is_owed_by_the_units_existing_on_its_deadline(reorganised):
    from tests.conftest import load_letter

    year = reporting_year_create(directive=load_letter(), year=2026)
    assert year.reports.count() == 117
    assert year.consolidating_agency == agency("STC-2025")
    assert not year.reports.filter(agency__kind=Agency.Kind.DISTRICT).exists()


def test_a_year_before_the_reform_keeps_its_consolidating_department(reorganised):
    from tests.conftest import load_letter

    year = reporting_year_create(directive=load_letter(), year=2024)
    assert year.consolidating_agency == agency("SKHĐT")
    assert year.reports.filter(agency__kind=Agency.Kind.DISTRICT).count() == 10


def test_running_it_again_changes_nothing(reorganised):
    counts = (Agency.objects.count(), AgencySuccession.objects.count(), Assignment.objects.count(),
              AuditEntry.objects.count())
    out = io.StringIO()
    call_command("load_reorganisation_2025", stdout=out)
    assert (Agency.objects.count(), AgencySuccession.objects.count(), Assignment.objects.count(),
            AuditEntry.objects.count()) == counts
    assert "0 agencies and 0 successions recorded" in out.getvalue()


def test_every_succession_is_audited(reorganised):
    assert AuditEntry.objects.filter(action=Action.AGENCY_REORGANISED).count() == AgencySuccession.objects.count()


def test_an_open_year_made_before_the_data_was_loaded_follows_the_consolidating_department(db):
    from tests.conftest import load_letter

    year = reporting_year_create(directive=load_letter(), year=2026)
    assert year.consolidating_agency.short_name == "SKHĐT"
    call_command("load_reorganisation_2025", stdout=io.StringIO())
    year = ReportingYear.objects.get(pk=year.pk)
    assert year.consolidating_agency == agency("STC-2025")
    assert year.reports.count() == 117


def test_an_administrator_confirms_an_unconfirmed_agency_and_it_is_audited(world, client_for):
    call_command("load_reorganisation_2025", stdout=io.StringIO())
    unit = agency("SCT-2025")
    assert unit.confirmed is False
    response = client_for(world.admin).post(
        "/admin/assignments/agency/", {"action": "confirm_records", "_selected_action": [unit.pk]}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.confirmed is True
    assert AgencySuccession.objects.filter(successor=unit, confirmed=False).count() == 0
    assert AuditEntry.objects.filter(action=Action.AGENCY_CONFIRMED, agency=unit).exists()


def test_the_dry_run_lists_the_plan_and_records_nothing(db):
    before = Agency.objects.count()
    out = io.StringIO()
    call_command("load_reorganisation_2025", "--dry-run", stdout=out)
    assert Agency.objects.count() == before
    assert "SKHĐT → STC (merged_into)" in out.getvalue()
    assert "[chưa xác nhận]" in out.getvalue()
