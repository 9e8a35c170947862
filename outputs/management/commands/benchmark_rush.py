"""The deadline rush: N agency heads log in, open the report form, save and submit within a minute, against
gunicorn with the worker count gunicorn.conf.py chooses (the README's recommendation) on PostgreSQL.

    python manage.py benchmark_rush [--heads 150] [--seconds 60]

It needs PostgreSQL (DATABASE_URL): it makes a database of its own next to the configured one (and a cache
folder of its own), builds the province in it through the services, serves it with gunicorn, and drops both at
the end. It then checks that
every submission is in the database with its version, its audit entry and the reviewers' notice, and measures
requests per second of the dashboard, the board and the form against a bare view served the same way.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from outputs.benchmark import load

PASSWORD = "Mật-khẩu-thử-2099"
ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command(BaseCommand):
    help = "Serve a province with gunicorn and let every head log in, save and submit at once."

    def add_arguments(self, parser):
        parser.add_argument("--heads", type=int, default=150)
        parser.add_argument("--seconds", type=float, default=60, help="Heads start spread over this time.")
        parser.add_argument("--throughput-seconds", type=float, default=10)

    def handle(self, *args, heads, seconds, throughput_seconds, **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            # `make benchmark` on the SQLite default still measures the pages and documents.
            self.stdout.write(self.style.WARNING("The rush runs on PostgreSQL only: set DATABASE_URL=postgres://…"))
            return
        name = f"benchmark_rush_{os.getpid()}"
        url = f"postgres://{db.get('USER') or 'postgres'}"
        if db.get("PASSWORD"):
            url += ":" + urllib.parse.quote(db["PASSWORD"])
        url += f"@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-key-" + "k3Yp9" * 10,
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DEMO_MODE": "0",
            "AXES_FAILURE_LIMIT": "1000",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # A cache of its own: the benchmark's figures must not reach a portal served from this folder.
            "CACHE_DIR": tempfile.mkdtemp(prefix="benchmark-rush-cache-"),
        }
        env.pop("WEB_CONCURRENCY", None)
        env.pop("REDIS_URL", None)
        self._admin(db, f'CREATE DATABASE "{name}"')
        server = bare = None
        try:
            self._manage(env, "migrate", "--no-input", "-v0")
            self._manage(env, "collectstatic", "--no-input", "-v0")
            started = time.perf_counter()
            self._manage(env, "benchmark_rush_data", str(heads), PASSWORD)
            self.stdout.write(f"{heads} agencies and their heads prepared in {time.perf_counter() - started:.0f} s")
            server, base = self._serve(env)
            bare, bare_base = self._serve(env, DJANGO_SETTINGS_MODULE="outputs.benchmark.bare_settings")
            self._wait(base)
            self._wait(bare_base, "/benchmark/bare/")
            workers = int(re.search(r"(\d+)", subprocess.run(
                [sys.executable, "-c", "import runpy; print(runpy.run_path('gunicorn.conf.py')['workers'])"],
                cwd=ROOT, env=env, capture_output=True, text=True).stdout).group(1))
            rush = load.rush(base, heads, seconds, PASSWORD)
            persisted = self._check(env, heads)
            throughput = load.throughput(base, bare_base, throughput_seconds, PASSWORD)
        finally:
            for process in (server, bare):
                if process is not None:
                    process.terminate()
                    process.wait(30)
            self._admin(db, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(env["CACHE_DIR"], ignore_errors=True)
        self._print(heads, workers, rush, persisted, throughput)

    # --- set-up -------------------------------------------------------------------------------------------------

    def _admin(self, db, sql):
        import psycopg2

        conn = psycopg2.connect(
            host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None, dbname="postgres",
        )
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
        conn.close()

    def _manage(self, env, *args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode:
            raise CommandError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def _wait(self, base, path="/healthz"):
        from outputs.benchmark.http import Session

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if Session().get(f"{base}{path}").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError(f"gunicorn did not answer at {base}")

    def _serve(self, env, **extra) -> tuple[subprocess.Popen, str]:
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", **extra},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return server, f"http://127.0.0.1:{port}"

    # --- the rush -----------------------------------------------------------------------------------------------

    def _check(self, env, heads):
        out = self._manage(env, "benchmark_rush_data", str(heads), PASSWORD, "--check")
        return out.strip()

    def _print(self, heads, workers, rush, persisted, throughput):
        w = self.stdout.write
        lat = sorted(rush["latencies"])
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else 0  # noqa: E731
        w("")
        w(f"| Rush: {heads} heads, gunicorn {workers} workers | |")
        w("|---|---|")
        w(f"| Requests | {len(lat)} |")
        w(f"| Errors | {len(rush['errors'])} |")
        w(f"| Request time median / p95 / max | {statistics.median(lat) * 1000 if lat else 0:.0f} ms / "
          f"{p(0.95) * 1000:.0f} ms / {lat[-1] * 1000 if lat else 0:.0f} ms |")
        w(f"| Last head finished after | {max(rush['finished'], default=0):.0f} s |")
        w(f"| Persisted | {persisted} |")
        for error in rush["errors"][:5]:
            w(f"  {error}")
        w("")
        w("| Throughput (8 clients; median of 3 rounds, each page after the bare view) | req/s | of bare view | errors |")
        w("|---|---:|---:|---:|")
        for label, (rate, share, errors) in throughput.items():
            w(f"| {label} | {rate:,.0f} | {100 * share:.0f}% | {errors} |")
        w("")
