"""Who may do what, read from the shared cache: Django's ModelBackend with each user's permissions cached, and
the *access generation* that every cached answer about access carries in its key.

Every page asks at least one permission (the navigation shows what the user's roles open), which costs Django
two queries a request: the user's own permissions and those of their groups; and the agencies the user works
for (assignments.roles.roles_for) a third. They change only when an administrator changes a group, a user's
groups, somebody's permissions, a membership or an agency; each of those changes replaces the access
generation (receivers in portal/apps.py and assignments/apps.py), so the next request of every user reads
them afresh, on every server.

The user of each request (the row the session names) is cached too, under its own key, which is removed whenever
the row is saved or deleted (and again when that transaction commits): deactivating an account, changing its
password (which ends its other sessions) or its name counts at the next request. Whether the user may log in
at all (is_active) is still decided on that row at every request, and a superuser's "every permission" is never
shared with anybody (the superuser flag is part of the key).
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from portal import cache as generations

GENERATION_KEY = "auth:access:generation"
TIMEOUT = 8 * 60 * 60


def generation() -> str:
    return generations.current(GENERATION_KEY)


def access_changed(sender=None, using=None, **kwargs) -> None:
    """Signal receiver: a group, a user's groups, somebody's permissions, a membership or an agency changed. The
    generation is replaced at once and again when the transaction commits, so that nobody keeps what another
    request read between the two."""
    generations.changed(GENERATION_KEY, using)


# What this process has read under the current access generation's keys. An entry named with a generation is never
# written again (a change makes a new generation, hence new keys), so a process may keep it: a user's next page
# then reads the user's permissions and agencies from this process's memory, not from the shared cache.
_kept: dict[str, object] = {}
KEPT_ENTRIES = 4000


def cached_for_user(user, name: str, compute):
    """`compute()` for this user, kept in the cache until access changes (the access generation)."""
    key = f"auth:{name}:{generation()}:{user.pk}"
    found = _kept.get(key)
    if found is None:
        found = cache.get_or_set(key, compute, TIMEOUT)
        if len(_kept) >= KEPT_ENTRIES:
            _kept.clear()  # old generations' entries go with the rest; the shared cache still holds the current ones
        _kept[key] = found
    return found


def _user_key(user_id) -> str:
    return f"auth:user:{user_id}"


def forget_user(sender=None, instance=None, using=None, **kwargs) -> None:
    """Signal receiver: a user row was saved or deleted; the next request reads it from the database. Removed
    again once the transaction commits, in case another request cached the row as it was before."""
    generations.now_and_at_commit(functools.partial(cache.delete, _user_key(instance.pk)), using)


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose answers to "who is this session's user" and "which permissions does this user hold"
    come from the cache."""

    def get_user(self, user_id):
        user_model = get_user_model()

        def read():
            return user_model._default_manager.filter(pk=user_id).first()

        user = cache.get_or_set(_user_key(user_id), read, TIMEOUT)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _cached(self, user_obj) -> tuple[set[str], set[str]]:
        def read():
            return super(CachedPermissionsBackend, self).get_user_permissions(user_obj), super(
                CachedPermissionsBackend, self
            ).get_group_permissions(user_obj)

        return cached_for_user(user_obj, f"permissions:{int(user_obj.is_superuser)}", read)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            own, from_groups = self._cached(user_obj)
            # The attributes ModelBackend keeps for the rest of the request.
            user_obj._user_perm_cache, user_obj._group_perm_cache = own, from_groups
            user_obj._perm_cache = {*own, *from_groups}
        return user_obj._perm_cache
