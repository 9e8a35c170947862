"""A form sent from a stale page, or after the login expired, loses nothing the user cannot get back."""

from django.test import Client
from django.urls import reverse


def test_a_stale_form_gets_a_vietnamese_page_saying_what_to_do(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff_a)
    response = client.post(reverse("reports:edit", args=[world.report_a.pk]), {"version": "1"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Trang đã cũ" in page and "Quay lại" in page


def test_the_login_page_says_why_it_appears_when_a_page_asked_for_it(world, client):
    page = client.get(reverse("login") + "?next=/reports/1/edit/").content.decode()
    assert "khôi phục nội dung bạn đã nhập" in page


def test_the_login_lasts_from_the_last_page_opened(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_django_messages_missing_from_its_catalogue_are_in_vietnamese(world, client_for):
    response = client_for(world.staff_a).post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "ab1", "new_password2": "ab1"},
    )
    page = response.content.decode()
    assert "Mật khẩu quá ngắn" in page and "This password is too short" not in page
