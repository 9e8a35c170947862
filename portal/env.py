"""Reading settings from the environment.

Every helper raises ImproperlyConfigured naming the variable when its value cannot be understood, so that a
typo in a deployment stops start-up instead of silently running with a default.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a boolean; use one of: {', '.join(sorted(_TRUE | _FALSE))}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_list(name: str, default: list[int]) -> list[int]:
    items = env_list(name, [str(d) for d in default])
    try:
        return [int(item) for item in items]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={os.environ.get(name)!r} must be whole numbers separated by commas."
        ) from None


# SQLite for one office: every transaction takes the write lock when it begins (BEGIN IMMEDIATE), so two saves
# at once wait their turn instead of one failing half-way with "database is locked"; a writer waits up to
# 20 seconds for the lock before giving up.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}


def env_database(name: str, *, sqlite_path: Path) -> dict:
    """The default database: SQLite in the project folder, or what the URL in `name` says.

    Only SQLite and PostgreSQL are supported: those are the two databases the test-suite runs on.
    """
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if raw == "":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_path), "OPTIONS": dict(SQLITE_OPTIONS)}
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name} must look like postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH; got {raw!r}."
        )
    # PostgreSQL connections are kept open a minute (and checked before reuse) rather than opened for every
    # request: a new connection costs a few milliseconds, more than most of the portal's pages take to build.
    postgres = scheme != "sqlite"
    try:
        config = dj_database_url.parse(
            raw,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if postgres else 0, minimum=0),
            conn_health_checks=postgres,
        )
    except Exception as exc:  # the library raises several kinds for a malformed URL
        raise ImproperlyConfigured(f"{name} could not be read ({exc}): {raw!r}.") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database (the part after the last '/'): {raw!r}.")
    return config
