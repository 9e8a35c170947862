"""The status board of a year: every agency that owes a report, its state, timeliness, reminders; filters; counts."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.models import Agency, Task
from assignments.roles import REVIEWERS, ensure_role_groups
from portal import cache as dashboard_cache
from reports.models import Report, ReportVersion, TaskReport
from reports.services import report_accept
from review.models import Reminder
from tests.review.conftest import submit

pytestmark = pytest.mark.django_db


def board_url(world, query=""):
    return reverse("review:board", kwargs={"year": world.year.year}) + query


def rows(response) -> list[str]:
    """Short names of the agencies listed, in order."""
    return [r.agency.short_name for r in response.context["reports"]]


def test_board_lists_every_agency_that_owes_a_report_with_state_time_timeliness_and_reminder(
    world, reviewer_client
):
    submitted = submit(world.report_a, world.head_a)
    Reminder.objects.create(
        report=world.report_b,
        day=timezone.localdate(),
        kind=Reminder.Kind.MANUAL,
        days_to_deadline=7,
        created_by=world.reviewer,
    )

    response = reviewer_client.get(board_url(world))

    assert response.status_code == 200
    assert len(rows(response)) == Report.objects.filter(reporting_year=world.year).count() == 29
    page = response.content.decode()
    row_a = page.split('data-report="SCT"')[1].split("</tr>")[0]
    assert "state-submitted" in row_a
    assert timezone.localtime(submitted.submitted_at).strftime("%H:%M %d/%m/%Y") in row_a
    assert "bi-clock" in row_a  # on time badge
    row_b = page.split('data-report="STC"')[1].split("</tr>")[0]
    assert timezone.localdate().strftime("%d/%m/%Y") in row_b  # last reminder
    assert reverse("review:remind", kwargs={"pk": world.report_b.pk}) in row_b


def test_board_counts_follow_the_reporting_rate(world, reviewer_client):
    submit(world.report_a, world.head_a)
    report_accept(report=submit(world.report_b, world.head_b), actor=world.reviewer)

    summary = reviewer_client.get(board_url(world)).context["summary"]

    assert summary.expected == 29
    assert summary.submitted == 2
    assert summary.submitted_percent == round(200 / 29)
    assert summary.on_time == 2
    assert summary.on_time_percent == round(200 / 29)
    assert summary.accepted == 1
    assert summary.awaiting_review == 1
    assert summary.not_submitted == 27


def test_board_filters_by_state(world, reviewer_client):
    submit(world.report_a, world.head_a)

    assert rows(reviewer_client.get(board_url(world, "?state=submitted"))) == ["SCT"]


def test_board_filters_by_kind_of_agency(world, reviewer_client):
    listed = rows(reviewer_client.get(board_url(world, "?kind=district")))

    assert len(listed) == 10
    assert set(listed) == set(Agency.objects.filter(kind="district").values_list("short_name", flat=True))


def test_board_filters_by_task_group(world, reviewer_client):
    assert rows(reviewer_client.get(board_url(world, "?group=3"))) == ["SCT"]
    assert len(rows(reviewer_client.get(board_url(world, "?group=9")))) == 29


def test_board_searches_agency_names(world, reviewer_client):
    assert rows(reviewer_client.get(board_url(world, "?q=công thương"))) == ["SCT"]


def test_board_ignores_filter_values_it_does_not_know(world, reviewer_client):
    response = reviewer_client.get(board_url(world, "?state=bogus&kind=district&group=abc&sort=nonsense"))

    assert response.status_code == 200
    assert len(rows(response)) == 10


def test_board_sorts_by_lateness_and_by_name(world, reviewer_client):
    late = timezone.now() + datetime.timedelta(days=10)  # deadline is in 7 days: 3 days late
    submit(world.report_b, world.head_b)
    Report.objects.filter(pk=world.report_a.pk).update(
        state=Report.State.SUBMITTED, days_late=3, first_submitted_at=late, submitted_at=late
    )

    by_lateness = rows(reviewer_client.get(board_url(world, "?sort=late")))
    assert by_lateness[:2] == ["SCT", "STC"]
    names = rows(reviewer_client.get(board_url(world, "?sort=name&desc=1")))
    # Under the headings of the kinds of agency (provincial ones first), each sorted by name, from Z to A.
    assert names == in_kind_groups(VIETNAMESE_ORDER[::-1])


def in_kind_groups(short_names: list[str]) -> list[str]:
    """The agencies in the same order within each group of kinds, the provincial ones before the districts."""
    district = set(Agency.objects.filter(kind=Agency.Kind.DISTRICT).values_list("short_name", flat=True))
    return [s for s in short_names if s not in district] + [s for s in short_names if s in district]


# The letter's agencies by name in Vietnamese alphabetical order: "Giáo" before "Giao" (same letters, the tone
# decides), "Ân" after "An…" and before "B", "Ủy" among the U, before "Văn"; code-point order gets each one wrong.
VIETNAMESE_ORDER = [
    "BQLKCN",  # Ban Quản lý các khu công nghiệp tỉnh
    "NHNN",  # Ngân hàng Nhà nước Việt Nam – Chi nhánh tỉnh Hưng Yên
    "SCT",  # Sở Công Thương
    "SGDĐT",  # Sở Giáo dục và Đào tạo
    "SGTVT",  # Sở Giao thông vận tải
    "SKHĐT",  # Sở Kế hoạch và Đầu tư
    "SKHCN",  # Sở Khoa học và Công nghệ
    "SLĐTBXH",  # Sở Lao động - Thương binh và Xã hội
    "SNV",  # Sở Nội vụ
    "SNNPTNT",  # Sở Nông nghiệp và Phát triển nông thôn
    "STC",  # Sở Tài chính
    "STNMT",  # Sở Tài nguyên và Môi trường
    "STTTT",  # Sở Thông tin và Truyền thông
    "STP",  # Sở Tư pháp
    "SVHTTDL",  # Sở Văn hóa, Thể thao và Du lịch
    "SXD",  # Sở Xây dựng
    "SYT",  # Sở Y tế
    "TTr",  # Thanh tra tỉnh
    "HAT",  # Ủy ban nhân dân huyện Ân Thi
    "HKC",  # Ủy ban nhân dân huyện Khoái Châu
    "HKĐ",  # Ủy ban nhân dân huyện Kim Động
    "HPC",  # Ủy ban nhân dân huyện Phù Cừ
    "HTL",  # Ủy ban nhân dân huyện Tiên Lữ
    "HVG",  # Ủy ban nhân dân huyện Văn Giang
    "HVL",  # Ủy ban nhân dân huyện Văn Lâm
    "HYM",  # Ủy ban nhân dân huyện Yên Mỹ
    "TPHY",  # Ủy ban nhân dân thành phố Hưng Yên
    "TXMH",  # Ủy ban nhân dân thị xã Mỹ Hào
    "VPUBND",  # Văn phòng Ủy ban nhân dân tỉnh
]


def test_board_sorts_agency_names_in_vietnamese_alphabetical_order(world, reviewer_client):
    assert rows(reviewer_client.get(board_url(world, "?sort=name"))) == in_kind_groups(VIETNAMESE_ORDER)
    provincial = in_kind_groups(VIETNAMESE_ORDER)[:19]
    assert rows(reviewer_client.get(board_url(world, "?sort=name&kind=provincial"))) == provincial


def test_within_one_letter_sequence_the_tone_decides_in_dictionary_order(world, reviewer_client):
    names = ["Xã Mả", "Xã Ma", "Xã Mạ", "Xã Má", "Xã Mã", "Xã Mà", "Xã Đa", "Xã Dà", "Xã Ăn", "Xã Âm", "Xã An"]
    for i, name in enumerate(names):
        agency = Agency.objects.create(
            name=name, short_name=f"T{i}", kind=Agency.Kind.COMMUNE, head_title="Chủ tịch", position=999
        )
        Report.objects.create(reporting_year=world.year, agency=agency)

    response = reviewer_client.get(board_url(world, "?sort=name&kind=commune"))

    assert [r.agency.name for r in response.context["reports"]] == [
        *("Xã An", "Xã Ăn", "Xã Âm", "Xã Dà", "Xã Đa"),
        *("Xã Ma", "Xã Mà", "Xã Mả", "Xã Mã", "Xã Má", "Xã Mạ"),
    ]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("hai duong", ["XHD"]),
        ("HAI  DUONG", ["XHD"]),
        ("ha noi", ["VPHN"]),
        ("dong", ["SLĐTBXH", "HKĐ", "XĐK"]),  # without diacritics: đông, động, đồng alike
        ("Đông", ["XĐK"]),  # typed with them: only that word
        ("hải dương", ["XHD"]),
        ("Hài", []),
        ("skhdt", ["SKHĐT"]),  # the short name, without đ
    ],
)
def test_board_search_finds_names_typed_without_diacritics(world, reviewer_client, typed, found):
    for name, short in [
        ("Ủy ban nhân dân xã Hải Dương", "XHD"),
        ("Ủy ban nhân dân xã Đông Kết", "XĐK"),
        ("Văn phòng đại diện tại Hà Nội", "VPHN"),
        ("Ủy ban nhân dân xã Đồng Than", "XĐT"),
    ]:
        agency = Agency.objects.create(
            name=name, short_name=short, kind=Agency.Kind.COMMUNE, head_title="Chủ tịch"
        )
        Report.objects.create(reporting_year=world.year, agency=agency)
    if typed == "dong":
        found = found + ["XĐT"]

    listed = rows(reviewer_client.get(board_url(world, "?" + urlencode({"q": typed}))))

    assert sorted(listed) == sorted(found)


def _grow(world, count: int) -> None:
    """Add agencies up to `count`, each with a report, a task answer, and for some a submission and a reminder."""
    task = Task.objects.get(code="9.1")
    have = Report.objects.filter(reporting_year=world.year).count()
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                name=f"UBND xã thử nghiệm {i}",
                short_name=f"XTN{i}",
                kind=Agency.Kind.COMMUNE,
                head_title="Chủ tịch",
                former_district="Huyện Thử" if i % 2 else "Thành phố Thử",
            )
            for i in range(have, count)
        ]
    )
    now = timezone.now()
    reports = Report.objects.bulk_create(
        [
            Report(
                reporting_year=world.year,
                agency=a,
                state=Report.State.SUBMITTED if i % 3 == 0 else Report.State.DRAFT,
                first_submitted_at=now if i % 3 == 0 else None,
                submitted_at=now if i % 3 == 0 else None,
                days_late=0 if i % 3 == 0 else None,
            )
            for i, a in enumerate(agencies)
        ]
    )
    TaskReport.objects.bulk_create([TaskReport(report=r, task=task) for r in reports])
    ReportVersion.objects.bulk_create(
        [
            ReportVersion(report=r, number=1, snapshot={}, submitted_at=now, submitted_by=world.head_a)
            for r in reports
            if r.state == Report.State.SUBMITTED
        ]
    )
    Reminder.objects.bulk_create(
        [
            Reminder(report=r, day=timezone.localdate(), kind=Reminder.Kind.AUTOMATIC, days_to_deadline=7)
            for r in reports
            if r.state == Report.State.DRAFT
        ]
    )
    # Rows written in bulk send no signals (no service writes them so): a new generation by hand, so that the
    # board is computed afresh rather than read from the cache.
    dashboard_cache.bump()


def _board_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?state=submitted&kind=commune&group=9&sort=reminder&desc=1",
        "?q=xa+thu+nghiem&sort=name&desc=1",
        "?kind=provincial",
        "?kind=commune&district=Huy%E1%BB%87n+Th%E1%BB%AD&page=2",
    ],
)
def test_board_makes_the_same_number_of_queries_for_30_and_300_agencies(
    world, reviewer_client, django_assert_max_num_queries, query
):
    _grow(world, 30)
    at_30 = _board_queries(reviewer_client, board_url(world, query))
    _grow(world, 300)
    assert Report.objects.filter(reporting_year=world.year).count() == 300

    with django_assert_max_num_queries(at_30):
        response = reviewer_client.get(board_url(world, query))
    # Until the data change again, the rows and figures come from the cache.
    assert _board_queries(reviewer_client, board_url(world, query)) < at_30
    if not query:
        assert response.context["page"].paginator.count == 300
        assert len(response.context["reports"]) == 50  # one page
    assert at_30 <= 15


def test_before_any_year_is_opened_the_board_says_so_and_points_to_the_years_page(
    letter, client_for, django_user_model
):
    reviewer = django_user_model.objects.create_user("first_reviewer", password="pw")
    reviewer.groups.add(ensure_role_groups()[REVIEWERS])

    response = client_for(reviewer).get(reverse("review:index"))

    assert response.status_code == 200
    assert "Chưa có năm báo cáo nào được mở." in response.content.decode()
    assert reverse("review:years") in response.content.decode()
