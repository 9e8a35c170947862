"""Protections around every request: pages of signed-in users never cached, a login that ends after a working
day whatever the activity, every login attempt logged, and a lockout page that says when to try again."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger("portal.auth")
LOGGED_IN_AT = "portal_logged_in_at"


def client_ip(request) -> str:
    """The visitor's address: behind the HTTPS proxy the last X-Forwarded-For entry, the one the proxy added;
    the first entries are whatever the client chose to send."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


@receiver(user_logged_in, dispatch_uid="portal-login-logged")
def log_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = int(time.time())
    logger.info("login succeeded user=%s ip=%s", user.get_username(), client_ip(request) if request else "-")


@receiver(user_login_failed, dispatch_uid="portal-login-failure-logged")
def log_login_failure(sender, credentials, request=None, **kwargs):
    logger.warning(
        "login failed user=%s ip=%s path=%s",
        credentials.get("username", ""),
        client_ip(request) if request else "-",
        getattr(request, "path", "-"),
    )


def lockout_response(request, original_response=None, credentials=None):
    """Too many wrong passwords: say until when logins from this account or address are refused."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    until = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    logger.warning(
        "login locked out user=%s ip=%s", (credentials or {}).get("username", ""), client_ip(request)
    )
    return render(
        request, "registration/locked_out.html", {"until": until, "minutes": minutes}, status=429
    )


class PrivatePagesMiddleware:
    """Pages and files of a signed-in user are kept by no cache, the browser's back/forward included, so nothing
    of a report is left on a shared office computer or a proxy after logging out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class AbsoluteSessionMiddleware:
    """A login ends SESSION_ABSOLUTE_AGE after it began, however active the user: the sliding expiry alone would
    keep a stolen session alive for as long as it is used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGGED_IN_AT)
            now = int(time.time())
            if not isinstance(started, int):
                request.session[LOGGED_IN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.info(
                    request,
                    _("You have been logged out after %(hours)s hours; log in again to continue.")
                    % {"hours": settings.SESSION_ABSOLUTE_AGE // 3600},
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Camera, microphone, location and the like are switched off for every page: the portal uses none of them,
    so a script that slipped in could not either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
