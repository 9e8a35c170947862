"""The navigation bar every page draws (portal/jinja2/portal/navbar.html, in the layout base.html's `page` tag draws)."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def navbar(html: str) -> str:
    return html[html.index('<nav class="navbar') : html.index("</nav>", html.index('<nav class="navbar'))]


def links(html: str) -> list[str]:
    return re.findall(r'class="nav-link[^"]*" href="([^"]+)"', navbar(html))


def test_each_role_sees_its_own_sections_and_the_current_one_is_marked(world, client_for):
    staff = client_for(world.staff_a).get(reverse("reports:index")).content.decode()
    assert links(staff)[:1] == [reverse("reports:index")]
    assert f'class="nav-link active" href="{reverse("reports:index")}"' in staff
    assert reverse("review:index") not in links(staff) and reverse("admin:index") not in links(staff)

    reviewer = client_for(world.reviewer).get(reverse("home")).content.decode()
    assert reverse("review:index") in links(reviewer) and reverse("reports:index") not in links(reviewer)
    assert "nav-link active" not in navbar(reviewer)

    admin = client_for(world.admin).get(reverse("home")).content.decode()
    assert reverse("admin:index") in links(admin)


def test_the_user_menu_names_the_user_and_logs_out_with_a_token(world, client_for):
    html = navbar(client_for(world.staff_a).get(reverse("home")).content.decode())
    assert "Nguyễn Thị Lan" in html
    logout = html[html.index(f'action="{reverse("logout")}"') :]
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', logout)


def test_unread_notices_are_counted_in_the_bar(world, client_for):
    Notification.objects.create(recipient=world.staff_a, title="Báo cáo bị trả lại", body="…")
    html = navbar(client_for(world.staff_a).get(reverse("home")).content.decode())
    assert re.search(r'text-bg-warning">1<span class="visually-hidden"> ', html)


def test_the_language_menu_returns_to_the_page_in_the_chosen_language(world, client_for):
    client = client_for(world.staff_a)
    html = navbar(client.get(reverse("reports:index") + "?a=1&b=2").content.decode())
    assert f'name="next" type="hidden" value="{reverse("reports:index")}?a=1&amp;b=2"' in html
    assert '<option value="vi" selected>Tiếng Việt</option>' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = navbar(client.get(reverse("home")).content.decode())
    assert '<option value="en" selected>English</option>' in english and "Our reports" in english


def test_anonymous_visitors_and_pages_drawn_without_a_request_get_the_language_menu_only(client):
    html = navbar(client.get(reverse("login")).content.decode())
    assert "nav-link" not in html and 'id="language-select"' in html
    # Django draws the page of a bad request without a request, hence without a user or a token.
    page = render_to_string("400.html")
    assert 'id="language-select"' in navbar(page) and "csrfmiddlewaretoken" not in navbar(page)


def test_addresses_in_jinja_templates_are_those_django_gives_under_any_script_prefix():
    from django.urls import clear_script_prefix, reverse, set_script_prefix

    from portal.jinja import url

    assert url("home") == reverse("home") and url("reports:edit", 7) == reverse("reports:edit", args=[7])
    assert url("reports:edit", 8) == reverse("reports:edit", args=[8])
    set_script_prefix("/cong-thong-tin/")
    try:
        assert url("reports:edit", 7) == reverse("reports:edit", args=[7])
        assert url("reports:edit", 7).startswith("/cong-thong-tin/")
    finally:
        clear_script_prefix()
    assert url("reports:edit", 7) == reverse("reports:edit", args=[7]) and not url("home").startswith("/cong")
