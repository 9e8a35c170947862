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


def test_the_login_lasts_from_the_last_page_opened(world, client_for, monkeypatch):
    import time

    from django.contrib.sessions.models import Session

    from portal import middleware

    client = client_for(world.staff_a)
    session = client.session
    stamped = session[middleware.REFRESHED_AT]
    expiry = Session.objects.get(pk=session.session_key).expire_date

    client.get(reverse("home"))  # a page opened soon after: the session is not written again
    assert client.session[middleware.REFRESHED_AT] == stamped

    later = time.time() + 3600
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert client.get(reverse("home")).status_code == 200
    assert client.session[middleware.REFRESHED_AT] == int(later)
    assert Session.objects.get(pk=client.session.session_key).expire_date > expiry


def test_an_anonymous_visit_writes_no_session(db, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        client.get(reverse("login"))


def test_django_messages_missing_from_its_catalogue_are_in_vietnamese(world, client_for):
    response = client_for(world.staff_a).post(
        reverse("password_change"),
        {"old_password": "pw", "new_password1": "ab1", "new_password2": "ab1"},
    )
    page = response.content.decode()
    assert "Mật khẩu quá ngắn" in page and "This password is too short" not in page
