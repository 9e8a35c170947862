"""A page reads the user's permissions, agencies and unread notices from the shared cache (portal.auth,
notifications.unread): whatever changes them is seen at the very next request, never a stale answer."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assignments.models import Membership
from assignments.roles import LEADERS, REVIEWERS
from notifications.models import Notification
from notifications.services import notices_mark_all_read, notify

pytestmark = pytest.mark.django_db


def test_a_role_granted_or_taken_away_counts_at_the_next_request(world, client_for):
    client = client_for(world.staff_b)
    dashboard = reverse("dashboards:index")
    assert client.get(dashboard).status_code == 403  # read once, kept in the cache

    world.staff_b.groups.add(Group.objects.get(name=LEADERS))
    assert client.get(dashboard).status_code == 200

    world.staff_b.groups.remove(Group.objects.get(name=LEADERS))
    assert client.get(dashboard).status_code == 403


def test_a_permission_taken_from_a_whole_group_counts_at_the_next_request(world, client_for):
    client = client_for(world.reviewer)
    board = reverse("review:board", args=[world.year.year])
    assert client.get(board).status_code == 200
    reviewers = Group.objects.get(name=REVIEWERS)
    taken = list(reviewers.permissions.all())
    reviewers.permissions.clear()
    assert client.get(board).status_code == 403
    reviewers.permissions.set(taken)
    assert client.get(board).status_code == 200


def test_a_membership_ended_closes_the_agencys_reports_at_the_next_request(world, client_for):
    client = client_for(world.staff_a)
    report = reverse("reports:edit", args=[world.report_a.pk])
    assert client.get(report).status_code == 200

    Membership.objects.filter(user=world.staff_a).delete()
    assert client.get(report).status_code == 404

    Membership.objects.create(user=world.staff_a, agency=world.agency_a, role=Membership.Role.STAFF)
    assert client.get(report).status_code == 200


def test_the_unread_count_follows_new_read_and_removed_notices(world, client_for):
    client = client_for(world.staff_a)
    home = reverse("home")
    assert client.get(home).context["unread_notices"] == 0

    notify([world.staff_a], title="Báo cáo bị trả lại", email=False)
    notify([world.staff_a, world.head_a], title="Nhắc hạn nộp báo cáo", email=False)
    assert client.get(home).context["unread_notices"] == 2

    first = Notification.objects.filter(recipient=world.staff_a).order_by("pk").first()
    client.post(reverse("notifications:open", args=[first.pk]))
    assert client.get(home).context["unread_notices"] == 1

    notices_mark_all_read(world.staff_a)
    assert client.get(home).context["unread_notices"] == 0

    notify([world.staff_a], title="Báo cáo đã được chấp nhận", email=False)
    assert client.get(home).context["unread_notices"] == 1
    Notification.objects.filter(recipient=world.staff_a, read_at__isnull=True).get().delete()
    assert client.get(home).context["unread_notices"] == 0


def test_the_user_of_a_session_is_read_once_and_again_after_any_change_to_the_account(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.staff_a)
    home = reverse("home")
    client.get(home)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(home).status_code == 200
    assert "auth_user" not in " ".join(q["sql"] for q in captured.captured_queries)

    world.staff_a.first_name, world.staff_a.last_name = "Thị Hoa", "Nguyễn"
    world.staff_a.save()
    assert world.staff_a.get_full_name() in client.get(home).content.decode()

    world.staff_a.is_active = False
    world.staff_a.save()
    assert client.get(home).status_code == 302  # logged out: the login page

    world.staff_a.is_active = True
    world.staff_a.save()
    assert client.get(home).status_code == 200  # reactivated: as Django does, the session was kept


def test_a_password_changed_elsewhere_ends_the_other_sessions_at_their_next_request(world, client_for):
    client = client_for(world.staff_a)
    home = reverse("home")
    assert client.get(home).status_code == 200
    world.staff_a.set_password("Mật-khẩu-mới-2026")
    world.staff_a.save()
    assert client.get(home).status_code == 302


def test_a_process_keeps_what_it_read_under_the_current_access_generation(world, client_for):
    """A user's next page reads the permissions and agencies this process already read (their keys carry the access
    generation, so nothing is ever written under them again); a change of access makes new keys."""
    from unittest import mock

    from django.core.cache import cache

    client = client_for(world.head_a)
    url = reverse("reports:index")
    assert client.get(url).status_code == 200
    with mock.patch.object(cache, "get_or_set", wraps=cache.get_or_set) as read:
        assert client.get(url).status_code == 200
    asked = [call.args[0] for call in read.call_args_list]
    assert not any(key.startswith(("auth:permissions:", "auth:memberships:")) for key in asked), asked

    Membership.objects.filter(user=world.head_a).delete()
    with mock.patch.object(cache, "get_or_set", wraps=cache.get_or_set) as read:
        client.get(url)
    assert any(key.startswith("auth:memberships:") for key in (call.args[0] for call in read.call_args_list))
