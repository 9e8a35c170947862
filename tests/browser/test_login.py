import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.management.commands.load_demo import DEMO_PASSWORD


@pytest.mark.django_db(transaction=True)
def test_a_demo_agency_user_logs_in_and_sees_their_agency_home_in_vietnamese(page, live_server, login):
    call_command("load_demo", "--i-know-this-is-not-production", stdout=io.StringIO())
    login(page, "sct.canbo", DEMO_PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Báo cáo của đơn vị")).to_be_visible()
    card = page.locator(".card", has_text="Sở Công Thương")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Báo cáo năm 2026")
    expect(card).to_contain_text("Đang soạn")
    expect(page.get_by_role("link", name="Mở báo cáo")).to_be_visible()
    expect(page.get_by_text("Hạn nộp: 02/12/2026")).to_be_visible()
    # Another agency's report is nowhere on the page.
    expect(page.get_by_text("Sở Tài chính")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_refused_in_vietnamese(page, live_server, world, login):
    login(page, "staff_a", "sai-mat-khau")
    expect(page.get_by_text("mật khẩu chính xác")).to_be_visible()
