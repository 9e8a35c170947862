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
