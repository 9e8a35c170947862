from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.http import url_has_allowed_host_and_scheme

from assignments.roles import roles_for
from notifications.unread import unread_count


def portal(request):
    """Roles for the navigation and the count of unread notices; each query runs only if a template asks."""
    user = getattr(request, "user", None)

    def unread():
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {
        "roles": SimpleLazyObject(lambda: roles_for(user)) if user is not None else None,
        "unread_notices": SimpleLazyObject(unread),
        "DEMO_MODE": settings.DEMO_MODE,
        "language_next": _lazy_language_next(request),
    }


def language_next(request) -> str:
    """Where the language menu returns to: the page itself, opened again.

    A page shown in answer to a form (a refused submission, say) has an address that only takes forms; opening it
    again would fail, so the menu returns to the page the form was sent from."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


# Made once: lazy() builds a class, which is not a thing to do on every page.
_lazy_language_next = lazy(language_next, str)
