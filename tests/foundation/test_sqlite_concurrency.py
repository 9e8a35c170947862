"""The embedded SQLite default takes the write lock when a transaction begins and waits for it: simultaneous
saves from several request threads queue instead of answering "database is locked"."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    import django
    from django.conf import settings
    from portal.env import env_database

    path = Path(sys.argv[1])
    config = env_database("NO_SUCH_DATABASE_URL_VARIABLE", sqlite_path=path)
    if sys.argv[2] == "deferred":
        config["OPTIONS"] = {}
    settings.configure(DATABASES={"default": config}, USE_TZ=True)
    django.setup()
    from django.db import connection, connections, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
    connection.close()

    errors, THREADS, SAVES = [], 8, 5
    start = threading.Barrier(THREADS)

    def save():
        start.wait()
        try:
            for _ in range(SAVES):
                # A save as the services do it: read, think, write, in one transaction.
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT value FROM counter WHERE id = 1")
                        value = cursor.fetchone()[0]
                        time.sleep(0.005)
                        cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        print(len(errors), cursor.fetchone()[0], errors[:1])
    """
)


def _run(tmp_path, mode):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / f"{mode}.sqlite3"), mode],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    errors, value, first = result.stdout.split(" ", 2)
    return int(errors), int(value), first


def test_simultaneous_saves_on_sqlite_never_fail_with_database_is_locked(tmp_path):
    errors, value, first = _run(tmp_path, "immediate")
    assert errors == 0, first
    assert value == 8 * 5  # every save counted: none lost, none refused


def test_without_immediate_transactions_the_same_saves_fail(tmp_path):
    # The situation the setting prevents: readers upgrading to writers dead-lock and SQLite refuses at once.
    errors, value, first = _run(tmp_path, "deferred")
    assert errors > 0 and "locked" in first
