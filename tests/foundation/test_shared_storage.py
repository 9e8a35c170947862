"""Evidence and documents through the "private" storage: a local folder by default, an S3 bucket when configured.

Either way a file reaches only a user the portal has checked: streamed from the folder, or a redirect to an address
of the bucket signed for a minute. The S3 path is tested without a network: boto3 signs addresses locally.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from storages.backends.s3 import S3Storage

from portal import deploy
from portal.storage import PrivateStorage, private_storage
from reports.models import Evidence
from tests.reports.conftest import pdf_bytes, upload
from tests.reports.test_drafting import answer, save

S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "hungyen-portal",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_ACCESS_KEY_ID": "portal",
    "AWS_SECRET_ACCESS_KEY": "portal-secret",
    "AWS_S3_REGION_NAME": "ap-southeast-1",
}


@pytest.fixture
def s3_settings(monkeypatch):
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    return deploy.private_storage_settings()


@pytest.fixture
def evidence(world):
    a31 = answer(world.report_a, "3.1")
    save(world.report_a, world.staff_a, uploads=[(a31.pk, upload("Biên bản.pdf", pdf_bytes()))])
    return Evidence.objects.get(task_report=a31)


def test_without_a_bucket_files_stay_in_the_private_folder(monkeypatch, settings):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    assert deploy.private_storage_settings() == {"BACKEND": "portal.storage.PrivateStorage"}
    assert isinstance(storages["private"], PrivateStorage)
    assert private_storage.path("evidence/x") == str(settings.PRIVATE_MEDIA_ROOT / "evidence" / "x")


def test_a_named_bucket_selects_the_s3_storage_with_short_signed_addresses(s3_settings):
    assert s3_settings["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = S3Storage(**s3_settings["OPTIONS"])
    assert (storage.bucket_name, storage.default_acl, storage.querystring_auth) == ("hungyen-portal", "private", True)
    url = urlsplit(storage.url("evidence/2026/abc"))
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc, url.path) == ("http", "127.0.0.1:9000", "/hungyen-portal/private/evidence/2026/abc")
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Credential"][0].startswith("portal/") and query["X-Amz-Signature"][0]


def test_the_evidence_is_streamed_from_the_folder_after_the_access_check(world, evidence, client_for):
    url = reverse("reports:evidence_download", kwargs={"pk": world.report_a.pk, "evidence_pk": evidence.pk})
    response = client_for(world.staff_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    assert client_for(world.staff_b).get(url).status_code == 404


def test_on_s3_the_checked_user_is_redirected_to_a_signed_address_and_others_get_404(
    world, evidence, client_for, settings, s3_settings
):
    settings.STORAGES = {**settings.STORAGES, "private": s3_settings}
    url = reverse("reports:evidence_download", kwargs={"pk": world.report_a.pk, "evidence_pk": evidence.pk})
    response = client_for(world.staff_a).get(url)
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    signed = urlsplit(response["Location"])
    query = parse_qs(signed.query)
    assert signed.path == f"/hungyen-portal/private/{evidence.file.name}"
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert query["response-content-type"] == ["application/pdf"]
    assert "attachment" in query["response-content-disposition"][0]
    assert client_for(world.staff_b).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302 and "login" in client_for(None).get(url)["Location"]


def test_healthz_names_the_storage_when_the_object_store_does_not_answer(client, settings, s3_settings, db):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {**s3_settings["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{port}"}
    settings.STORAGES = {**settings.STORAGES, "private": {**s3_settings, "OPTIONS": options}}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json()["status"] == "down: storage"
