"""Writes of the outputs app: the reviewers' consolidated text, and generating (and caching) the documents.

A document is generated from plain data (outputs.documents); the hash of that data and of the code that lays
it out is the cache key, so a download reuses the stored file until something printed on it changes. Short
documents (one agency's PDF, the Excel workbook) are generated while the user waits; the consolidated PDF of a
whole province takes longer and is built by the task worker (outputs/tasks.py).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import ReportingYear
from assignments.roles import COMPILE
from audit.models import Action, AuditEntry
from audit.services import log_action
from outputs.documents import (
    AgencyReportDocument,
    ConsolidatedDocument,
    agency_report_document,
    consolidated_document,
    default_recipients,
    fingerprint,
)
from outputs.models import ConsolidatedReport, GeneratedOutput
from reports.errors import ReportError, ReportPermissionError
from reports.models import Report

logger = logging.getLogger(__name__)
Kind = GeneratedOutput.Kind
JobState = GeneratedOutput.State

CONTENT_TYPES = {
    Kind.AGENCY_PDF: "application/pdf",
    Kind.CONSOLIDATED_PDF: "application/pdf",
    Kind.CONSOLIDATED_XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code and templates that lay the documents out: changing them renews every stored file."""
    base = Path(__file__).resolve().parent
    files = sorted(
        [
            *base.glob("templates/outputs/pdf/*"),
            *base.glob("locale/*/LC_MESSAGES/django.mo"),
            *base.glob("documents/*.py"),
            *(base / name for name in ("formatting.py", "pdf.py", "xlsx.py")),
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


def target_outputs(kind: str, reporting_year: ReportingYear, report: Report | None):
    return GeneratedOutput.objects.filter(kind=kind, reporting_year=reporting_year, report=report)


def cached_output(
    kind: str, reporting_year: ReportingYear, report: Report | None, key: str
) -> GeneratedOutput | None:
    """The stored file made from exactly this content, if it is still on disk."""
    row = target_outputs(kind, reporting_year, report).filter(state=JobState.DONE, fingerprint=key).first()
    if row is None:
        return None
    if not row.file or not row.file.storage.exists(row.file.name):
        row.delete()
        return None
    return row


def document_key(kind: str, document) -> str:
    return fingerprint(document, code_version=f"{code_version()}:{kind}")


def output_filename(kind: str, document) -> str:
    if kind == Kind.AGENCY_PDF:
        return document.filename
    return f"{document.filename_stem}.{'xlsx' if kind == Kind.CONSOLIDATED_XLSX else 'pdf'}"


def render_document(kind: str, document) -> tuple[bytes, int | None]:
    if kind == Kind.CONSOLIDATED_XLSX:
        from outputs.xlsx import consolidated_workbook

        return consolidated_workbook(document), None
    from outputs.pdf import render_pdf

    return render_pdf(document)


def store_output(row: GeneratedOutput, content: bytes, pages: int | None, filename: str) -> None:
    row.file.save(filename, ContentFile(content), save=False)
    row.filename = filename
    row.size = len(content)
    row.pages = pages
    row.state = JobState.DONE
    row.progress = 100
    row.finished_at = timezone.now()
    row.error = ""


def prune_older(row: GeneratedOutput) -> None:
    """Only the newest file of a document is kept: older ones describe data that has changed since."""
    old = list(
        target_outputs(row.kind, row.reporting_year, row.report)
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
    content, pages = render_document(kind, document)
    filename = output_filename(kind, document)
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
            work_units=work_units(document),
        )
        store_output(row, content, pages, filename)
        row.save()
        log_action(
            actor,
            Action.EXPORT_GENERATED,
            report=report,
            reporting_year=reporting_year,
            agency=report.agency if report else reporting_year.consolidating_agency,
            message=filename,
        )
        prune_older(row)
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


def work_units(document) -> int:
    if isinstance(document, ConsolidatedDocument):
        entries = sum(len(task.entries) for group in document.groups for task in group.tasks)
        return entries + len(document.timeliness)
    if isinstance(document, AgencyReportDocument):
        return sum(len(group.tasks) for group in document.groups)
    return 0
