"""The consolidated PDF as a background task: a whole province takes tens of seconds to lay out.

`manage.py benchmark_outputs` measured 32 s for 150 agencies (170 pages), so a request never makes it: it adds a
row of GeneratedOutput (the record users see: queued → running → done or failed) and enqueues `build_output`
through Django's tasks API (the django-tasks backport; `django.tasks` from Django 6 on). A worker process,
`manage.py db_worker`, runs it from the database queue (django-tasks-db), so the same code serves SQLite and
PostgreSQL and any number of web servers.

The queue claims a task once (SELECT … FOR UPDATE SKIP LOCKED) but leaves a task whose worker died "running"
for ever, so two things are added here:
- the same document is never built twice at once: one active row per document (a unique constraint) claimed by
  a conditional UPDATE, and on PostgreSQL a session advisory lock held by the building worker's connection;
- a task whose worker died is taken up again (`requeue_abandoned`): on PostgreSQL the advisory lock is free as
  soon as the dead worker's connection is gone; on SQLite (one server, one worker) a build running longer than
  OUTPUT_BUILD_TIMEOUT, or any build left running when the worker starts.
"""

from __future__ import annotations

import datetime
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

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

MAX_ATTEMPTS = 3
# Layout time per agency entry of the consolidated PDF, measured by `manage.py benchmark_outputs`; refined
# from the builds already done.
SECONDS_PER_UNIT = 0.045
BASE_SECONDS = 2.0
# Advisory locks are numbered in two parts: this namespace and the row's primary key.
LOCK_NAMESPACE = 44_013


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
    """The consolidated PDF if it is stored for the current content; otherwise the row of the build preparing it."""
    document = document or consolidated_document(reporting_year)
    key = document_key(Kind.CONSOLIDATED_PDF, document)
    cached = cached_output(Kind.CONSOLIDATED_PDF, reporting_year, None, key)
    if cached is not None:
        return cached
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
                _enqueue(job)
        except IntegrityError:  # another request queued it a moment ago: join that build
            job = active_job(reporting_year)
    return job


def _enqueue(job: GeneratedOutput) -> None:
    # With the database queue the task row commits (or rolls back) with the GeneratedOutput row.
    result = build_output.enqueue(job.pk)
    GeneratedOutput.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def estimated_seconds(job: GeneratedOutput) -> float:
    """How long the build should take: its size times the pace of the last builds done (or the benchmark's)."""
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


def shown_progress(job: GeneratedOutput, expected: float | None = None) -> int:
    """The progress bar of a running build, estimated from its start: the layout is one long call."""
    if job.state != JobState.RUNNING or job.started_at is None:
        return job.progress
    expected = max(expected or estimated_seconds(job), 1.0)
    elapsed = (timezone.now() - job.started_at).total_seconds()
    return max(job.progress, min(95, 10 + int(85 * elapsed / expected)))


@contextmanager
def build_lock(pk: int, attempts: int = 1):
    """On PostgreSQL, held by the building worker's connection: the server frees it when that worker dies."""
    if connection.vendor != "postgresql":
        yield True
        return
    locked = False
    # A page checking for dead workers holds the lock for a moment; a live worker would hold it for the whole build.
    for _attempt in range(attempts):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, pk])
            locked = cursor.fetchone()[0]
        if locked or _attempt == attempts - 1:
            break
        time.sleep(0.1)
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, pk])


def _builder_gone(job: GeneratedOutput, *, worker_starting: bool) -> bool:
    if connection.vendor == "postgresql":
        with build_lock(job.pk) as free:
            return free
    if worker_starting:  # SQLite serves one server with one worker: a build still "running" was cut off
        return True
    limit = datetime.timedelta(seconds=settings.OUTPUT_BUILD_TIMEOUT)
    return job.started_at is None or timezone.now() - job.started_at > limit


def requeue_abandoned(*, worker_starting: bool = False) -> int:
    """Builds whose worker died go back to the queue as a new task, or fail for good after MAX_ATTEMPTS."""
    running = list(GeneratedOutput.objects.filter(state=JobState.RUNNING, report__isnull=True))
    count = 0
    for job in running:  # the usual case is none, answered by one read: pages that poll write nothing
        if not _builder_gone(job, worker_starting=worker_starting):
            continue
        with transaction.atomic():
            stale = GeneratedOutput.objects.filter(pk=job.pk, state=JobState.RUNNING, task_id=job.task_id)
            if job.attempts >= MAX_ATTEMPTS:
                count += stale.update(
                    state=JobState.FAILED, finished_at=timezone.now(), error="Interrupted too many times."
                )
            elif stale.update(state=JobState.QUEUED, progress=0, started_at=None):
                _close_dead_task(job.task_id)
                _enqueue(job)
                count += 1
    return count + _requeue_lost()


def _requeue_lost() -> int:
    """Queued builds whose task the queue no longer holds (pruned, or ended without starting them): queue again."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(build_output.get_backend(), DatabaseBackend):
        return 0
    queued = dict(
        GeneratedOutput.objects.filter(state=JobState.QUEUED, report__isnull=True).values_list("pk", "task_id")
    )
    if not queued:
        return 0
    held = DBTaskResult.objects.filter(id__in=[t for t in queued.values() if t], status__in=["READY", "RUNNING"])
    held_ids = {str(task_id) for task_id in held.values_list("id", flat=True)}
    lost = [pk for pk, task_id in queued.items() if task_id not in held_ids]
    for job in GeneratedOutput.objects.filter(pk__in=lost):
        with transaction.atomic():
            _enqueue(job)
    return len(lost)


def _close_dead_task(task_id: str) -> None:
    """The queue's own row of the dead worker's task stays "running"; mark it failed so the admin tells true."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if task_id and isinstance(build_output.get_backend(), DatabaseBackend):
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now()
        )


@task(takes_context=True)
def build_output(context: TaskContext, output_pk: int) -> bool:
    """Build one queued document; False if it is built elsewhere already or no longer wanted."""
    return output_build(output_pk, task_id=str(context.task_result.id))


def output_build(output_pk: int, *, task_id: str = "") -> bool:
    with build_lock(output_pk, attempts=50) as locked:
        if not locked:  # a live worker is building it now
            return False
        now = timezone.now()
        # A conditional UPDATE is atomic on every database: of two workers, exactly one claims the build.
        claimed = GeneratedOutput.objects.filter(pk=output_pk, state=JobState.QUEUED).update(
            state=JobState.RUNNING, started_at=now, progress=5, attempts=F("attempts") + 1
        )
        if not claimed:
            return False
        _run(output_pk)
        return True


def _run(job_pk: int) -> None:
    job = GeneratedOutput.objects.select_related(
        "reporting_year__directive__implements", "reporting_year__consolidating_agency", "requested_by"
    ).get(pk=job_pk)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            document = consolidated_document(job.reporting_year)
            job.fingerprint = document_key(job.kind, document)
            job.work_units = work_units(document)
            GeneratedOutput.objects.filter(pk=job.pk).update(
                progress=10, fingerprint=job.fingerprint, work_units=job.work_units
            )
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
                    notify([job.requested_by], title=title, url=_consolidated_url(job.reporting_year), email=False)
    except Exception as exc:  # the row records the failure for the user; the details go to the log
        logger.exception("Generating output %s failed", job_pk)
        GeneratedOutput.objects.filter(pk=job_pk).update(
            state=JobState.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"[:2000]
        )


def _consolidated_url(reporting_year: ReportingYear) -> str:
    return reverse("outputs:consolidated", kwargs={"year": reporting_year.year})
