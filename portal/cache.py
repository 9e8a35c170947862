"""The dashboard is computed once per change of the data and then served from Django's cache.

Every cached piece carries the current *generation* in its key. Any change that can move a figure (a report
saved, submitted, returned, accepted or reopened, a year opened or closed, agencies or assignments changed)
replaces the generation, so the next visit computes afresh; old entries are never read again and expire.
With Redis (`REDIS_URL`) every application server shares the generation and the pieces, so a change made
through one server is seen on all of them at the next request.

The same helpers keep the other generations: who may do what (portal.auth) and the directive's tasks,
indicators and targets (assignments.catalogue), each under its own key.

A request reads each generation from the shared cache once (GenerationsMiddleware): the pages ask for the
access and catalogue generations several times each, and with Redis every read is a round trip. What the request
itself replaces it sees at once.

The generation is replaced twice for a change made inside a transaction: at once, and again once the
transaction commits. A visit between the two may cache figures that do not yet include the change (it reads the
database as it was before the commit); the second replacement throws that entry away.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "dashboards:generation"
# Entries of an old generation are never read again; they only wait to expire.
PIECE_TIMEOUT = 24 * 60 * 60


# The generations read during the request being served (each thread or task has its own); None outside a request.
_seen: ContextVar[dict[str, str] | None] = ContextVar("generations_seen", default=None)


def current(key: str) -> str:
    """The generation kept under `key`, started if there is none yet (whichever process starts it first wins:
    get_or_set adds, then reads what is there)."""
    seen = _seen.get()
    if seen is not None and key in seen:
        return seen[key]
    found = cache.get_or_set(key, lambda: uuid.uuid4().hex, None) or "none"
    if seen is not None:
        seen[key] = found
    return found


def renew(key: str) -> None:
    """A new generation under `key`: every entry named with the old one is never read again."""
    new = uuid.uuid4().hex
    cache.set(key, new, None)
    seen = _seen.get()
    if seen is not None:
        seen[key] = new


class GenerationsMiddleware:
    """Each generation is read once per request: a request works with the data as one generation saw it, and
    its own changes replace what it read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _seen.set({})
        try:
            return self.get_response(request)
        finally:
            _seen.reset(token)


def generation() -> str:
    return current(GENERATION_KEY)


def bump() -> None:
    renew(GENERATION_KEY)


# One function per key, so that a transaction queues the replacement of a generation once.
_renewers: dict[str, Callable[[], None]] = {GENERATION_KEY: bump}


def renewer(key: str) -> Callable[[], None]:
    """The function that replaces the generation under `key`."""
    if key not in _renewers:
        _renewers[key] = functools.partial(renew, key)
    return _renewers[key]


def _queued(connection, action) -> bool:
    """Whether this transaction (this savepoint) already runs `action` when it commits."""
    current_ids = set(connection.savepoint_ids)
    return any(func is action and sids == current_ids for sids, func, _robust in connection.run_on_commit)


def now_and_at_commit(action: Callable[[], None], using=None) -> None:
    """Forget something cached: at once and, inside a transaction, again once it commits (once per transaction
    for the same function). A request that read the database between the change and its commit may have cached
    what it read; the second run throws that away."""
    action()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not _queued(connection, action):
        transaction.on_commit(action, using=using)


def changed(key: str, using=None) -> None:
    """Rows the generation under `key` depends on changed: replace it, now and at the commit."""
    now_and_at_commit(renewer(key), using)


def data_changed(sender=None, using=None, **kwargs) -> None:
    """Signal receiver: the dashboard's figures may have changed. Once per transaction (per savepoint), however
    many rows one save touches: the replacement at the commit throws away whatever was read in between."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and _queued(connection, bump):
        return
    changed(GENERATION_KEY, using)
