"""Two application servers behind one address book: gunicorn on two ports sharing PostgreSQL, Redis and one storage
folder, and one task worker, each a process of its own on a database this test creates (and drops) itself.

Run by CI on PostgreSQL with Redis on 127.0.0.1:6379 (`.ci/run` starts it); skipped elsewhere.
"""

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.multiserver.http import Session, form_fields
from tests.multiserver.seed import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _skip_reason() -> str:
    if urlsplit(DATABASE_URL).scheme not in {"postgres", "postgresql", "pgsql"}:
        return "needs DATABASE_URL naming PostgreSQL: several servers cannot share an SQLite file"
    redis = urlsplit(REDIS_URL)
    if not _answers(redis.hostname or "127.0.0.1", redis.port or 6379):
        return f"needs Redis answering at {REDIS_URL}"
    return ""


pytestmark = [pytest.mark.multiserver, pytest.mark.skipif(bool(_skip_reason()), reason=_skip_reason() or "-")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_sql(sql: str) -> None:
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    conn = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


class Cluster:
    def __init__(self, tmp: Path):
        self.name = f"test_multiserver_{os.getpid()}"
        parts = urlsplit(DATABASE_URL)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": parts._replace(path=f"/{self.name}").geturl(),
            "REDIS_URL": REDIS_URL,
            "PRIVATE_MEDIA_ROOT": str(tmp / "shared-storage"),
            "DEBUG": "1",
            "SECRET_KEY": "multi-server-test-key-shared-by-every-server",
            "WEB_CONCURRENCY": "2",
        }
        self.env.pop("AWS_STORAGE_BUCKET_NAME", None)
        self.logs = tmp
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: list[int] = []

    def query(self, sql: str, params: list) -> list[tuple]:
        import psycopg2

        with psycopg2.connect(self.env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        conn.close()
        return rows

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def start(self, name: str, args: list[str], **env) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the life of the process)
        process = subprocess.Popen(args, cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def start_server(self, name: str) -> str:
        port = _free_port()
        self.start(name, [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], GUNICORN_BIND=f"127.0.0.1:{port}")
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _answers("127.0.0.1", port) and Session().get(f"{base}/healthz").status == 200:
                return base
            time.sleep(0.3)
        raise AssertionError(f"{name} did not start: {(self.logs / f'{name}.log').read_text()[-2000:]}")

    def start_worker(self) -> subprocess.Popen:
        return self.start(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        )

    def stop(self, name: str, sig=signal.SIGTERM) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("multiserver"))
    _admin_sql(f'DROP DATABASE IF EXISTS "{cluster.name}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{cluster.name}"')
    try:
        cluster.manage("migrate", "--noinput")
        subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from tests.multiserver.seed import main; main()"],
            cwd=ROOT,
            env=cluster.env,
            check=True,
            capture_output=True,
        )
        cluster.first = cluster.start_server("first")
        cluster.second = cluster.start_server("second")
        cluster.start_worker()
        yield cluster
    finally:
        for name in list(cluster.processes):
            cluster.stop(name)
        _admin_sql(f'DROP DATABASE IF EXISTS "{cluster.name}" WITH (FORCE)')


def logged_in(username: str, base: str) -> Session:
    session = Session()
    session.log_in(base, username, PASSWORD)
    return session


def report_pk(session: Session, base: str) -> int:
    html = session.get(f"{base}/reports/").text
    return int(re.search(r'href="/reports/(\d+)/"', html).group(1))


def filled_form(html: str, action: str, results: str) -> list[tuple[str, str]]:
    """Every task of the report form answered "completed" with the given results, as a user would fill it."""
    fields = [f for f in form_fields(html, action) if not re.fullmatch(r"t\d+-status", f[0])]
    for field in fields:
        if re.fullmatch(r"t\d+-results", field[0]):
            field[1] = results
    tasks = [f[0].removesuffix("-present") for f in fields if f[0].endswith("-present")]
    return [tuple(f) for f in fields] + [(f"{task}-status", "completed") for task in tasks]


def wait_for(predicate, *, seconds: float, every: float = 0.2, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def year_of(session: Session, base: str) -> int:
    return int(re.search(r'href="/outputs/(\d{4})/"', session.get(f"{base}/outputs/").text).group(1))


def states_csv(session: Session, base: str, year: int) -> dict[str, str]:
    reply = session.get(f"{base}/dashboard/csv/states/?year={year}")
    assert reply.status == 200, reply.status
    rows = list(csv.reader(io.StringIO(reply.body.decode("utf-8-sig"))))
    return {row[0]: row[1] for row in rows[1:] if len(row) > 1}


def test_a_report_saved_through_one_server_is_read_through_the_other(cluster):
    staff = logged_in("staff_a", cluster.first)
    pk = report_pk(staff, cluster.first)
    edit = staff.get(f"{cluster.first}/reports/{pk}/edit/")
    assert edit.status == 200
    saved = staff.post(
        f"{cluster.first}/reports/{pk}/edit/",
        filled_form(edit.text, f"/reports/{pk}/edit/", "Đã lắp 40 hệ thống điện mặt trời mái nhà."),
    )
    assert saved.status == 302, saved.text[:3000]
    # The same browser session, now sent to the second server: sessions live in the shared database.
    page = staff.get(f"{cluster.second}/reports/{pk}/")
    assert page.status == 200 and "Đã lắp 40 hệ thống điện mặt trời mái nhà." in page.text


def dashboard_figures(session: Session, base: str, year: int) -> dict[str, str]:
    """The number in each headline card of the dashboard page (cached in the shared Redis)."""
    reply = session.get(f"{base}/dashboard/?year={year}")
    assert reply.status == 200, reply.status
    return dict(re.findall(r'data-figure="(\w+)".*?figure-value[^>]*>([^<]+)<', reply.text, flags=re.DOTALL))


def test_the_figures_served_by_one_server_follow_a_submission_through_the_other(cluster):
    leader = logged_in("leader", cluster.second)
    year = year_of(leader, cluster.second)
    before = states_csv(leader, cluster.second, year)
    # The dashboard page is read twice on the second server: computed, then served from the shared cache.
    page_before = dashboard_figures(leader, cluster.second, year)
    assert dashboard_figures(leader, cluster.second, year) == page_before
    head = logged_in("head_a", cluster.first)
    pk = report_pk(head, cluster.first)
    edit = head.get(f"{cluster.first}/reports/{pk}/edit/")
    submitted = head.post(
        f"{cluster.first}/reports/{pk}/submit/",
        filled_form(edit.text, f"/reports/{pk}/edit/", "Báo cáo đã được lãnh đạo Sở duyệt."),
    )
    assert submitted.status == 302, submitted.text[:3000]
    after = states_csv(leader, cluster.second, year)
    assert after != before, (before, after)
    changed = {label: (before.get(label), value) for label, value in after.items() if before.get(label) != value}
    assert any(int(new or 0) > int(old or 0) for old, new in changed.values()), changed
    # The submission through the first server replaced the shared generation: the second server's cached
    # dashboard is not served any more, on either server.
    for server in (cluster.second, cluster.first):
        page_after = dashboard_figures(leader, server, year)
        assert int(page_after["submitted"]) == int(page_before["submitted"]) + 1, (page_before, page_after)


def test_a_pdf_asked_for_through_one_server_is_made_by_the_worker_and_downloaded_through_the_other(cluster):
    reviewer = logged_in("reviewer", cluster.second)
    year = year_of(reviewer, cluster.second)
    asked = reviewer.get(f"{cluster.second}/outputs/{year}/pdf/")
    assert asked.status == 302 and asked.headers["Location"].endswith(f"/outputs/{year}/#downloads")
    status_url = re.search(r'data-status-url="([^"]+)"', reviewer.get(f"{cluster.second}/outputs/{year}/").text)
    status_url = status_url.group(1)
    wait_for(
        lambda: '"ready": true' in reviewer.get(f"{cluster.first}{status_url}").text,
        seconds=180,
        every=0.5,
        what="the worker to build the PDF",
    )
    pdf = reviewer.get(f"{cluster.first}/outputs/{year}/pdf/")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf" and pdf.body.startswith(b"%PDF")


def test_a_build_cut_off_by_killing_the_worker_is_finished_by_the_next_worker(cluster):
    reviewer = logged_in("reviewer", cluster.first)
    year = year_of(reviewer, cluster.first)
    page = reviewer.get(f"{cluster.first}/outputs/{year}/")
    # New text for the consolidated report: the stored PDF no longer matches and a new build is needed.
    fields = [tuple(f) for f in form_fields(page.text, "") if f[0] != "assessment"]
    saved = reviewer.post(f"{cluster.first}/outputs/{year}/", [*fields, ("assessment", "Đánh giá sau khi sửa.")])
    assert saved.status == 302, (fields, re.findall(r'(?:invalid-feedback|alert)[^>]*>([^<]{0,300})', saved.text))

    # Hold the worker back until the build is claimed, then kill it in the middle of the layout.
    cluster.stop("worker")
    asked = reviewer.get(f"{cluster.second}/outputs/{year}/pdf/")
    assert asked.status == 302
    status_url = re.search(r'data-status-url="([^"]+)"', reviewer.get(f"{cluster.first}/outputs/{year}/").text)
    status_url = status_url.group(1)
    worker = cluster.start_worker()
    wait_for(
        lambda: '"state": "running"' in reviewer.get(f"{cluster.first}{status_url}").text,
        seconds=60,
        every=0.05,
        what="the worker to start the build",
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    cluster.processes.pop("worker")
    assert '"ready": true' not in reviewer.get(f"{cluster.first}{status_url}").text

    cluster.start_worker()
    wait_for(
        lambda: '"ready": true' in reviewer.get(f"{cluster.second}{status_url}").text,
        seconds=180,
        every=0.5,
        what="the restarted worker to finish the build",
    )
    pdf = reviewer.get(f"{cluster.first}/outputs/{year}/pdf/")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    job = int(status_url.rstrip("/").rsplit("/", 1)[1])
    [(state, attempts, task_id)] = cluster.query(
        "SELECT state, attempts, task_id FROM outputs_generatedoutput WHERE id = %s", [job]
    )
    assert (state, attempts) == ("done", 2), "built once more after the first build was cut off"

    def task_results():
        return dict(cluster.query("SELECT id::text, status FROM django_tasks_database_dbtaskresult", []))

    # The worker records the task's own result a moment after the task has stored the PDF.
    wait_for(
        lambda: task_results().get(task_id) != "RUNNING", seconds=30, every=0.2, what="the task's result"
    )
    tasks = task_results()
    assert tasks[task_id] == "SUCCESSFUL" and list(tasks.values()).count("FAILED") == 1, tasks
