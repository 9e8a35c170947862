"""A hostile corpus of evidence files, made here: archives that unpack to gigabytes, macros, PDFs that run
scripts or programs, files that are two formats at once. Each is refused with a message that says why."""

import io
import time
import zipfile
import zlib

import pytest

from reports.evidence import EvidenceRejected, check_evidence_file
from tests.reports.conftest import docx_bytes, image_bytes, pdf_bytes, upload, xlsx_bytes

GB = 1024**3


def _bomb(main_part: str) -> bytes:
    """An Office file whose main part unpacks from about 1 MB to 1 GB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open(main_part, "w", force_zip64=True) as part:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(GB // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bombs():
    return {"docx": _bomb("word/document.xml"), "xlsx": _bomb("xl/workbook.xml")}


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_zip_bomb_renamed_to_an_office_file_is_refused_without_unpacking(bombs, kind):
    content = bombs[kind]
    assert len(content) < 2 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(EvidenceRejected, match="giải nén sẽ thành 1024 MB"):
        check_evidence_file(upload(f"Số liệu.{kind}", content))
    assert time.perf_counter() - started < 1


def test_a_workbook_of_120000_parts_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 20 * 1024 * 1024  # the number of parts, not the size, is what refuses it
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(120_000):
            archive.writestr(f"{n:x}", b"")
    with pytest.raises(EvidenceRejected, match="gồm 120.001 thành phần"):
        check_evidence_file(upload("Bảng tính.xlsx", buffer.getvalue()))


@pytest.mark.parametrize(("name", "main_part"), [("Kế hoạch.docx", "word/document.xml"), ("Số liệu.xlsx", "xl/workbook.xml")])
def test_office_files_with_macros_are_refused(name, main_part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(main_part, "<x/>")
        archive.writestr(main_part.split("/")[0] + "/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    with pytest.raises(EvidenceRejected, match="chứa macro"):
        check_evidence_file(upload(name, buffer.getvalue()))


def test_ordinary_office_files_still_pass():
    assert check_evidence_file(upload("Kế hoạch.docx", docx_bytes())).kind == "docx"
    assert check_evidence_file(upload("Số liệu.xlsx", xlsx_bytes())).kind == "xlsx"


def _pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n"
    for n, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    return body + b"trailer\n<</Root 1 0 R>>\n%%EOF\n"


OPEN_ACTION_JS = _pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>", b"<</Type/Pages/Kids[]/Count 0>>")
ESCAPED_JS = _pdf(b"<</Type/Catalog/OpenAction 2 0 R>>", b"<</S/J#61va#53cript/J#53 3 0 R>>")
LAUNCH = _pdf(b"<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>")
EMBEDDED = _pdf(b"<</Type/Catalog/Names<</EmbeddedFiles<</Names[(a.exe) 2 0 R]>>>>>>", b"<</Type/Filespec>>")


def _js_in_object_stream() -> bytes:
    hidden = zlib.compress(b"3 0 <</S/JavaScript/JS(app.launchURL('http://x'))>>")
    return _pdf(
        b"<</Type/Catalog/OpenAction 3 0 R>>",
        b"<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(hidden) + hidden + b"\nendstream",
    )


def _pypdf_with_javascript() -> bytes:
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert('xin chào');"))
    writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (OPEN_ACTION_JS, "chứa mã JavaScript"),
        (ESCAPED_JS, "chứa mã JavaScript"),
        (_js_in_object_stream(), "chứa mã JavaScript"),
        (_pypdf_with_javascript(), "chứa mã JavaScript"),
        (LAUNCH, "lệnh khởi chạy chương trình"),
        (EMBEDDED, "chứa các tệp khác"),
    ],
)
def test_pdfs_that_run_scripts_start_programs_or_carry_files_are_refused(content, says):
    with pytest.raises(EvidenceRejected, match=says) as refused:
        check_evidence_file(upload("Biên bản.pdf", content))
    assert "Biên bản.pdf" in refused.value.message


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "other"),
    [
        ("Biên bản.pdf", pdf_bytes() + _zip(), "ZIP"),
        ("Ảnh.png", image_bytes("PNG") + _zip(), "ZIP"),
        ("Ảnh.jpg", image_bytes("JPEG") + _zip(), "ZIP"),
        ("Ảnh.png", image_bytes("PNG") + b"<html><script>alert(1)</script></html>", "HTML"),
        ("Ảnh.jpg", image_bytes("JPEG") + b"<script>alert(1)</script>", "HTML"),
    ],
)
def test_polyglots_hiding_an_archive_or_a_web_page_are_refused(name, content, other):
    with pytest.raises(EvidenceRejected, match=f"đồng thời là tệp {other}"):
        check_evidence_file(upload(name, content))


def test_the_real_pdf_and_images_still_pass():
    assert check_evidence_file(upload("Biên bản.pdf", pdf_bytes())).kind == "pdf"
    assert check_evidence_file(upload("Ảnh.png", image_bytes("PNG"))).kind == "png"
    assert check_evidence_file(upload("Ảnh.jpg", image_bytes("JPEG"))).kind == "jpg"
