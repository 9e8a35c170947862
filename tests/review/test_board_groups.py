"""The status board after the 2025 reorganisation: the groups of agencies a civil servant thinks in (Sở, ban, ngành;
Xã; Phường) and the former districts, as filters and as headings; pages of 50 rows; the mark of an agency the
reorganisation data leave unconfirmed; the CSV of the filtered rows."""

import csv
import io

import pytest
from django.urls import reverse

from assignments.models import Agency
from portal import cache as dashboard_cache
from reports.models import Report
from tests.conftest import unit_owing_a_report
from tests.review.conftest import submit
from tests.review.test_board import _grow, board_url, rows

pytestmark = pytest.mark.django_db

PROVINCIAL_KINDS = {Agency.Kind.DEPARTMENT, Agency.Kind.BOARD, Agency.Kind.BANK, Agency.Kind.OTHER}


@pytest.fixture
def communes(world):
    """Two communes and a ward of Tiên Lữ, one commune formed from Tiên Lữ and Hưng Yên city, one of Văn Lâm."""
    unit_owing_a_report(world.year, "Xã Tiên Lữ", "XTL", Agency.Kind.COMMUNE, "Huyện Tiên Lữ", position=501)
    unit_owing_a_report(world.year, "Xã Hoàng Hoa Thám", "XHHT", Agency.Kind.COMMUNE, "Huyện Tiên Lữ", position=502)
    unit_owing_a_report(
        world.year, "Xã Tân Hưng", "XTH", Agency.Kind.COMMUNE, "Thành phố Hưng Yên; Huyện Tiên Lữ", position=503
    )
    unit_owing_a_report(world.year, "Xã Như Quỳnh", "XNQ", Agency.Kind.COMMUNE, "Huyện Văn Lâm", confirmed=False, position=504)
    unit_owing_a_report(world.year, "Phường Sơn Nam", "PSN", Agency.Kind.WARD, "Thành phố Hưng Yên", position=505)


def test_filter_by_the_group_of_provincial_kinds_lists_every_department_board_bank_and_other(
    world, reviewer_client, communes
):
    listed = rows(reviewer_client.get(board_url(world, "?kind=provincial")))

    expected = Agency.objects.filter(kind__in=PROVINCIAL_KINDS, reports__reporting_year=world.year)
    assert sorted(listed) == sorted(expected.values_list("short_name", flat=True))
    assert len(listed) == 19


def test_filter_by_communes_and_by_wards(world, reviewer_client, communes):
    assert sorted(rows(reviewer_client.get(board_url(world, "?kind=commune")))) == ["XHHT", "XNQ", "XTH", "XTL"]
    assert rows(reviewer_client.get(board_url(world, "?kind=ward"))) == ["PSN"]
    # One kind of agency still filters on its own.
    assert len(rows(reviewer_client.get(board_url(world, "?kind=department")))) == Agency.objects.filter(
        kind=Agency.Kind.DEPARTMENT, reports__reporting_year=world.year
    ).count()


def test_filter_by_former_district_finds_the_units_formed_wholly_or_partly_from_it(
    world, reviewer_client, communes
):
    response = reviewer_client.get(board_url(world, "?district=Huyện Tiên Lữ"))

    assert sorted(rows(response)) == ["XHHT", "XTH", "XTL"]
    assert rows(reviewer_client.get(board_url(world, "?district=Thành phố Hưng Yên&kind=ward"))) == ["PSN"]
    # The select offers each former district of the year's agencies once, alphabetically.
    choices = [value for value, _label in response.context["filters"].fields["district"].choices]
    assert choices == ["", "Huyện Tiên Lữ", "Huyện Văn Lâm", "Thành phố Hưng Yên"]


def test_rows_stand_under_headings_by_group_and_by_former_district(world, reviewer_client, communes):
    page = reviewer_client.get(board_url(world)).content.decode()

    headings = [part.split("</th>")[0] for part in page.split('data-heading="')[1:]]
    assert [h.split('">')[0] for h in headings] == [
        "group",  # Sở, ban, ngành
        "group",  # UBND cấp huyện (before the reorganisation)
        "group",  # Xã
        "district",
        "district",
        "district",
        "group",  # Phường
        "district",
    ]
    text = " ".join(headings)
    for words in ("Sở, ban, ngành", "UBND cấp huyện", "Xã", "Phường", "Trước đây thuộc Huyện Tiên Lữ"):
        assert words in text
    # The communes of Tiên Lữ come together under their heading, before those of Văn Lâm.
    assert page.index('data-report="XTL"') < page.index('data-report="XHHT"') < page.index("Trước đây thuộc Huyện Văn Lâm")
    assert page.index("Trước đây thuộc Huyện Văn Lâm") < page.index('data-report="XNQ"')


def test_sorted_by_another_column_the_rows_stay_under_the_group_headings_without_districts(
    world, reviewer_client, communes
):
    page = reviewer_client.get(board_url(world, "?sort=state")).content.decode()

    assert 'data-heading="group"' in page
    assert 'data-heading="district"' not in page


def test_the_board_shows_50_rows_a_page_and_the_next_page_the_rest_keeping_the_filters(world, reviewer_client):
    _grow(world, 130)

    first = reviewer_client.get(board_url(world))
    assert len(rows(first)) == 50
    assert "Trang 1/3" in first.content.decode()
    assert first.context["summary"].expected == 130  # the figures are the whole year's

    last = reviewer_client.get(board_url(world, "?page=3"))
    assert len(rows(last)) == 30
    assert "Trang 3/3" in last.content.decode()
    seen = rows(first) + rows(reviewer_client.get(board_url(world, "?page=2"))) + rows(last)
    assert len(set(seen)) == 130

    filtered = reviewer_client.get(board_url(world, "?kind=commune&sort=name&desc=1"))
    communes = Report.objects.filter(reporting_year=world.year, agency__kind=Agency.Kind.COMMUNE).count()
    assert communes == 101
    assert filtered.context["page"].paginator.count == communes
    html = filtered.content.decode()
    assert "kind=commune&amp;sort=name&amp;desc=1&amp;page=2" in html
    second = reviewer_client.get(board_url(world, "?kind=commune&sort=name&desc=1&page=2"))
    assert len(rows(second)) == 50
    assert set(rows(second)).isdisjoint(rows(filtered))
    # Numbered on from the first page.
    assert '<td class="text-end text-body-secondary">51</td>' in second.content.decode()


def test_a_page_out_of_range_shows_the_last_page(world, reviewer_client):
    _grow(world, 60)

    response = reviewer_client.get(board_url(world, "?page=99"))

    assert response.context["page"].number == 2
    assert len(rows(response)) == 10


def test_accept_selected_works_for_the_rows_of_a_page(world, reviewer_client):
    _grow(world, 120)
    submitted = [r for r in rows_of(reviewer_client.get(board_url(world, "?page=2"))) if r.state == "submitted"]
    assert submitted

    response = reviewer_client.post(
        reverse("review:accept_selected", kwargs={"year": world.year.year}),
        {"reports": [r.pk for r in submitted], "next": board_url(world, "?page=2")},
    )

    assert response.status_code == 302
    assert response.url == board_url(world, "?page=2")
    assert Report.objects.filter(pk__in=[r.pk for r in submitted], state=Report.State.ACCEPTED).count() == len(
        submitted
    )


def rows_of(response) -> list[Report]:
    return list(response.context["reports"])


def test_the_unconfirmed_mark_stands_beside_an_unconfirmed_agency_only(world, reviewer_client, communes):
    page = reviewer_client.get(board_url(world)).content.decode()

    unconfirmed = page.split('data-report="XNQ"')[1].split("</tr>")[0]
    assert "chưa xác nhận" in unconfirmed
    assert "quản trị viên xác nhận" in unconfirmed  # the title says why
    assert page.count("unconfirmed-mark") == 1


def test_the_review_page_marks_an_unconfirmed_agency_in_its_header(world, reviewer_client):
    world.agency_a.confirmed = False
    world.agency_a.save(update_fields=["confirmed"])
    submit(world.report_a, world.head_a)

    page = reviewer_client.get(reverse("review:report", kwargs={"pk": world.report_a.pk})).content.decode()

    header = page.split("<h1")[1].split("</h1>")[0]
    assert "chưa xác nhận" in header
    other = reviewer_client.get(reverse("review:report", kwargs={"pk": submit(world.report_b, world.head_b).pk}))
    assert "unconfirmed-mark" not in other.content.decode()


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_every_filtered_row_not_only_a_page(world, reviewer_client):
    _grow(world, 130)
    url = reverse("review:board_csv", kwargs={"year": world.year.year})

    everything = _csv(reviewer_client.get(url))
    assert len(everything) == 1 + 130
    assert everything[0][:2] == ["STT", "Đơn vị"]

    communes = _csv(reviewer_client.get(url + "?kind=commune&state=submitted&page=2"))
    expected = Report.objects.filter(
        reporting_year=world.year, agency__kind=Agency.Kind.COMMUNE, state=Report.State.SUBMITTED
    )
    assert sorted(row[2] for row in communes[1:]) == sorted(expected.values_list("agency__short_name", flat=True))
    assert all(row[3] == "Xã" for row in communes[1:])
    assert all(row[7] == "Đã nộp" for row in communes[1:])


def test_the_csv_gives_district_and_confirmation_and_keeps_formulas_from_running(
    world, reviewer_client, communes
):
    unit_owing_a_report(world.year, "=HYPERLINK(\"x\")", "XF", Agency.Kind.COMMUNE, "Huyện Văn Lâm")
    url = reverse("review:board_csv", kwargs={"year": world.year.year})

    table = _csv(reviewer_client.get(url + "?district=Huyện Văn Lâm"))

    by_short = {row[2]: row for row in table[1:]}
    assert set(by_short) == {"XNQ", "XF"}
    assert by_short["XNQ"][5] == "Huyện Văn Lâm"
    assert by_short["XNQ"][6] == "không"
    assert by_short["XF"][1].startswith("'=")


def test_the_board_links_to_its_csv_with_the_filters(world, reviewer_client):
    page = reviewer_client.get(board_url(world, "?kind=provincial&sort=name")).content.decode()

    assert reverse("review:board_csv", kwargs={"year": world.year.year}) + "?kind=provincial&amp;sort=name" in page


@pytest.mark.parametrize("user", ["staff_a", "head_a", "leader"])
def test_the_csv_is_refused_to_anyone_but_reviewers(world, client_for, user):
    response = client_for(getattr(world, user)).get(reverse("review:board_csv", kwargs={"year": world.year.year}))

    assert response.status_code in (403, 404)


def test_the_board_page_at_300_agencies_is_hardly_bigger_than_at_60(world, reviewer_client):
    _grow(world, 60)
    at_60 = len(reviewer_client.get(board_url(world)).content)
    _grow(world, 300)
    dashboard_cache.bump()

    at_300 = len(reviewer_client.get(board_url(world)).content)

    assert at_300 < at_60 * 1.15
