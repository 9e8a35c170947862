import pytest
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_agency_staff_logs_in_and_sees_their_agency_home_in_vietnamese(page, live_server, world, login):
    login(page, "staff_a")
    expect(page.get_by_role("heading", name="Báo cáo của đơn vị")).to_be_visible()
    expect(page.get_by_text("Sở Công Thương").first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("link", name="Mở báo cáo")).to_be_visible()
