"""Notices to users: a row in the portal and an e-mail, sent only once the transaction that caused them commits."""

import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.models import Notification
from notifications.unread import forget_unread

logger = logging.getLogger(__name__)


def notify(
    users: Iterable,
    *,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    letter: str = "",
    at=None,
) -> list[Notification]:
    """Create a notice for each user and e-mail those with an address.

    Title and body should already be in the language of the portal (Vietnamese); `url` is a path in the portal;
    `letter` is the e-mail's text (`letter_text`), else the body and the link; `at` is when the event happened
    (default: now).
    """
    users = [u for u in {u.pk: u for u in users}.values() if u.is_active]
    when = {"created_at": at} if at is not None else {}
    notices = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title[:255], body=body, url=url, **when) for u in users]
    )
    forget_unread(u.pk for u in users)  # bulk_create sends no post_save
    if email:
        link = f"{settings.PORTAL_BASE_URL}{url}" if url else settings.PORTAL_BASE_URL
        text = letter or f"{body}\n\n{link}".strip()
        messages = [(title, text, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in users if u.email]
        if messages:
            transaction.on_commit(lambda: _send(messages))
    return notices


def _send(messages) -> None:
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # an unreachable mail server must not undo a submission that already committed
        logger.exception("Could not send %d notice e-mails", len(messages))


def letter_text(
    *,
    addressee: str,
    happened: str,
    url: str,
    sender: str,
    details_label: str = "",
    details: str = "",
    next_step: str = "",
) -> str:
    """A notice e-mail as a short official letter, like the reminders: to whom, what happened, the link, from whom.

    Written in the portal's language (Vietnamese); `url` is a path in the portal."""
    with in_portal_language():
        text = render_to_string(
            "notifications/email/letter.txt",
            {
                "addressee": addressee,
                "happened": happened,
                "details_label": details_label,
                "details": details.strip(),
                "next_step": next_step,
                "link": f"{settings.PORTAL_BASE_URL}{url}",
                "sender": sender,
            },
        )
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def in_portal_language():
    """Notices are stored once for everybody, so they are written in the portal's default language."""
    return translation.override(settings.LANGUAGE_CODE)


def notices_mark_all_read(user) -> int:
    """Mark every unread notice of the user as read; how many were."""
    marked = user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    forget_unread([user.pk])  # update() sends no post_save
    return marked
