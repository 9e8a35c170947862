"""What operators rely on: /healthz for the load balancer, a log line per request, the cache the environment names."""

import logging
import socket

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.utils import OperationalError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import deploy


def test_healthz_answers_ok_without_a_login_when_every_part_is_up(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_the_database_when_it_is_down(client, monkeypatch, db):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "down: database" and response.json()["database"] == "down"


def test_healthz_names_the_cache_when_redis_does_not_answer(client, settings, db):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["status"] == "down: cache"


def test_healthz_names_the_storage_when_the_private_folder_cannot_be_made(client, settings, tmp_path, db):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PRIVATE_MEDIA_ROOT = blocker / "private"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json() == {
        "status": "down: storage",
        "database": "ok",
        "cache": "ok",
        "storage": "down",
    }


def test_each_request_is_logged_in_one_line_with_user_and_duration(world, client_for, caplog):
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        client_for(world.staff_a).get(reverse("home"))
        client_for(None).get(reverse("healthz"))
    home, health = [r.getMessage() for r in caplog.records if r.name == "portal.requests"]
    assert home.startswith("GET / 200 ") and home.endswith(f"ms user={world.staff_a.username}")
    assert health.startswith("GET /healthz 200 ") and health.endswith("ms user=anonymous")


def test_the_cache_is_redis_with_redis_url_files_shared_by_one_servers_processes_else_memory_in_development(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CACHE_DIR", raising=False)
    production = deploy.cache_settings(debug=False, base_dir=tmp_path)["default"]
    assert production["BACKEND"] == "portal.file_cache.SharedFileCache"
    assert production["LOCATION"] == str(tmp_path / "var" / "cache")
    monkeypatch.setenv("CACHE_DIR", "/srv/portal/cache")
    assert deploy.cache_settings(debug=False, base_dir=tmp_path)["default"]["LOCATION"] == "/srv/portal/cache"
    development = deploy.cache_settings(debug=True, base_dir=tmp_path)["default"]
    assert development["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/13")
    assert deploy.cache_settings(debug=False, base_dir=tmp_path) == {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"}
    }


def test_the_file_cache_is_shared_by_every_process_of_one_server(settings, tmp_path, monkeypatch):
    """gunicorn's workers, the task worker and the reminders each open the same folder: a logout or a new
    generation of figures written by one is what the others read."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CACHE_DIR", raising=False)
    location = deploy.cache_settings(debug=False, base_dir=tmp_path)["default"]
    settings.CACHES = {"default": location, "other": location}
    caches["default"].set("portal-shared", "from the first worker", 30)
    assert caches["other"].get("portal-shared") == "from the first worker"
    caches["other"].delete("portal-shared")
    assert caches["default"].get("portal-shared") is None


def test_sessions_are_written_to_the_database_and_read_from_the_cache(settings, world, client):
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client.force_login(world.staff_a)
    key = client.session.session_key
    assert Session.objects.filter(pk=key).exists()  # kept where it lasts
    client.get(reverse("home"))
    # A page costs no session query: the session, the user's permissions and agencies come from the cache.
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert "django_session" not in read and "auth_permission" not in read and "assignments_membership" not in read
    # A session the cache has dropped is read back from the database: the user stays logged in.
    cache.clear()
    assert client.get(reverse("home")).context["user"] == world.staff_a
    # Logging out removes it from both.
    client.post(reverse("logout"))
    assert not Session.objects.filter(pk=key).exists()
    assert client.get(reverse("home")).status_code == 302


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis answers on 127.0.0.1:6379")
def test_two_processes_configured_with_redis_share_what_one_of_them_caches(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"},
        "other": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"},
    }
    caches["default"].set("portal-shared", "from the first server", 30)
    assert caches["other"].get("portal-shared") == "from the first server"
    caches["default"].delete("portal-shared")


def test_no_code_of_the_portal_starts_a_thread():
    """Slow work is a task for the worker (outputs/tasks.py): a web process only answers requests."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = ["portal", "assignments", "audit", "notifications", "reports", "review", "outputs", "dashboards", "demo"]
    offenders = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        # The rush benchmark's load generator plays many browsers from its own process; no web process imports it.
        if path.parent != root / "outputs" / "benchmark" or path.name != "load.py"
        if any(word in path.read_text(encoding="utf-8") for word in ("import threading", "from threading", "_thread"))
    ]
    assert offenders == []
    web_code = [root / "outputs" / "benchmark" / name for name in ("bare_settings.py", "bare_urls.py", "http.py")]
    assert not any("benchmark.load" in path.read_text(encoding="utf-8") for path in web_code)
