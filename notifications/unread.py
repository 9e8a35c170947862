"""The count of a user's unread notices, shown on every page, kept in the shared cache.

It changes only when a notice is created, read or removed; each of those forgets the recipient's count (at once,
and again when the transaction commits: a page opened in between may have counted without the change)."""

import functools

from django.core.cache import cache

from portal.cache import now_and_at_commit

TIMEOUT = 8 * 60 * 60


def _key(user_id: int) -> str:
    return f"notices:unread:{user_id}"


def unread_count(user) -> int:
    return cache.get_or_set(_key(user.pk), lambda: user.notifications.filter(read_at__isnull=True).count(), TIMEOUT)


def forget_unread(user_ids) -> None:
    keys = [_key(pk) for pk in set(user_ids)]
    if not keys:
        return
    now_and_at_commit(functools.partial(cache.delete_many, keys))


def notice_changed(sender, instance, **kwargs) -> None:
    """Signal receiver: a notice was saved or deleted one by one (reading it, the admin)."""
    forget_unread([instance.recipient_id])
