"""Every string a user sees has its Vietnamese translation, and the compiled catalogues match the sources."""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", "staticfiles", "var", ".git"}


def po_files(root: Path = ROOT) -> list[Path]:
    return sorted(
        p for p in root.glob("**/locale/vi/LC_MESSAGES/django.po") if not SKIP_DIRS & set(p.relative_to(root).parts)
    )


def parse_po(path: Path) -> list[dict]:
    """A minimal reader of gettext .po files: entries with msgctxt, msgid, msgid_plural, msgstr(s), flags."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
        else:
            name, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if name.startswith("msgstr["):
                key = ("msgstr", int(name[7:-1]))
                entry["msgstr"][key[1]] = value
            elif name == "msgstr":
                key = ("msgstr", 0)
                entry["msgstr"][0] = value
            else:
                key = name
                entry[name] = value
    finish()
    return entries


def test_there_are_catalogues_for_the_project_and_every_app():
    names = {p.relative_to(ROOT).parts[0] for p in po_files()}
    assert {"locale", "assignments", "audit", "notifications", "reports", "review", "outputs", "dashboards"} <= names


@pytest.mark.parametrize("po", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    problems = []
    for e in parse_po(po):
        if e["msgid"] == "":
            continue
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {e['msgid']!r}")
        if not all(v.strip() for v in e["msgstr"].values()) or not e["msgstr"]:
            problems.append(f"untranslated: {e['msgid']!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    expected = {}
    for e in parse_po(po):
        if e["msgid"] == "" or "fuzzy" in e["flags"]:
            continue
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for n, text in e["msgstr"].items():
                expected[(msgid, n)] = text
        else:
            expected[msgid] = e["msgstr"][0]
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected, f"{mo} is older than {po}: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed (apt-get install gettext)")
def test_no_string_in_the_code_is_missing_from_the_catalogues(tmp_path):
    """Run makemessages on a copy of the sources: it must find nothing the catalogues do not already have."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "static", "staticfiles", "var", "node_modules", "*.sqlite3", "docs"),
    )
    env = {**os.environ, "PYTHON_BIN": sys.executable, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(["bash", "scripts/makemessages"], cwd=copy, env=env, check=True, capture_output=True, timeout=300)
    missing, dropped = [], []
    for po in po_files(copy):
        original = ROOT / po.relative_to(copy)
        known = {e["msgid"] for e in parse_po(original)} if original.exists() else set()
        found = {e["msgid"] for e in parse_po(po)}
        missing += [f"{po.relative_to(copy)}: {e['msgid']!r}" for e in parse_po(po) if e["msgid"] and e["msgid"] not in known]
        dropped += [f"{po.relative_to(copy)}: {msgid!r}" for msgid in sorted(known - found) if msgid]
    assert not missing, "New strings without translation (run `make messages`):\n" + "\n".join(missing)
    # A string makemessages cannot find (a `_()` inside a Jinja2 macro call, say) would lose its translation at the
    # next `make messages`: write it where makemessages reads it (`{{ _("…") }}` or a one-line `{% set %}`).
    assert not dropped, "Strings `make messages` would drop from the catalogues:\n" + "\n".join(dropped)
