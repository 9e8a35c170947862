"""`/healthz` for the load balancer: can this server reach the database, the cache and the private storage?

No login and no session: the answer is 200 "ok" when every part answers, otherwise 503 naming the parts that do
not, so the balancer stops sending users to a server that cannot serve them and the operator sees why.
"""

import logging
import os
import uuid
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.storage import private_storage

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    token = uuid.uuid4().hex
    cache.set("healthz", token, 30)
    if cache.get("healthz") != token:
        raise RuntimeError("the cache did not keep a value")


def _storage() -> None:
    if isinstance(private_storage, FileSystemStorage):
        folder = Path(private_storage.location)
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(f"{folder} cannot be written")
    else:  # an object store: one request that needs the bucket and the credentials
        private_storage.exists("healthz-probe")


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
@require_GET
def healthz(request):
    parts, down = {}, []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 (any failure means the part is down; the reason goes to the log)
            logger.warning("Health check: %s is down (%s: %s)", name, type(exc).__name__, exc)
            parts[name] = "down"
            down.append(name)
        else:
            parts[name] = "ok"
    status = "ok" if not down else "down: " + ", ".join(down)
    return JsonResponse({"status": status, **parts}, status=503 if down else 200)
