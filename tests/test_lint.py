"""The code passes ruff's checks (the rules are in pyproject.toml: pyflakes, import order, bugbear, modern syntax)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    command = str(ruff) if ruff.exists() else shutil.which("ruff")
    assert command, "ruff is installed with the test dependencies (pip install -e '.[test]')"
    done = subprocess.run([command, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
