"""The reviewers' pages on a phone (390 px wide): nothing makes the page itself scroll sideways."""

import pytest
from playwright.sync_api import expect

from tests.review.conftest import submit

PHONE = {"width": 390, "height": 844}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.django_db(transaction=True)
def test_the_review_board_fits_a_phone_and_its_buttons_stay_reachable(page, live_server, world, login):
    submit(world.report_a, world.head_a)
    page.set_viewport_size(PHONE)
    login(page, "reviewer")

    page.goto(f"{live_server.url}/review/{world.year.year}/")

    expect(page.get_by_role("heading", name=f"Bảng theo dõi báo cáo năm {world.year.year}")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    review = page.locator('tr[data-report="SCT"]').get_by_role("link", name="Thẩm định")
    review.scroll_into_view_if_needed()
    box = review.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    remind = page.locator('tr[data-report="STC"]').get_by_role("button", name="Nhắc")
    remind.scroll_into_view_if_needed()
    box = remind.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page_width(page) <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_the_years_page_and_the_review_page_fit_a_phone(page, live_server, world, login):
    submitted = submit(world.report_a, world.head_a)
    page.set_viewport_size(PHONE)
    login(page, "reviewer")

    page.goto(f"{live_server.url}/review/years/")
    expect(page.get_by_role("heading", name="Năm báo cáo", exact=True)).to_be_visible()
    assert page_width(page) <= PHONE["width"]

    page.goto(f"{live_server.url}/review/reports/{submitted.pk}/")
    expect(page.get_by_role("button", name="Trả lại đơn vị")).to_be_visible()
    assert page_width(page) <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_at_the_provinces_size_the_board_and_the_dashboard_fit_a_phone(page, live_server, world, login):
    """About 120 units, as since the 2025 reorganisation: communes and wards of several former districts, some
    unconfirmed. The board pages them under their headings and a filter by group and district narrows them."""
    from assignments.models import Agency
    from tests.conftest import unit_owing_a_report

    districts = ["Huyện Tiên Lữ", "Huyện Văn Lâm", "Huyện Kiến Xương; Huyện Vũ Thư", "Thành phố Hưng Yên"]
    for number in range(92):
        kind = Agency.Kind.WARD if number % 9 == 0 else Agency.Kind.COMMUNE
        prefix = "Phường" if kind == Agency.Kind.WARD else "Xã"
        unit_owing_a_report(
            world.year, f"{prefix} Thử Nghiệm Số {number}", f"X{number:03d}", kind, districts[number % 4],
            confirmed=number % 5 != 0, position=600 + number,
        )
    page.set_viewport_size(PHONE)
    login(page, "reviewer")
    page.goto(f"{live_server.url}/review/{world.year.year}/")
    expect(page.get_by_text("Trang 1/3").first).to_be_visible()
    expect(page.get_by_text("chưa xác nhận").first).to_be_attached()
    assert page_width(page) <= PHONE["width"]

    page.get_by_label("Loại cơ quan").select_option(label="Xã")
    page.get_by_label("Huyện cũ").select_option(label="Huyện Văn Lâm")
    page.get_by_role("button", name="Bộ lọc").click()
    expect(page.get_by_role("rowheader", name="Xã Thử Nghiệm Số 1", exact=True)).to_be_visible()
    # Only communes of Văn Lâm (every fourth unit from number 1), none of another district.
    expect(page.get_by_role("rowheader", name="Xã Thử Nghiệm Số 2", exact=True)).to_have_count(0)
    assert page_width(page) <= PHONE["width"]

    page.context.clear_cookies()
    login(page, "leader")
    page.goto(f"{live_server.url}/dashboard/?year={world.year.year}")
    expect(page.get_by_role("heading", name=f"Bảng điều hành · Kỳ báo cáo năm {world.year.year}")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
