"""The content of the official documents, as plain data: what the PDF and Excel renderers lay out.

Each document is built from the latest submitted versions (never from a live draft), in the portal's language
(Vietnamese). Being plain data, a document is also its own cache key: `fingerprint()` hashes it together with the
code that lays it out, so an output is regenerated exactly when something printed on it changes.
"""

from outputs.documents.agency import AgencyReportDocument, agency_report_document
from outputs.documents.consolidated import (
    ConsolidatedDocument,
    consolidated_document,
    default_recipients,
    empty_sections,
    recipient_lines,
)
from outputs.documents.parts import ascii_slug, fingerprint

__all__ = [
    "AgencyReportDocument",
    "ConsolidatedDocument",
    "agency_report_document",
    "ascii_slug",
    "consolidated_document",
    "default_recipients",
    "empty_sections",
    "fingerprint",
    "recipient_lines",
]
