"""The collected static files' addresses: named by their hash, remembered by the process, a missing file refused."""

import json

import pytest

from portal.static_storage import StaticStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"version": "1.1", "hash": "x", "paths": {"css/portal.css": "css/portal.0a1b2c3d.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=tmp_path, base_url="/static/")


def test_a_file_is_served_under_its_hashed_name_and_the_address_is_remembered(storage):
    assert storage.url("css/portal.css") == "/static/css/portal.0a1b2c3d.css"
    storage.hashed_files.clear()  # the manifest is no longer consulted for an address already given
    assert storage.url("css/portal.css") == "/static/css/portal.0a1b2c3d.css"


def test_a_file_missing_from_the_manifest_is_refused_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")


def test_with_debug_on_the_plain_name_is_served(storage, settings):
    assert storage.url("css/portal.css") == "/static/css/portal.0a1b2c3d.css"
    settings.DEBUG = True
    assert storage.url("css/portal.css") == "/static/css/portal.css"
