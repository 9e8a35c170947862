"""One log line per request: method, path, status, duration and who asked (`portal.requests` logger)."""

import logging
import time

from django.utils.functional import empty

logger = logging.getLogger("portal.requests")


def _who(request) -> str:
    user = getattr(request, "user", None)
    # Only a user the request already looked up: the log line must not cost a query of its own.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return user.get_username() if user.is_authenticated else "anonymous"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        logger.info(
            "%s %s %s %dms user=%s",
            request.method,
            request.get_full_path()[:300],
            response.status_code,
            (time.monotonic() - started) * 1000,
            _who(request),
        )
        return response
