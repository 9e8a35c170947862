"""The consolidated PDF is prepared by the task queue's worker, with its progress shown, kept until the data changes."""

import datetime
import re
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from outputs import services, tasks
from outputs.models import GeneratedOutput
from outputs.services import consolidated_report_save
from outputs.tasks import requeue_abandoned
from tests.outputs.conftest import accept, download, pdftotext
from tests.outputs.conftest import run_queued_tasks as run_pending_jobs

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
    queued = DBTaskResult.objects.get()
    assert (str(queued.id), queued.task_path, queued.args_kwargs["args"]) == (
        job.task_id,
        "outputs.tasks.build_output",
        [job.pk],
    )

    html = client.get(page_url(world)).content.decode()
    assert 'role="progressbar"' in html
    assert reverse("outputs:job_status", kwargs={"pk": job.pk}) in html
    assert "Đang chuẩn bị bản PDF" in html
    # A second request while it waits joins the same job.
    client_for(world.leader).get(pdf_url(world))
    assert GeneratedOutput.objects.filter(kind=Kind.CONSOLIDATED_PDF).count() == 1
    assert DBTaskResult.objects.count() == 1, "one build queued for one document"

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


def test_a_build_whose_worker_died_is_queued_again_as_a_new_task(world, accepted_a, client_for, settings):
    client_for(world.reviewer).get(pdf_url(world))
    job = GeneratedOutput.objects.get(kind=Kind.CONSOLIDATED_PDF)
    dead = DBTaskResult.objects.get()
    dead.claim("worker-that-died")
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.OUTPUT_BUILD_TIMEOUT + 60)
    GeneratedOutput.objects.filter(pk=job.pk).update(state=State.RUNNING, started_at=long_ago, attempts=1)
    assert requeue_abandoned() == 1
    job.refresh_from_db()
    assert (job.state, job.progress) == (State.QUEUED, 0)
    dead.refresh_from_db()
    assert dead.status == "FAILED", "the queue's own row of the dead worker's task is closed"
    assert job.task_id != str(dead.id)
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 2


def test_a_queued_build_whose_task_was_lost_is_queued_again(world, accepted_a, client_for):
    client = client_for(world.reviewer)
    client.get(pdf_url(world))
    job = GeneratedOutput.objects.get()
    DBTaskResult.objects.all().delete()  # pruned by mistake, say
    assert client.get(reverse("outputs:job_status", kwargs={"pk": job.pk})).json()["state"] == "queued"
    job.refresh_from_db()
    assert str(DBTaskResult.objects.get().id) == job.task_id
    assert run_pending_jobs() == 1
    job.refresh_from_db()
    assert job.state == State.DONE


def test_a_running_build_is_left_alone_while_its_worker_may_still_be_working(world, accepted_a, client_for):
    client_for(world.reviewer).get(pdf_url(world))
    job = GeneratedOutput.objects.get()
    GeneratedOutput.objects.update(state=State.RUNNING, started_at=timezone.now(), attempts=1)
    if connection.vendor != "postgresql":
        assert requeue_abandoned() == 0, "younger than OUTPUT_BUILD_TIMEOUT"
        return
    # On PostgreSQL the building worker's connection holds the document's lock; here another connection does.
    import psycopg2

    params = connection.settings_dict
    worker = psycopg2.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
    )
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [tasks.LOCK_NAMESPACE, job.pk])
        assert requeue_abandoned() == 0
        assert GeneratedOutput.objects.get().state == State.RUNNING
    finally:
        worker.close()  # the worker dies: its lock goes with its connection, once the server has noticed
    deadline = time.monotonic() + 30
    while requeue_abandoned() == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert GeneratedOutput.objects.get().state == State.QUEUED


def test_a_job_interrupted_too_often_fails_and_the_page_offers_to_try_again(world, accepted_a, client_for):
    client = client_for(world.reviewer)
    client.get(pdf_url(world))
    GeneratedOutput.objects.update(state=State.RUNNING, started_at=None, attempts=tasks.MAX_ATTEMPTS)
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
    assert tasks.output_build(job.pk) is True
    assert tasks.output_build(job.pk) is False


def test_the_progress_shown_grows_with_the_time_the_build_has_run(world, accepted_a, client_for, monkeypatch):
    monkeypatch.setattr(tasks, "_builder_gone", lambda job, worker_starting: False)  # its worker is alive
    client = client_for(world.reviewer)
    client.get(pdf_url(world))
    job = GeneratedOutput.objects.get()
    expected = tasks.estimated_seconds(job)
    started = timezone.now() - datetime.timedelta(seconds=expected / 2)
    GeneratedOutput.objects.filter(pk=job.pk).update(state=State.RUNNING, started_at=started, progress=10)
    status = client.get(reverse("outputs:job_status", kwargs={"pk": job.pk})).json()
    assert 50 <= status["progress"] <= 56 and status["state"] == "running"
    html = client.get(page_url(world)).content.decode()
    shown = int(re.search(r'role="progressbar"[^>]*aria-valuenow="(\d+)"', html).group(1))
    assert 50 <= shown <= 56


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_builds_the_pdf_asked_for_by_a_request(world, client_for, worker_process):
    accept(world.report_a, world.reviewer)
    client = client_for(world.reviewer)
    assert client.get(pdf_url(world)).status_code == 302
    job = GeneratedOutput.objects.get(kind=Kind.CONSOLIDATED_PDF)
    status_url = reverse("outputs:job_status", kwargs={"pk": job.pk})
    deadline = time.monotonic() + 120
    status = {}
    while time.monotonic() < deadline and worker_process.poll() is None:
        status = client.get(status_url).json()
        if status.get("ready") or status.get("failed"):
            break
        time.sleep(0.5)
    assert status.get("ready"), status
    # The worker records the task's own result a moment after the task has stored the PDF.
    result = DBTaskResult.objects.get(id=job.task_id)
    while result.status == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.2)
        result.refresh_from_db()
    assert result.status == "SUCCESSFUL"
    assert client.get(pdf_url(world)).status_code == 200


def test_with_the_immediate_backend_the_request_itself_builds_the_pdf(world, accepted_a, client_for, settings):
    """The same code on Django's immediate backend (a trial without a worker): queued, built and stored at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(world.reviewer)
    assert client.get(pdf_url(world)).status_code == 302
    job = GeneratedOutput.objects.get(kind=Kind.CONSOLIDATED_PDF)
    assert job.state == State.DONE and job.task_id and job.attempts == 1
    assert not DBTaskResult.objects.exists()
    response = client.get(pdf_url(world))
    assert response.status_code == 200 and "Kết quả đã được chấp nhận." in pdftotext(download(response))
