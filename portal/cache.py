"""The dashboard is computed once per change of the data and then served from Django's cache.

Every cached piece carries the current *generation* in its key. Any change that can move a figure (a report
saved, submitted, returned, accepted or reopened, a year opened or closed, agencies or assignments changed)
replaces the generation, so the next visit computes afresh; old entries are never read again and expire.
With Redis (`REDIS_URL`) every application server shares the generation and the pieces, so a change made
through one server is seen on all of them at the next request.

The generation is replaced twice for a change made inside a transaction: at once, and again once the
transaction commits. A visit between the two may cache figures that do not yet include the change (it reads the
database as it was before the commit); the second replacement throws that entry away.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "dashboards:generation"
# Entries of an old generation are never read again; they only wait to expire.
PIECE_TIMEOUT = 24 * 60 * 60


def current(key: str) -> str:
    """The generation kept under `key`, started if there is none yet (whichever process starts it first wins:
    get_or_set adds, then reads what is there)."""
    return cache.get_or_set(key, lambda: uuid.uuid4().hex, None) or "none"


def renew(key: str) -> None:
    """A new generation under `key`: every entry named with the old one is never read again."""
    cache.set(key, uuid.uuid4().hex, None)


def generation() -> str:
    return current(GENERATION_KEY)


def bump() -> None:
    renew(GENERATION_KEY)


def data_changed(sender=None, using=None, **kwargs) -> None:
    """Signal receiver: the dashboard's figures may have changed."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        bump()
        return
    # Once per transaction (per savepoint), however many rows one save touches.
    current = set(connection.savepoint_ids)
    if any(func is bump and sids == current for sids, func, _robust in connection.run_on_commit):
        return
    bump()
    transaction.on_commit(bump, using=using)
