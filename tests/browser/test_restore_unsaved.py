"""Typing, then saving after the login expired: after logging in again the report form puts the text back."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect


@pytest.mark.django_db(transaction=True)
def test_text_typed_before_the_login_expired_can_be_put_back(page, live_server, world, login):
    login(page, "staff_a")
    page.goto(live_server.url + reverse("reports:edit", args=[world.report_a.pk]))
    results = page.locator("#task-3-1").get_by_label("Kết quả đạt được")
    results.fill("Nội dung dài soạn trong giờ làm việc.")

    page.context.clear_cookies(name="sessionid")  # the login expires while the page is open
    page.get_by_role("button", name="Lưu nháp").first.click()
    expect(page.get_by_text("phiên đăng nhập đã hết hạn trong lúc bạn soạn báo cáo")).to_be_visible()

    page.get_by_label("Tên đăng nhập").fill("staff_a")
    page.get_by_label("Mật khẩu").fill("pw")
    page.get_by_role("button", name="Đăng nhập").click()

    banner = page.locator("#restore-banner")
    expect(banner).to_be_visible()
    expect(results).to_have_value("")
    banner.get_by_role("button", name="Khôi phục nội dung đã nhập").click()
    expect(results).to_have_value("Nội dung dài soạn trong giờ làm việc.")
    expect(banner).to_be_hidden()

    page.get_by_role("button", name="Lưu nháp").first.click()
    expect(page.get_by_text("Đã lưu nháp")).to_be_visible()
    # Saved: the copy kept in the tab is not offered again.
    page.reload()
    expect(page.locator("#restore-banner")).to_be_hidden()
    expect(page.locator("#task-3-1").get_by_label("Kết quả đạt được")).to_have_value(
        "Nội dung dài soạn trong giờ làm việc."
    )


@pytest.mark.django_db(transaction=True)
def test_text_typed_before_an_oversized_save_is_offered_back_from_the_portals_own_page(
    page, live_server, world, login, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    login(page, "staff_a")
    page.goto(live_server.url + reverse("reports:edit", args=[world.report_a.pk]))
    results = page.locator("#task-3-1").get_by_label("Kết quả đạt được")
    text = ("Báo cáo rất dài. " * 1000).strip()
    results.fill(text)

    page.get_by_role("button", name="Lưu nháp").first.click()
    expect(page.get_by_role("heading", name="Biểu mẫu quá lớn, không thể tiếp nhận")).to_be_visible()
    page.get_by_role("link", name="Quay lại biểu mẫu").click()

    banner = page.locator("#restore-banner")
    expect(banner).to_be_visible()
    banner.get_by_role("button", name="Khôi phục nội dung đã nhập").click()
    expect(results).to_have_value(text)
