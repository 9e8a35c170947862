"""Take the README's screenshots from the demo served by `make run` (http://127.0.0.1:8000 by default).

    .venv/bin/python scripts/screenshots.py [base_url]

Drives Debian's Chromium through Playwright, logs in with the demo accounts of the README and writes the PNG
files under docs/screenshots/ (desktop 1280 px wide, phone 390 px).
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "HungYen@2026"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def login(browser, username: str, *, phone: bool = False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    page = browser.new_page(viewport=size, device_scale_factor=1, locale="vi-VN")
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Đăng nhập")).click()
    page.wait_for_load_state("networkidle")
    return page


def shot(page, name: str, *, full_page: bool = True) -> None:
    path = OUT / name
    page.screenshot(path=str(path), full_page=full_page)
    print(path.relative_to(OUT.parent.parent))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)

        reviewer = login(browser, "tonghop")
        reviewer.goto(f"{BASE}/review/2026/")
        shot(reviewer, "review-board.png", full_page=False)
        submitted = reviewer.locator("a[href^='/review/reports/']").first
        submitted.click()
        reviewer.wait_for_load_state("networkidle")
        shot(reviewer, "review-report.png", full_page=False)

        leader = login(browser, "lanhdao.tinh")
        leader.goto(f"{BASE}/dashboard/")
        leader.wait_for_load_state("networkidle")
        shot(leader, "dashboard.png", full_page=False)

        ward = login(browser, "phuong-phohien.canbo")
        ward.goto(f"{BASE}/reports/")
        ward.get_by_role("link", name="Xem", exact=True).first.click()
        ward.wait_for_load_state("networkidle")
        shot(ward, "agency-report-accepted.png", full_page=False)

        commune = login(browser, "hym.canbo")
        shot(commune, "agency-home.png", full_page=False)

        phone = login(browser, "tonghop", phone=True)
        phone.goto(f"{BASE}/review/2026/")
        shot(phone, "review-board-phone.png", full_page=False)
        browser.close()


if __name__ == "__main__":
    main()
