"""Request handling of the whole portal: the language of its pages, and a login that lasts from the last page
opened without writing the session on every request."""

import time

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

REFRESHED_AT = "portal_session_refreshed_at"


def session_refresh_interval() -> int:
    # A tenth of the session's age, at most five minutes: the login never expires more than that much
    # earlier than SESSION_COOKIE_AGE after the last page opened.
    return min(300, max(1, settings.SESSION_COOKIE_AGE // 10))


class SlidingSessionMiddleware:
    """Pushes a signed-in user's session expiry forward when the last push is older than the refresh interval.

    Somebody writing a long report is not logged out while working, and a page view does not cost a session
    write each time (SESSION_SAVE_EVERY_REQUEST would)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and "_auth_user_id" in session:
            now = int(time.time())
            last = session.get(REFRESHED_AT)
            if not isinstance(last, int) or now - last >= session_refresh_interval():
                session[REFRESHED_AT] = now  # marks the session modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="portal-session-refreshed-at-login")
def stamp_session_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_AT] = int(time.time())


class PortalLocaleMiddleware(LocaleMiddleware):
    """Vietnamese for everybody unless they chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many offices run an English
    Windows and Chrome: civil servants would land on an English portal they did not ask for. The choice made
    with the switch (the language cookie) is the only thing that changes the language."""

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            code = translation.get_supported_language_variant(code)
        except LookupError:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Cookie",))
        return response
