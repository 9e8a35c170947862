"""Checking an evidence file before it is stored: size, type by content, and agreement with the file's name.

The name alone proves nothing (a program renamed to "bao-cao.pdf" keeps its content), so the type is read from the
first bytes with `filetype`; Word and Excel files are ZIP archives and are opened to find their main part.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from reports.evidence_content import ooxml_problem, pdf_problem, polyglot_problem
from reports.models import Evidence

Kind = Evidence.Kind

EXTENSIONS = {
    Kind.PDF: (".pdf",),
    Kind.DOCX: (".docx",),
    Kind.XLSX: (".xlsx",),
    Kind.JPG: (".jpg", ".jpeg"),
    Kind.PNG: (".png",),
}
CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.JPG: "image/jpeg",
    Kind.PNG: "image/png",
}
# What filetype calls the allowed kinds; "zip" is looked into (some Office writers order the parts differently).
_GUESSED = {"pdf": Kind.PDF, "docx": Kind.DOCX, "xlsx": Kind.XLSX, "jpg": Kind.JPG, "png": Kind.PNG}
# The part that makes a ZIP archive a Word or an Excel file.
_OOXML_PARTS = {Kind.DOCX: "word/document.xml", Kind.XLSX: "xl/workbook.xml"}
ACCEPT_ATTRIBUTE = ",".join(ext for exts in EXTENSIONS.values() for ext in exts)


class EvidenceRejected(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    size: int
    sha256: str


def clean_file_name(name: str) -> str:
    """The name as the agency gave it, without any folder part or control characters (it goes into a download's
    header), in NFC, at most 255 characters (keeping the extension)."""
    name = "".join(c for c in unicodedata.normalize("NFC", name or "") if not unicodedata.category(c).startswith("C"))
    name = PurePath(name.replace("\\", "/")).name.strip() or "tep-minh-chung"
    if len(name) > 255:
        suffix = PurePath(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name


def allowed_types_text() -> str:
    return "PDF, DOCX, XLSX, JPG, PNG"


def check_evidence_file(upload) -> CheckedFile:
    """Refuse anything that is not a PDF, DOCX, XLSX, JPG or PNG of an allowed size; say why in the message."""
    name = clean_file_name(getattr(upload, "name", ""))
    size = upload.size
    limit = settings.EVIDENCE_MAX_BYTES
    if size == 0:
        raise EvidenceRejected(_("The file “%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise EvidenceRejected(
            _("The file “%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    extension = PurePath(name).suffix.lower()
    named_kind = next((kind for kind, exts in EXTENSIONS.items() if extension in exts), None)
    if named_kind is None:
        raise EvidenceRejected(
            _("The file “%(name)s” is not accepted: attach %(types)s files only.")
            % {"name": name, "types": allowed_types_text()}
        )
    content_kind, seen = _kind_by_content(upload)
    if content_kind is None:
        raise EvidenceRejected(
            _(
                "The content of “%(name)s” is not a %(types)s file (it looks like %(seen)s); "
                "it may have been renamed. Attach the original document."
            )
            % {"name": name, "types": allowed_types_text(), "seen": seen or _("an unknown type")}
        )
    if content_kind != named_kind:
        raise EvidenceRejected(
            _("The file “%(name)s” is named %(extension)s but its content is %(kind)s. Correct its name and attach it again.")
            % {"name": name, "extension": extension, "kind": Kind(content_kind).label}
        )
    problem = (
        ooxml_problem(upload, name)
        if content_kind in _OOXML_PARTS
        else (pdf_problem(upload, name) if content_kind == Kind.PDF else "")
    ) or (polyglot_problem(upload, name, content_kind) if content_kind not in _OOXML_PARTS else "")
    if problem:
        raise EvidenceRejected(problem)
    return CheckedFile(name=name, kind=content_kind, size=size, sha256=_sha256(upload))


def _kind_by_content(upload) -> tuple[str | None, str]:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    seen = guess.extension.upper() if guess else ""
    kind = _GUESSED.get(guess.extension) if guess else None
    if kind in _OOXML_PARTS or (guess and guess.extension == "zip"):
        kind = _ooxml_kind(upload)
        seen = seen if kind else "ZIP"
    return kind, seen


def _ooxml_kind(upload) -> str | None:
    """Word or Excel by the part the archive holds; nothing is decompressed."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return next((kind for kind, part in _OOXML_PARTS.items() if part in names), None)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
