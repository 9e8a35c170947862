"""Settings for the test-suite: the portal's own, with what only tests need changed."""

import os

# The portal refuses to start without a key when DEBUG is off, as the suite runs; subprocesses inherit it.
os.environ.setdefault("SECRET_KEY", "tests-only-key-" + "q7Xv2" * 10)

from portal.settings import *  # noqa: E402,F401,F403
from portal.settings import MIDDLEWARE, STORAGES  # noqa: E402

# The test client speaks plain HTTP; production redirects to HTTPS at the proxy.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Fast hashing: the suite logs users in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic before tests.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_MODE = False
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
# Tasks go to the database queue as in production; tests run them with tests.outputs.conftest.run_queued_tasks
# or a real `db_worker` process (the worker_process fixture of tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each test starts from an empty cache of its own, even where REDIS_URL is set for the multi-server test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Each test's requests open and close their own connections, so a test database is never dropped while in use.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# SQLite runs the suite in a file rather than in memory: the live server of the browser tests then gives each of
# its request threads a connection of its own instead of sharing the in-memory one across threads.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"portal-test-{os.getpid()}.sqlite3")
    }
