from notifications.models import Notification
from tests.access import LOGIN, Case


def _notice_for_staff_a(world):
    world.notice = Notification.objects.create(recipient=world.staff_a, title="Thông báo", url="/")


CASES = [
    Case(
        "notifications:list",
        {"anonymous": LOGIN, "staff_a": 200, "head_a": 200, "staff_b": 200, "reviewer": 200, "leader": 200, "admin": 200},
    ),
    # A notice is its recipient's alone: anyone else gets 404.
    Case(
        "notifications:open",
        {"anonymous": LOGIN, "staff_a": 302, "head_a": 404, "staff_b": 404, "reviewer": 404, "leader": 404, "admin": 404},
        kwargs=lambda w: {"pk": w.notice.pk},
        method="post",
        setup=_notice_for_staff_a,
    ),
    Case(
        "notifications:mark_all_read",
        {"anonymous": LOGIN, "staff_a": 302, "head_a": 302, "staff_b": 302, "reviewer": 302, "leader": 302, "admin": 302},
        method="post",
    ),
]
