"""What is inside an evidence file that its type alone does not tell: archives that unpack to gigabytes,
macros, PDFs that run scripts or programs, files that are two formats at once.

Every check reads a bounded amount: an Office file's table of contents (never its members), a PDF's bytes
plus its object streams decompressed up to a cap. Each function returns the reason to refuse, or "".
"""

from __future__ import annotations

import re
import zipfile
import zlib

from django.utils.translation import gettext as _

# An Office file of the 10 MB evidence limit has a few hundred parts and unpacks to some tens of MB.
OOXML_MAX_MEMBERS = 5000
OOXML_MAX_UNCOMPRESSED = 250 * 1024 * 1024
OOXML_MAX_RATIO = 150
# Object streams of a PDF are decompressed to look for actions hidden inside them, up to this much in all.
PDF_MAX_INFLATED = 64 * 1024 * 1024
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")


def ooxml_problem(upload, name: str) -> str:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _("The file “%(name)s” is damaged and cannot be opened.") % {"name": name}
    finally:
        upload.seek(0)
    if len(members) > OOXML_MAX_MEMBERS:
        return _(
            "The file “%(name)s” holds %(count)s parts (at most %(limit)s are accepted); it is not an ordinary "
            "Word or Excel document. Save it again from Word or Excel and attach the new file."
        ) % {"name": name, "count": f"{len(members):,}".replace(",", "."), "limit": f"{OOXML_MAX_MEMBERS:,}".replace(",", ".")}
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > OOXML_MAX_UNCOMPRESSED or unpacked / packed > OOXML_MAX_RATIO:
        return _(
            "The file “%(name)s” would unpack to %(size)s MB, far more than its own size: such archives are used "
            "to overload servers. Save it again from Word or Excel and attach the new file."
        ) % {"name": name, "size": unpacked // (1024 * 1024)}
    if any(m.filename.rsplit("/", 1)[-1].lower() in _MACRO_PARTS for m in members):
        return _(
            "The file “%(name)s” contains macros, which could run on a reviewer's computer. Save it as a "
            "document without macros (.docx or .xlsx) and attach it again."
        ) % {"name": name}
    return ""


def _escaped(word: str) -> re.Pattern:
    """A PDF name, each letter also accepted as its #xx escape (/J#61vaScript is /JavaScript)."""
    letters = "".join(f"(?:{re.escape(c)}|#(?i:{ord(c):02x}))" for c in word)
    return re.compile(rf"/{letters}(?![A-Za-z0-9])".encode())


_JAVASCRIPT = [_escaped("JavaScript"), _escaped("JS")]
_LAUNCH = [_escaped("Launch")]
_EMBEDDED = [_escaped("EmbeddedFile"), _escaped("EmbeddedFiles")]
_OBJECT_STREAM = _escaped("ObjStm")
_STREAM_START = re.compile(rb"stream\r?\n")


def pdf_problem(upload, name: str) -> str:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    texts = [data]
    budget = PDF_MAX_INFLATED
    for found in _OBJECT_STREAM.finditer(data):
        start = _STREAM_START.search(data, found.end(), found.end() + 4096)
        if not start:
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[start.end() :], budget)
        except zlib.error:
            return _(
                "The PDF “%(name)s” is protected or damaged, so it cannot be checked for scripts. Save or print "
                "it again as an ordinary PDF and attach the new file."
            ) % {"name": name}
        budget -= len(inflated)
        if budget <= 0:
            return _("The PDF “%(name)s” is too complex to check. Save or print it again as an ordinary PDF.") % {
                "name": name
            }
        texts.append(inflated)
    for patterns, message in (
        (
            _JAVASCRIPT,
            _(
                "The PDF “%(name)s” contains JavaScript, which would run when a reviewer opens it. Print it to "
                "PDF again (without scripts or forms) and attach the new file."
            ),
        ),
        (
            _LAUNCH,
            _(
                "The PDF “%(name)s” contains an action that starts a program. Print it to PDF again and attach "
                "the new file."
            ),
        ),
        (
            _EMBEDDED,
            _(
                "The PDF “%(name)s” carries other files inside it. Attach those files separately and the PDF "
                "printed again without them."
            ),
        ),
    ):
        if any(pattern.search(text) for pattern in patterns for text in texts):
            return message % {"name": name}
    return ""


_HTML_MARKERS = re.compile(rb"<\s*(?:script|html|iframe|svg|body)\b", re.IGNORECASE)


def polyglot_problem(upload, name: str, kind: str) -> str:
    """A PDF or an image that is also a ZIP archive or a web page is refused: it is not only what it claims."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    also = ""
    if _looks_like_zip(data):
        also = "ZIP"
    elif kind in ("png", "jpg") and _HTML_MARKERS.search(data):
        also = "HTML"
    elif kind == "png" and _png_trailer(data):
        also = _("data after the image")
    if not also:
        return ""
    return _(
        "The file “%(name)s” is also a %(other)s file hidden in the %(kind)s. Save the document or picture "
        "again from the program that made it and attach the new file."
    ) % {"name": name, "other": also, "kind": kind.upper()}


def _looks_like_zip(data: bytes) -> bool:
    # The end-of-archive record of a ZIP lies in the last 64 KB; a local header at the start is also a ZIP.
    return data.startswith(b"PK\x03\x04") or b"PK\x05\x06" in data[-65_557:] or b"PK\x03\x04" in data[-65_557:]


def _png_trailer(data: bytes) -> bool:
    end = data.rfind(b"IEND")
    return end != -1 and len(data) > end + 8
