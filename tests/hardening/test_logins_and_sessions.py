"""Logins: throttled and logged, reset by e-mail, ended after a working day; pages never cached; oversized
posts answered in Vietnamese; administrators are not reviewers."""

import logging
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.hardening import LOGGED_IN_AT
from reports.errors import ReportPermissionError
from reports.services import report_accept, report_submit
from tests.conftest import fill_report

pytestmark = pytest.mark.django_db


def _fail(client, username, path="/accounts/login/", **extra):
    return client.post(path, {"username": username, "password": "wrong-password"}, **extra)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_and_the_page_says_when_to_try_again(world, settings, path):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, world.admin.username, path).status_code == 200
    locked = _fail(client, world.admin.username, path)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Tạm thời không đăng nhập được" in html and "Thử lại sau" in html
    # Even the right password is refused until the wait is over.
    right = client.post(path, {"username": world.admin.username, "password": "pw"})
    assert right.status_code == 429


def test_an_address_is_locked_out_across_accounts(world, settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, f"sct{n}.canbo")
    assert client.post("/accounts/login/", {"username": "staff_a", "password": "pw"}).status_code == 429
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post("/accounts/login/", {"username": "staff_a", "password": "pw"}).status_code == 302


def test_an_administrator_unlocks_an_account_with_axes_reset_username(world, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "staff_a")
    assert client.post("/accounts/login/", {"username": "staff_a", "password": "pw"}).status_code == 429
    call_command("axes_reset_username", "staff_a", verbosity=0)
    assert client.post("/accounts/login/", {"username": "staff_a", "password": "pw"}).status_code == 302


def test_every_login_success_and_failure_is_logged(world, caplog):
    with caplog.at_level(logging.INFO, logger="portal.auth"):
        _fail(Client(), "staff_a")
        Client().post("/accounts/login/", {"username": "staff_a", "password": "pw"})
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.auth"]
    assert any(line.startswith("login failed user=staff_a ip=") for line in lines)
    assert any(line.startswith("login succeeded user=staff_a ip=") for line in lines)


def test_pages_of_signed_in_users_are_never_cached(world, client_for):
    for url in ("/", reverse("reports:detail", kwargs={"pk": world.report_a.pk})):
        assert client_for(world.staff_a).get(url)["Cache-Control"] == "private, no-store"


def test_a_login_ends_after_the_absolute_limit_however_active(world, client_for, settings):
    client = client_for(world.staff_a)
    assert client.get("/").status_code == 200
    session = client.session
    session[LOGGED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_AGE - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302
    assert settings.SESSION_ABSOLUTE_AGE == 10 * 3600


def test_passwords_need_twelve_characters_and_the_demo_password_passes():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("Hy@2026abcd")  # 11 characters
    validate_password("HungYen@2026")


def test_a_password_is_reset_through_the_link_sent_by_e_mail(world):
    client = Client()
    login_page = client.get("/accounts/login/").content.decode()
    assert reverse("password_reset") in login_page and "Quên mật khẩu?" in login_page
    response = client.post(reverse("password_reset"), {"email": world.staff_a.email}, follow=True)
    assert "Kiểm tra hộp thư" in response.content.decode()
    assert len(mail.outbox) == 1 and "Kính gửi" in mail.outbox[0].body
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Chọn mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Lua-Xanh-2026!", "new_password2": "Lua-Xanh-2026!"}, follow=True
    )
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert Client().post("/accounts/login/", {"username": "staff_a", "password": "Lua-Xanh-2026!"}).status_code == 302


def test_an_administrator_is_not_a_reviewer_unless_made_one(world, client_for):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)
    assert world.admin.is_superuser
    with pytest.raises(ReportPermissionError):
        report_accept(report=world.report_a, actor=world.admin)
    assert client_for(world.admin).get(reverse("review:report", kwargs={"pk": world.report_a.pk})).status_code == 403
    from django.contrib.auth.models import Group

    from assignments.roles import REVIEWERS

    world.admin.groups.add(Group.objects.get(name=REVIEWERS))
    admin = type(world.admin).objects.get(pk=world.admin.pk)
    report_accept(report=world.report_a, actor=admin)


def test_an_oversized_post_gets_the_portals_own_page_with_the_way_back(world, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = client_for(world.staff_a)
    form = reverse("reports:edit", kwargs={"pk": world.report_a.pk})
    response = client.post(form, {"results": "x" * 5000}, HTTP_REFERER=f"http://testserver{form}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Biểu mẫu quá lớn" in html and f'href="http://testserver{form}"' in html


def test_too_many_files_get_the_portals_own_page(world, client_for, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4") for n in range(4)]
    response = client_for(world.staff_a).post(
        reverse("reports:edit", kwargs={"pk": world.report_a.pk}), {"evidence": files}
    )
    assert response.status_code == 400
    assert "Biểu mẫu quá lớn" in response.content.decode()


def test_a_file_name_of_1000_characters_is_shortened_not_answered_with_an_error(world, client_for):
    from reports.models import Evidence
    from tests.reports.conftest import EditPage, pdf_bytes, upload

    page = EditPage(client_for(world.staff_a), world.report_a)
    name = "Biên bản " + "rất dài " * 124 + ".pdf"
    assert len(name) >= 1000
    response = page.post(files={f"{page.answer_prefix('3.1')}-files": upload(name, pdf_bytes())})
    assert response.status_code == 302
    stored = Evidence.objects.get(task_report__report=world.report_a)
    assert len(stored.original_name) <= 255 and stored.original_name.endswith(".pdf")
