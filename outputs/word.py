"""The Word files of the official documents, made on request from the current document data.

A Word file is made in a fraction of a second, so it is not stored like the PDFs: each download is rendered from
the same document data as the PDF of that moment, and written down in the audit trail like any other export.
"""

from __future__ import annotations

from assignments.models import ReportingYear
from audit.models import Action
from audit.services import log_action
from outputs.documents import agency_report_document, consolidated_document
from outputs.docx import docx_filename, render_docx
from reports.models import Report


def agency_docx(*, report: Report, version, actor=None) -> tuple[bytes, str]:
    """One agency's report as a Word file, from its latest submitted version (as the PDF)."""
    document = agency_report_document(report, version)
    filename = docx_filename(document)
    content = render_docx(document)
    log_action(
        actor if getattr(actor, "is_authenticated", False) else None,
        Action.EXPORT_GENERATED,
        report=report,
        reporting_year=report.reporting_year,
        agency=report.agency,
        message=filename,
    )
    return content, filename


def consolidated_docx(*, reporting_year: ReportingYear, actor=None) -> tuple[bytes, str]:
    """The consolidated report of the year as a Word file, with the reviewers' saved text (as the PDF)."""
    document = consolidated_document(reporting_year)
    filename = docx_filename(document)
    content = render_docx(document)
    log_action(
        actor if getattr(actor, "is_authenticated", False) else None,
        Action.EXPORT_GENERATED,
        reporting_year=reporting_year,
        agency=reporting_year.consolidating_agency,
        message=filename,
    )
    return content, filename
