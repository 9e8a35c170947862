"""Notices to users: a row in the portal and an e-mail, sent only once the transaction that caused them commits."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation

from notifications.models import Notification

logger = logging.getLogger(__name__)


def notify(
    users: Iterable, *, title: str, body: str = "", url: str = "", email: bool = True, at=None
) -> list[Notification]:
    """Create a notice for each user and e-mail those with an address.

    Title and body should already be in the language of the portal (Vietnamese); `url` is a path in the portal;
    `at` is when the event happened (default: now).
    """
    users = [u for u in {u.pk: u for u in users}.values() if u.is_active]
    when = {"created_at": at} if at is not None else {}
    notices = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title[:255], body=body, url=url, **when) for u in users]
    )
    if email:
        link = f"{settings.PORTAL_BASE_URL}{url}" if url else settings.PORTAL_BASE_URL
        messages = [
            (title, f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [u.email]) for u in users if u.email
        ]
        if messages:
            transaction.on_commit(lambda: _send(messages))
    return notices


def _send(messages) -> None:
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # an unreachable mail server must not undo a submission that already committed
        logger.exception("Could not send %d notice e-mails", len(messages))


def in_portal_language():
    """Notices are stored once for everybody, so they are written in the portal's default language."""
    return translation.override(settings.LANGUAGE_CODE)
