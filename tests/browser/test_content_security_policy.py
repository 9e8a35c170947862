"""The main pages of every role work under the Content-Security-Policy, with no violation in the browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.services import report_submit
from tests.conftest import fill_report

# Reported to the page by the browser itself; collected before any of the portal's scripts run.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def _visit_all(page, live_server, login, username, urls):
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    page.add_init_script(COLLECT_VIOLATIONS)
    login(page, username)
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], url
    assert not [line for line in console if "Content Security Policy" in line or "Refused" in line], console
    return console


@pytest.mark.django_db(transaction=True)
def test_every_roles_main_pages_run_under_the_policy_without_violations(page, live_server, world, login, client_for):
    fill_report(world.report_a, results="Kết quả để xem dưới chính sách bảo mật nội dung.")
    report_submit(report=world.report_a, actor=world.head_a)
    pk = world.report_a.pk
    year = world.year.year
    agency_pages = [
        "/",
        reverse("reports:edit", kwargs={"pk": world.report_b.pk}),
        reverse("reports:detail", kwargs={"pk": pk}),
        reverse("reports:history", kwargs={"pk": pk}),
        reverse("reports:versions", kwargs={"pk": pk}),
        reverse("password_change"),
    ]
    _visit_all(page, live_server, login, "staff_b", agency_pages[:2] + agency_pages[-1:])
    page.context.clear_cookies()
    _visit_all(page, live_server, login, "head_a", [agency_pages[0], *agency_pages[2:5]])
    page.context.clear_cookies()
    _visit_all(
        page,
        live_server,
        login,
        "reviewer",
        [
            reverse("review:board", kwargs={"year": year}),
            reverse("review:report", kwargs={"pk": pk}),
            reverse("review:years"),
            reverse("outputs:consolidated", kwargs={"year": year}),
            reverse("dashboards:index"),
        ],
    )
    page.context.clear_cookies()
    _visit_all(page, live_server, login, "leader", ["/", reverse("dashboards:index")])
    expect(page.locator("canvas").first).to_be_visible()
    page.context.clear_cookies()
    _visit_all(page, live_server, login, "admin", ["/admin/", "/admin/assignments/agency/", "/admin/auth/user/"])


@pytest.mark.django_db(transaction=True)
def test_the_language_menu_still_switches_without_inline_handlers(page, live_server, world, login):
    page.add_init_script(COLLECT_VIOLATIONS)
    login(page, "staff_a")
    page.select_option("#language-select", "en")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.django_db(transaction=True)
def test_the_pages_of_forms_downloads_and_progress_run_under_the_policy(
    page, live_server, world, login, worker_process, tmp_path
):
    """The offline workbook pages, the notices, the year form, the Word buttons and the PDF progress bar."""
    from tests.outputs.conftest import accept

    accept(world.report_a, world.reviewer, results="Kết quả để tổng hợp dưới chính sách bảo mật nội dung.")
    year = world.year.year
    _visit_all(
        page,
        live_server,
        login,
        "staff_b",
        [
            reverse("reports:index"),
            reverse("notifications:list"),
            reverse("reports:edit", kwargs={"pk": world.report_b.pk}),
        ],
    )
    # The offline workbook: downloaded, brought back, its preview shown.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp Excel để điền").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên tệp đã điền").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("button", name="Xác nhận: lưu các nội dung này vào bản nháp")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    page.context.clear_cookies()
    page.context.clear_cookies()
    _visit_all(
        page,
        live_server,
        login,
        "reviewer",
        [reverse("outputs:index"), reverse("review:index"), reverse("notifications:list")],
    )
    # The consolidated page's scripts: preparing the PDF polls the job's progress until the download appears.
    page.goto(live_server.url + reverse("outputs:consolidated", kwargs={"year": year}))
    with page.expect_download() as word:
        page.get_by_role("link", name="Tải bản Word").first.click()
    assert word.value.suggested_filename.endswith(".docx")
    page.get_by_role("link", name="Tạo bản PDF").click()
    expect(page.locator("#pdf-job").get_by_role("link", name="Tải bản PDF")).to_be_visible(timeout=90_000)
    assert page.evaluate("window.__cspViolations") == []

    page.context.clear_cookies()
    for url in [reverse("login"), reverse("password_reset")]:
        response = page.goto(live_server.url + url)
        assert response.status == 200 and "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], url
    health = page.request.get(live_server.url + reverse("healthz"))
    assert health.status == 200
