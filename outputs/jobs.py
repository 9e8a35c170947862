"""The consolidated PDF as a background job: a whole province takes tens of seconds to lay out.

`manage.py benchmark_outputs` measured 32 s for 150 agencies (170 pages) on the project's machine, so the PDF
is a job: a row of GeneratedOutput in state queued → running → done (or failed), run by a thread of the web
process started once the request commits (OUTPUT_JOBS_IN_WEB_PROCESS), or by `manage.py run_output_jobs`.
Either claims a job with a conditional UPDATE, so two workers never run the same one, and takes up again a job
whose worker stopped giving signs of life (a restart). While the layout runs, a heartbeat thread writes an
estimated progress, which the page shows.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.models import ReportingYear
from audit.models import Action
from audit.services import log_action
from notifications.services import in_portal_language, notify
from outputs import services
from outputs.documents import consolidated_document
from outputs.models import GeneratedOutput
from outputs.services import (
    JobState,
    Kind,
    cached_output,
    document_key,
    output_filename,
    prune_older,
    store_output,
    target_outputs,
    work_units,
)

logger = logging.getLogger(__name__)

# A running job writes a sign of life every second; one silent for this long was cut off by a restart.
ABANDONED_AFTER = datetime.timedelta(seconds=90)
MAX_ATTEMPTS = 3
# Layout time per agency entry of the consolidated PDF, measured by `manage.py benchmark_outputs`; refined
# from the jobs already done.
SECONDS_PER_UNIT = 0.045
BASE_SECONDS = 2.0


def active_job(reporting_year: ReportingYear, kind: str = Kind.CONSOLIDATED_PDF) -> GeneratedOutput | None:
    return target_outputs(kind, reporting_year, None).filter(state__in=GeneratedOutput.ACTIVE_STATES).first()


def last_failure(reporting_year: ReportingYear, kind: str = Kind.CONSOLIDATED_PDF) -> GeneratedOutput | None:
    return (
        target_outputs(kind, reporting_year, None)
        .filter(state=JobState.FAILED)
        .order_by("-finished_at", "-pk")
        .first()
    )


def consolidated_pdf_request(*, reporting_year: ReportingYear, actor, document=None) -> GeneratedOutput:
    """The consolidated PDF if it is stored for the current content; otherwise the job preparing it."""
    document = document or consolidated_document(reporting_year)
    key = document_key(Kind.CONSOLIDATED_PDF, document)
    cached = cached_output(Kind.CONSOLIDATED_PDF, reporting_year, None, key)
    if cached is not None:
        return cached
    requeue_abandoned()
    job = active_job(reporting_year)
    if job is None:
        try:
            with transaction.atomic():
                job = GeneratedOutput.objects.create(
                    kind=Kind.CONSOLIDATED_PDF,
                    reporting_year=reporting_year,
                    fingerprint=key,
                    state=JobState.QUEUED,
                    requested_by=actor,
                    work_units=work_units(document),
                    filename=output_filename(Kind.CONSOLIDATED_PDF, document),
                )
        except IntegrityError:  # another request queued it a moment ago: join that job
            job = active_job(reporting_year)
    transaction.on_commit(ensure_worker)
    return job


def estimated_seconds(job: GeneratedOutput) -> float:
    """How long the job should take: its size times the pace of the last jobs done (or the benchmark's)."""
    done = list(
        GeneratedOutput.objects.filter(
            kind=job.kind,
            state=JobState.DONE,
            work_units__gt=0,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("work_units", "started_at", "finished_at")[:5]
    )
    pace = SECONDS_PER_UNIT
    if done:
        pace = sum(
            max(0.0, (end - start).total_seconds() - BASE_SECONDS) / units for units, start, end in done
        ) / len(done)
    return BASE_SECONDS + pace * max(job.work_units, 1)


def requeue_abandoned() -> int:
    """Jobs that stopped giving signs of life (the server restarted) go back to the queue, or fail for good."""
    limit = timezone.now() - ABANDONED_AFTER
    stale = GeneratedOutput.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=limit)
    if not stale.exists():  # the usual case, answered by a read: pages that poll write nothing
        return 0
    failed = stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=JobState.FAILED, finished_at=timezone.now(), error="Interrupted too many times."
    )
    requeued = stale.filter(attempts__lt=MAX_ATTEMPTS).update(state=JobState.QUEUED, progress=0)
    return failed + requeued


class _Heartbeat:
    """While the layout runs (one long call), show an estimated progress and a sign of life every second."""

    def __init__(self, job: GeneratedOutput, expected: float):
        self.job_pk = job.pk
        self.expected = max(expected, 1.0)
        self.started = time.monotonic()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"output-heartbeat-{job.pk}", daemon=True)

    def _run(self):
        try:
            while not self.stop.wait(1.0):
                elapsed = time.monotonic() - self.started
                self._beat(min(95, 10 + int(85 * elapsed / self.expected)))
        finally:
            connections.close_all()

    def _beat(self, progress: int) -> None:
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # Never wait long for a row another transaction holds: the next beat tries again.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '2s'")
                GeneratedOutput.objects.filter(pk=self.job_pk, state=JobState.RUNNING).update(
                    progress=progress, heartbeat_at=timezone.now()
                )
        except DatabaseError:  # a missed beat only delays the progress bar
            logger.debug("Could not record the progress of output %s", self.job_pk)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def output_job_run(job_pk: int) -> bool:
    """Run one queued job; False if another worker took it first."""
    now = timezone.now()
    # A conditional UPDATE is atomic on every database: of two workers, exactly one claims the job.
    claimed = GeneratedOutput.objects.filter(pk=job_pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now, progress=2, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    job = GeneratedOutput.objects.select_related(
        "reporting_year__directive__implements", "reporting_year__consolidating_agency", "requested_by"
    ).get(pk=job_pk)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            document = consolidated_document(job.reporting_year)
            job.fingerprint = document_key(job.kind, document)
            job.work_units = work_units(document)
            GeneratedOutput.objects.filter(pk=job.pk).update(
                progress=10,
                fingerprint=job.fingerprint,
                work_units=job.work_units,
                heartbeat_at=timezone.now(),
            )
            with _Heartbeat(job, estimated_seconds(job)):
                content, pages = services.render_document(job.kind, document)
            with transaction.atomic():
                job.refresh_from_db(fields=["state"])
                store_output(job, content, pages, output_filename(job.kind, document))
                job.save()
                log_action(
                    job.requested_by,
                    Action.EXPORT_GENERATED,
                    reporting_year=job.reporting_year,
                    agency=job.reporting_year.consolidating_agency,
                    message=job.filename,
                )
                prune_older(job)
                if job.requested_by is not None:
                    with in_portal_language():
                        title = _("The consolidated report %(year)s (PDF) is ready to download") % {
                            "year": job.reporting_year.year
                        }
                    notify(
                        [job.requested_by],
                        title=title,
                        url=_consolidated_url(job.reporting_year),
                        email=False,
                    )
        return True
    except Exception as exc:  # the job records the failure for the user; the details go to the log
        logger.exception("Generating output %s failed", job_pk)
        GeneratedOutput.objects.filter(pk=job_pk).update(
            state=JobState.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return True


def _consolidated_url(reporting_year: ReportingYear) -> str:
    return reverse("outputs:consolidated", kwargs={"year": reporting_year.year})


def run_pending_jobs() -> int:
    """Run queued jobs until none is left; returns how many this worker ran."""
    requeue_abandoned()
    ran = 0
    while True:
        job = GeneratedOutput.objects.filter(state=JobState.QUEUED).order_by("created_at", "pk").first()
        if job is None:
            return ran
        if output_job_run(job.pk):
            ran += 1


_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def ensure_worker() -> None:
    """Start this process's worker thread unless it is running or jobs are left to `run_output_jobs`."""
    global _worker
    if not settings.OUTPUT_JOBS_IN_WEB_PROCESS:
        return
    with _worker_lock:
        if _worker is not None and _worker.is_alive():
            return
        _worker = threading.Thread(target=_work, name="output-worker", daemon=True)
        _worker.start()


def _work() -> None:
    try:
        run_pending_jobs()
    except Exception:  # a broken worker must not take the web process down; the job rows say what is pending
        logger.exception("The output worker stopped")
    finally:
        connections.close_all()
