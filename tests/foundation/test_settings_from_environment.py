"""Settings come from the environment; a malformed value stops start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_database, env_int, env_int_list, env_list

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["maybe", "2", "oui"])
def test_debug_must_be_a_boolean(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("on", True), ("0", False), ("no", False), ("", False)])
def test_debug_accepts_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("DEBUG", value)
    assert env_bool("DEBUG", False) is expected


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/portal", "postgres//missing-colon", "not a url", "postgres://postgres@127.0.0.1:5432"]
)
def test_a_malformed_database_url_names_the_variable(monkeypatch, url, tmp_path):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")


def test_without_database_url_the_portal_uses_an_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
    assert config == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "db.sqlite3"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


def test_an_sqlite_url_also_takes_immediate_transactions_and_a_busy_timeout(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
    config = env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}


def test_a_postgres_url_selects_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://portal:secret@db.example:5433/green")
    config = env_database("DATABASE_URL", sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "green", "portal", "secret", "db.example", 5433
    )


def test_numbers_and_lists(monkeypatch):
    monkeypatch.setenv("EVIDENCE_MAX_MB", "ten")
    with pytest.raises(ImproperlyConfigured, match="EVIDENCE_MAX_MB"):
        env_int("EVIDENCE_MAX_MB", 10)
    monkeypatch.setenv("REMINDER_DAYS_BEFORE", "30, 7,1")
    assert env_int_list("REMINDER_DAYS_BEFORE", []) == [30, 7, 1]
    monkeypatch.setenv("REMINDER_DAYS_BEFORE", "30,a week")
    with pytest.raises(ImproperlyConfigured, match="REMINDER_DAYS_BEFORE"):
        env_int_list("REMINDER_DAYS_BEFORE", [])
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


@pytest.mark.parametrize(
    ("env", "name"),
    [({"DEBUG": "maybe"}, "DEBUG"), ({"DATABASE_URL": "mysql://root@localhost/portal"}, "DATABASE_URL")],
)
def test_start_up_stops_on_a_malformed_value(env, name):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_deploy_check_is_clean_with_debug_off_and_a_complete_environment(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="b7c1f0e2-portal-deploy-check-" + "x9Lq2" * 10,
        ALLOWED_HOSTS="baocao.hungyen.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_portal_speaks_vietnamese_in_hung_yen_time(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.USE_TZ


@pytest.mark.parametrize(
    "command",
    [
        ["-c", "import portal.wsgi"],  # what gunicorn loads
        ["-c", "import portal.asgi"],
        ["manage.py", "runserver", "127.0.0.1:0", "--noreload"],
    ],
    ids=["wsgi", "asgi", "runserver"],
)
def test_start_up_with_debug_off_and_no_secret_key_stops_naming_secret_key(command):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr


def test_the_management_commands_that_sign_nothing_run_without_a_secret_key():
    """A fresh checkout's `manage.py check` and `makemigrations --check` need no environment; nothing is signed."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    for command in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr


def example_environment() -> dict[str, str]:
    """The variables of .env.example, as an operator copying it would set them."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_deploy_check_is_clean_with_the_example_production_environment(tmp_path):
    env = example_environment()
    assert env["DEBUG"] == "0"
    # The example's database and folders are those of a production server; the check needs neither to exist.
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", STATIC_ROOT=str(tmp_path / "static"),
               PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
               SECRET_KEY="b7c1f0e2-portal-deploy-check-" + "x9Lq2" * 10)
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_variable_of_the_example_and_the_readme_is_read_by_the_settings():
    import re

    source = "".join((ROOT / "portal" / name).read_text(encoding="utf-8") for name in ("settings.py", "deploy.py", "env.py"))
    source += (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = [line for line in readme.splitlines() if line.startswith("| `")]
    documented = {name for line in table for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])}
    documented |= set(example_environment())
    unread = sorted(name for name in documented if f'"{name}"' not in source)
    assert not unread, f"documented but never read: {unread}"
