"""The consolidated PDF is prepared in the background, with its progress shown, and kept until the data changes."""

import datetime
import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from outputs import jobs, services
from outputs.jobs import requeue_abandoned, run_pending_jobs
from outputs.models import GeneratedOutput
from outputs.services import consolidated_report_save
from tests.outputs.conftest import accept, download, pdftotext

Kind, State = GeneratedOutput.Kind, GeneratedOutput.State


def pdf_url(world):
    return reverse("outputs:consolidated_pdf", kwargs={"year": world.year.year})


def page_url(world):
    return reverse("outputs:consolidated", kwargs={"year": world.year.year})


@pytest.fixture
def accepted_a(world):
    return accept(world.report_a, world.reviewer, results="Kết quả đã được chấp nhận.")


def test_asking_for_the_pdf_starts_a_job_and_the_page_shows_its_progress(world, accepted_a, client_for):
    client = client_for(world.reviewer)
    response = client.get(pdf_url(world))
    assert response.status_code == 302 and response["Location"] == page_url(world) + "#downloads"
    job = GeneratedOutput.objects.get(kind=Kind.CONSOLIDATED_PDF)
    assert (job.state, job.requested_by, job.work_units > 0) == (State.QUEUED, world.reviewer, True)

    html = client.get(page_url(world)).content.decode()
    assert 'role="progressbar"' in html
    assert reverse("outputs:job_status", kwargs={"pk": job.pk}) in html
    assert "Đang chuẩn bị bản PDF" in html
    # A second request while it waits joins the same job.
    client_for(world.leader).get(pdf_url(world))
    assert GeneratedOutput.objects.filter(kind=Kind.CONSOLIDATED_PDF).count() == 1

    status = client.get(reverse("outputs:job_status", kwargs={"pk": job.pk})).json()
    assert status == {
        "state": "queued",
        "label": "Đang chờ",
        "progress": 0,
        "ready": False,
        "failed": False,
        "download_url": pdf_url(world),
    }


def test_the_finished_job_is_downloaded_and_its_requester_told(
    world, accepted_a, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.reviewer)
    client.get(pdf_url(world))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_pending_jobs() == 1
    job = GeneratedOutput.objects.get(kind=Kind.CONSOLIDATED_PDF)
    assert (job.state, job.progress, job.pages > 1, job.size > 0) == (State.DONE, 100, True, True)
    notice = Notification.objects.get(recipient=world.reviewer, title__contains="PDF")
    assert notice.title == f"Bản PDF báo cáo tổng hợp năm {world.year.year} đã sẵn sàng để tải về"
    assert notice.url == page_url(world)

    status = client.get(reverse("outputs:job_status", kwargs={"pk": job.pk})).json()
    assert status["ready"] and status["progress"] == 100
    response = client_for(world.leader).get(pdf_url(world))
    assert response.status_code == 200
    assert "Kết quả đã được chấp nhận." in pdftotext(download(response))
    html = client.get(page_url(world)).content.decode()
    assert "Tải bản PDF" in html and 'role="progressbar"' not in html


def test_a_change_of_the_text_calls_for_a_new_pdf(world, accepted_a, client_for):
    client = client_for(world.reviewer)
    client.get(pdf_url(world))
    run_pending_jobs()
    assert client.get(pdf_url(world)).status_code == 200
    consolidated_report_save(
        reporting_year=world.year, actor=world.reviewer, expected_version=0, assessment="Mới."
    )
    assert "Tạo bản PDF" in client.get(page_url(world)).content.decode()
    assert client.get(pdf_url(world)).status_code == 302
    assert GeneratedOutput.objects.filter(kind=Kind.CONSOLIDATED_PDF, state=State.QUEUED).count() == 1
    run_pending_jobs()
    response = client.get(pdf_url(world))
    assert "Mới." in pdftotext(download(response))
    assert GeneratedOutput.objects.filter(kind=Kind.CONSOLIDATED_PDF).count() == 1, (
        "the outdated file is dropped"
    )


def test_a_job_cut_off_by_a_restart_is_taken_up_again(world, accepted_a, client_for):
    client_for(world.reviewer).get(pdf_url(world))
    job = GeneratedOutput.objects.get(kind=Kind.CONSOLIDATED_PDF)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    GeneratedOutput.objects.filter(pk=job.pk).update(
        state=State.RUNNING, heartbeat_at=long_ago, attempts=1, progress=40
    )
    assert requeue_abandoned() == 1
    job.refresh_from_db()
    assert (job.state, job.progress) == (State.QUEUED, 0)
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 2


def test_a_job_interrupted_too_often_fails_and_the_page_offers_to_try_again(world, accepted_a, client_for):
    client = client_for(world.reviewer)
    client.get(pdf_url(world))
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    GeneratedOutput.objects.update(state=State.RUNNING, heartbeat_at=long_ago, attempts=jobs.MAX_ATTEMPTS)
    requeue_abandoned()
    assert GeneratedOutput.objects.get().state == State.FAILED
    html = client.get(page_url(world)).content.decode()
    assert "không thành công" in html and "Tạo bản PDF" in html
    assert client.get(pdf_url(world)).status_code == 302
    assert GeneratedOutput.objects.filter(state=State.QUEUED).count() == 1


def test_a_failing_layout_is_recorded_not_raised(world, accepted_a, client_for, monkeypatch):
    client = client_for(world.reviewer)
    client.get(pdf_url(world))

    def broken(kind, document):
        raise RuntimeError("no memory left")

    monkeypatch.setattr(services, "render_document", broken)
    run_pending_jobs()
    job = GeneratedOutput.objects.get()
    assert job.state == State.FAILED and "no memory left" in job.error
    assert client.get(reverse("outputs:job_status", kwargs={"pk": job.pk})).json()["failed"] is True


def test_two_workers_never_run_the_same_job(world, accepted_a, client_for):
    client_for(world.reviewer).get(pdf_url(world))
    job = GeneratedOutput.objects.get()
    assert jobs.output_job_run(job.pk) is True
    assert jobs.output_job_run(job.pk) is False


@pytest.mark.django_db(transaction=True)
def test_the_web_process_runs_the_job_in_a_thread(world, client_for, settings):
    settings.OUTPUT_JOBS_IN_WEB_PROCESS = True
    accept(world.report_a, world.reviewer)
    client = client_for(world.reviewer)
    assert client.get(pdf_url(world)).status_code == 302
    job = GeneratedOutput.objects.get(kind=Kind.CONSOLIDATED_PDF)
    status_url = reverse("outputs:job_status", kwargs={"pk": job.pk})
    deadline = time.monotonic() + 120
    status = {}
    while time.monotonic() < deadline:
        try:
            status = client.get(status_url).json()
        except OperationalError:  # SQLite's shared in-memory test database: the worker is writing right now
            status = {}
        if status.get("ready") or status.get("failed"):
            break
        time.sleep(0.5)
    assert status["ready"], status
    assert client.get(pdf_url(world)).status_code == 200
