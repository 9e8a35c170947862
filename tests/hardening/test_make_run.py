"""`make run` serves the demo as production would look: no debug pages, the portal's own error pages in
Vietnamese, static files through WhiteNoise, over plain HTTP on this machine."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.template.loader import render_to_string

ROOT = Path(__file__).resolve().parents[2]


def _run_env() -> str:
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "run-env"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(errors="replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers


@pytest.fixture
def served(tmp_path):
    """The portal started with the environment of `make run` (and a key of the test's own)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL"}}
    env.update(
        SECRET_KEY="run-target-test-" + "k3" * 25,
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    prefix = f"{_run_env()} {sys.executable} manage.py"
    port = _free_port()
    subprocess.run(["bash", "-c", f"{prefix} collectstatic --noinput --verbosity 0"], cwd=ROOT, env=env, check=True)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        ["bash", "-c", f"exec env {prefix} runserver --noreload 127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_make_run_serves_without_debug_pages_with_own_404_and_whitenoise_static(served):
    status, html, _ = _get(f"{served}/no-such-page/")
    assert status == 404
    assert "Không tìm thấy trang" in html and "URLconf" not in html and "Traceback" not in html
    status, css, _ = _get(f"{served}/static/css/portal.css")
    assert status == 200 and ".prewrap" in css
    status, html, _ = _get(f"{served}/accounts/login/")  # plain HTTP, no redirect to HTTPS
    assert status == 200 and "Đăng nhập" in html


def test_the_server_error_page_is_the_portals_own_in_vietnamese():
    html = render_to_string("500.html")
    assert "Lỗi máy chủ" in html and "nội dung đã nhập được giữ" in html
