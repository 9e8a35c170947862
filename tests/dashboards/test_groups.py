"""The dashboard after the 2025 reorganisation: the groups of agencies (Sở, ban, ngành; Xã; Phường) and the former
districts as filters of the page and of its downloads, the heat map's headings, pages and unconfirmed mark."""

import csv
import io

import pytest
from django.urls import reverse

from assignments.models import Agency
from portal import cache as dashboard_cache
from tests.conftest import unit_owing_a_report
from tests.dashboards.test_query_counts import grow_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(world):
    unit_owing_a_report(world.year, "Xã Tiên Lữ", "XTL", Agency.Kind.COMMUNE, "Huyện Tiên Lữ", position=501)
    unit_owing_a_report(world.year, "Xã Tân Hưng", "XTH", Agency.Kind.COMMUNE, "Thành phố Hưng Yên; Huyện Tiên Lữ", position=502)
    unit_owing_a_report(world.year, "Xã Như Quỳnh", "XNQ", Agency.Kind.COMMUNE, "Huyện Văn Lâm", confirmed=False, position=503)
    unit_owing_a_report(world.year, "Phường Sơn Nam", "PSN", Agency.Kind.WARD, "Thành phố Hưng Yên", position=504)


def expected(client, **filters) -> int:
    return client.get(reverse("dashboards:index"), filters).context["headline"].expected


def test_the_dashboard_filters_by_group_of_kinds_and_by_former_district(world, client_for, communes):
    client = client_for(world.leader)

    assert expected(client, kind="provincial") == 19
    assert expected(client, kind="commune") == 3
    assert expected(client, kind="ward") == 1
    assert expected(client, kind="district") == 10  # one kind on its own still works
    assert expected(client, district="Huyện Tiên Lữ") == 2
    assert expected(client, kind="ward", district="Thành phố Hưng Yên") == 1

    page = client.get(reverse("dashboards:index"), {"district": "Huyện Tiên Lữ"}).content.decode()
    assert "trước đây thuộc Huyện Tiên Lữ" in page.split('id="filter-summary"')[1].split("</p>")[0]


def rows_of(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_downloads_honour_the_former_district(world, client_for, communes):
    client = client_for(world.leader)

    response = client.get(
        reverse("dashboards:csv", args=["headline"]), {"kind": "commune", "district": "Huyện Tiên Lữ"}
    )

    assert rows_of(response)[1][:2] == ["Phải báo cáo", "2"]
    assert "_commune_huyen-tien-lu" in response["Content-Disposition"]
    unknown = client.get(reverse("dashboards:csv", args=["headline"]), {"district": "Huyện Không Có"})
    assert unknown.status_code == 400


def test_the_heat_map_lists_its_rows_under_headings_with_the_unconfirmed_mark(world, client_for, communes):
    page = client_for(world.leader).get(reverse("dashboards:index")).content.decode()
    heat = page.split('id="heatmap-chart"')[1].split("</table>")[0]

    for words in ("Sở, ban, ngành", "UBND cấp huyện", "Xã", "Phường", "Trước đây thuộc Huyện Tiên Lữ"):
        assert words in heat
    assert heat.index("Sở Công Thương") < heat.index("Xã Tiên Lữ") < heat.index("Phường Sơn Nam")
    assert heat.count("unconfirmed-mark") == 1
    row = heat.split("Xã Như Quỳnh")[1].split("</th>")[0]
    assert "chưa xác nhận" in row


def test_the_heat_map_shows_50_agencies_a_page_keeping_the_filters(world, last_year, client_for):
    client = client_for(world.leader)
    grow_to([world.year], 160)
    dashboard_cache.bump()
    url = reverse("dashboards:index")

    def agencies(**params) -> list[str]:
        html = client.get(url, params).content.decode()
        heat = html.split('id="heatmap-chart"')[1].split("</table>")[0]
        return [part.split("</a>")[0].split(">")[-1] for part in heat.split('class="hm-agency">')[2:]]

    first, last = agencies(), agencies(heat_page="4")
    assert len(first) == 50
    assert len(last) == 10
    page = client.get(url, {"kind": "provincial"}).content.decode()
    link = next(part for part in page.split('href="')[1:] if "heat_page=2" in part.split('"')[0]).split('"')[0]
    assert "kind=provincial" in link
    assert link.endswith("#heatmap")
    assert "Trang 1/" in page
    # The figures and the downloads still count every agency.
    assert client.get(url).context["headline"].expected == 160
    heat_csv = rows_of(client.get(reverse("dashboards:csv", args=["heatmap"])))
    assert len({r[0] for r in heat_csv[1:]}) > 50
