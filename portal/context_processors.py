from django.conf import settings
from django.utils.functional import SimpleLazyObject

from assignments.roles import roles_for


def portal(request):
    """Roles for the navigation and the count of unread notices; each query runs only if a template asks."""
    user = getattr(request, "user", None)

    def unread():
        if user is None or not user.is_authenticated:
            return 0
        return user.notifications.filter(read_at__isnull=True).count()

    return {
        "roles": SimpleLazyObject(lambda: roles_for(user)) if user is not None else None,
        "unread_notices": SimpleLazyObject(unread),
        "DEMO_MODE": settings.DEMO_MODE,
    }
