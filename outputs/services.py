"""Writes of the outputs app: the reviewers' consolidated text, and generating (and caching) the documents.

A document is generated from plain data (outputs.documents); the hash of that data and of the code that lays
it out is the cache key, so a download reuses the stored file until something printed on it changes. Short
documents (one agency's PDF, the Excel workbook) are generated while the user waits. The consolidated PDF of a
whole province takes longer (see `manage.py benchmark_outputs`): it is a job, run by a thread of the web
process started once the request commits, or by `manage.py run_output_jobs`; either picks up jobs that a
restart interrupted.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
import time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.models import ReportingYear
from assignments.roles import COMPILE
from audit.models import Action, AuditEntry
from audit.services import log_action
from notifications.services import in_portal_language, notify
from outputs.documents import (
    AgencyReportDocument,
    ConsolidatedDocument,
    agency_report_document,
    consolidated_document,
    default_recipients,
    fingerprint,
)
from outputs.models import ConsolidatedReport, GeneratedOutput
from reports.models import Report
from reports.services import ReportError, ReportPermissionError

logger = logging.getLogger(__name__)
Kind = GeneratedOutput.Kind
JobState = GeneratedOutput.State

CONTENT_TYPES = {
    Kind.AGENCY_PDF: "application/pdf",
    Kind.CONSOLIDATED_PDF: "application/pdf",
    Kind.CONSOLIDATED_XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A running job writes a sign of life every second; one silent for this long was cut off by a restart.
ABANDONED_AFTER = datetime.timedelta(seconds=90)
MAX_ATTEMPTS = 3
# Layout time per agency entry of the consolidated PDF, measured by `manage.py benchmark_outputs`; refined
# from the jobs already done.
SECONDS_PER_UNIT = 0.045
BASE_SECONDS = 2.0


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code and templates that lay the documents out: changing them renews every stored file."""
    base = Path(__file__).resolve().parent
    files = sorted(
        [
            *base.glob("templates/outputs/pdf/*"),
            *base.glob("locale/*/LC_MESSAGES/django.mo"),
            *(base / name for name in ("documents.py", "formatting.py", "pdf.py", "xlsx.py")),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# --- The consolidated text --------------------------------------------------------------------------------

CONSOLIDATED_FIELDS = (
    "number",
    "issued_on",
    "assessment",
    "difficulties",
    "proposals",
    "recipients",
    "signatory_name",
    "signatory_title",
    "signatory_is_deputy",
)


class StaleConsolidatedError(ReportError):
    """Another reviewer saved the consolidated text after the form was opened; `entries` say what changed."""

    def __init__(self, reporting_year: ReportingYear, since_version: int, current_version: int):
        self.current_version = current_version
        self.entries = list(
            AuditEntry.objects.filter(
                action=Action.CONSOLIDATED_SAVED, reporting_year=reporting_year, version__gt=since_version
            )
            .select_related("actor")
            .order_by("created_at", "pk")
        )
        names = sorted({(e.actor.get_full_name() or e.actor.get_username()) for e in self.entries if e.actor})
        super().__init__(
            _(
                "%(names)s changed the consolidated report after you opened it, so your changes were not saved. "
                "Their changes are shown below; your text is still in the form. Check it and save again."
            )
            % {"names": ", ".join(names) or _("another user")}
        )


def consolidated_report_for(reporting_year: ReportingYear) -> ConsolidatedReport:
    """The saved text of the year, or a new one with the usual recipients and the head's title (not saved)."""
    consolidated = (
        ConsolidatedReport.objects.filter(reporting_year=reporting_year).select_related("updated_by").first()
    )
    if consolidated is not None:
        return consolidated
    return ConsolidatedReport(
        reporting_year=reporting_year,
        version=0,
        recipients=default_recipients(reporting_year),
        signatory_title=reporting_year.consolidating_agency.head_title,
    )


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def consolidated_report_save(
    *, reporting_year: ReportingYear, actor, expected_version: int, **values
) -> ConsolidatedReport:
    """Save the reviewers' text of the consolidated report; refuse a form drawn from an older version."""
    unknown = set(values) - set(CONSOLIDATED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        if not actor.has_perm(COMPILE):
            raise ReportPermissionError(_("Only reviewers can write the consolidated report."))
        # Locking the year serialises the first save too, when there is no row to lock yet.
        year = (
            ReportingYear.objects.select_for_update()
            .select_related("consolidating_agency")
            .get(pk=reporting_year.pk)
        )
        if year.state == ReportingYear.State.ARCHIVED:
            raise ReportError(
                _(
                    "The reporting year %(year)s is archived; its consolidated report can no longer be changed."
                )
                % {"year": year.year}
            )
        consolidated = ConsolidatedReport.objects.select_for_update().filter(reporting_year=year).first()
        current = consolidated.version if consolidated else 0
        if expected_version != current:
            raise StaleConsolidatedError(year, expected_version, current)
        if consolidated is None:
            consolidated = ConsolidatedReport(reporting_year=year, version=0)
        changes = []
        for name in CONSOLIDATED_FIELDS:
            if name not in values:
                continue
            old, new = getattr(consolidated, name), values[name]
            if _as_text(old) != _as_text(new):
                label = str(ConsolidatedReport._meta.get_field(name).verbose_name)
                changes.append({"field": label, "old": _as_text(old), "new": _as_text(new)})
                setattr(consolidated, name, new)
        if consolidated.pk and not changes:
            return consolidated
        consolidated.version += 1
        consolidated.updated_by = actor
        if consolidated.pk:
            fields = [n for n in CONSOLIDATED_FIELDS if n in values] + ["version", "updated_by", "updated_at"]
            consolidated.save(update_fields=fields)
        else:
            consolidated.save()
        log_action(
            actor,
            Action.CONSOLIDATED_SAVED,
            reporting_year=year,
            agency=year.consolidating_agency,
            version=consolidated.version,
            changes=changes,
        )
    return consolidated


# --- Generating and caching the documents -----------------------------------------------------------------


def _target(kind: str, reporting_year: ReportingYear, report: Report | None):
    return GeneratedOutput.objects.filter(kind=kind, reporting_year=reporting_year, report=report)


def cached_output(
    kind: str, reporting_year: ReportingYear, report: Report | None, key: str
) -> GeneratedOutput | None:
    """The stored file made from exactly this content, if it is still on disk."""
    row = _target(kind, reporting_year, report).filter(state=JobState.DONE, fingerprint=key).first()
    if row is None:
        return None
    if not row.file or not row.file.storage.exists(row.file.name):
        row.delete()
        return None
    return row


def document_key(kind: str, document) -> str:
    return fingerprint(document, code_version=f"{code_version()}:{kind}")


def _filename(kind: str, document) -> str:
    if kind == Kind.AGENCY_PDF:
        return document.filename
    return f"{document.filename_stem}.{'xlsx' if kind == Kind.CONSOLIDATED_XLSX else 'pdf'}"


def _render(kind: str, document) -> tuple[bytes, int | None]:
    if kind == Kind.CONSOLIDATED_XLSX:
        from outputs.xlsx import consolidated_workbook

        return consolidated_workbook(document), None
    from outputs.pdf import render_pdf

    return render_pdf(document)


def _store(row: GeneratedOutput, content: bytes, pages: int | None, filename: str) -> None:
    row.file.save(filename, ContentFile(content), save=False)
    row.filename = filename
    row.size = len(content)
    row.pages = pages
    row.state = JobState.DONE
    row.progress = 100
    row.finished_at = timezone.now()
    row.error = ""


def _prune(row: GeneratedOutput) -> None:
    """Only the newest file of a document is kept: older ones describe data that has changed since."""
    old = list(
        _target(row.kind, row.reporting_year, row.report)
        .exclude(pk=row.pk)
        .exclude(state__in=GeneratedOutput.ACTIVE_STATES)
    )
    names = [o.file.name for o in old if o.file]
    GeneratedOutput.objects.filter(pk__in=[o.pk for o in old]).delete()
    storage = row.file.storage

    def remove_files():
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # already gone; the row that named it is deleted either way
                logger.warning("Could not delete the old output %s", name)

    transaction.on_commit(remove_files)


def output_generate(
    *, kind: str, reporting_year: ReportingYear, document, report: Report | None = None, actor=None
) -> GeneratedOutput:
    """The stored file for this document: the cached one if the content is unchanged, else a new one now."""
    key = document_key(kind, document)
    cached = cached_output(kind, reporting_year, report, key)
    if cached is not None:
        return cached
    started = timezone.now()
    content, pages = _render(kind, document)
    filename = _filename(kind, document)
    with transaction.atomic():
        row = GeneratedOutput(
            kind=kind,
            reporting_year=reporting_year,
            report=report,
            fingerprint=key,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=started,
            started_at=started,
            attempts=1,
            work_units=_work_units(document),
        )
        _store(row, content, pages, filename)
        row.save()
        log_action(
            actor,
            Action.EXPORT_GENERATED,
            report=report,
            reporting_year=reporting_year,
            agency=report.agency if report else reporting_year.consolidating_agency,
            message=filename,
        )
        _prune(row)
    return row


def agency_pdf(*, report: Report, version, actor=None) -> GeneratedOutput:
    """One agency's report as a PDF, from its latest submitted version."""
    document = agency_report_document(report, version)
    return output_generate(
        kind=Kind.AGENCY_PDF,
        reporting_year=report.reporting_year,
        report=report,
        document=document,
        actor=actor,
    )


def consolidated_xlsx(*, reporting_year: ReportingYear, actor=None, document=None) -> GeneratedOutput:
    document = document or consolidated_document(reporting_year)
    return output_generate(
        kind=Kind.CONSOLIDATED_XLSX, reporting_year=reporting_year, document=document, actor=actor
    )


def consolidated_pdf_now(*, reporting_year: ReportingYear, actor=None, document=None) -> GeneratedOutput:
    """The consolidated PDF generated in this process, for the command line and the benchmark."""
    document = document or consolidated_document(reporting_year)
    return output_generate(
        kind=Kind.CONSOLIDATED_PDF, reporting_year=reporting_year, document=document, actor=actor
    )


def _work_units(document) -> int:
    if isinstance(document, ConsolidatedDocument):
        entries = sum(len(task.entries) for group in document.groups for task in group.tasks)
        return entries + len(document.timeliness)
    if isinstance(document, AgencyReportDocument):
        return sum(len(group.tasks) for group in document.groups)
    return 0


# --- The consolidated PDF as a job --------------------------------------------------------------------------


def active_job(reporting_year: ReportingYear, kind: str = Kind.CONSOLIDATED_PDF) -> GeneratedOutput | None:
    return _target(kind, reporting_year, None).filter(state__in=GeneratedOutput.ACTIVE_STATES).first()


def last_failure(reporting_year: ReportingYear, kind: str = Kind.CONSOLIDATED_PDF) -> GeneratedOutput | None:
    return (
        _target(kind, reporting_year, None)
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
                    work_units=_work_units(document),
                    filename=_filename(Kind.CONSOLIDATED_PDF, document),
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
            job.work_units = _work_units(document)
            GeneratedOutput.objects.filter(pk=job.pk).update(
                progress=10,
                fingerprint=job.fingerprint,
                work_units=job.work_units,
                heartbeat_at=timezone.now(),
            )
            with _Heartbeat(job, estimated_seconds(job)):
                content, pages = _render(job.kind, document)
            with transaction.atomic():
                job.refresh_from_db(fields=["state"])
                _store(job, content, pages, _filename(job.kind, document))
                job.save()
                log_action(
                    job.requested_by,
                    Action.EXPORT_GENERATED,
                    reporting_year=job.reporting_year,
                    agency=job.reporting_year.consolidating_agency,
                    message=job.filename,
                )
                _prune(job)
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
    from django.urls import reverse

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
