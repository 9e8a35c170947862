"""Evidence files are judged by their content, not their name; size is capped by settings."""

import pytest

from reports.evidence import EvidenceRejected, check_evidence_file, clean_file_name
from tests.reports.conftest import (
    docx_bytes,
    exe_bytes,
    image_bytes,
    pdf_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Biên bản hội nghị.pdf", pdf_bytes(), "pdf"),
        ("Kế hoạch.docx", docx_bytes(), "docx"),
        ("Số liệu.xlsx", xlsx_bytes(), "xlsx"),
        ("Ảnh hội nghị.JPG", image_bytes("JPEG"), "jpg"),
        ("anh.jpeg", image_bytes("JPEG"), "jpg"),
        ("Sơ đồ.png", image_bytes("PNG"), "png"),
    ],
)
def test_each_allowed_type_is_accepted_by_its_content(name, content, kind):
    checked = check_evidence_file(upload(name, content))
    assert checked.kind == kind
    assert checked.name == name
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def test_a_renamed_executable_is_refused():
    with pytest.raises(EvidenceRejected) as error:
        check_evidence_file(upload("bao-cao.pdf", exe_bytes()))
    assert "bao-cao.pdf" in error.value.message
    assert "EXE" in error.value.message


def test_a_plain_zip_renamed_to_docx_is_refused():
    with pytest.raises(EvidenceRejected):
        check_evidence_file(upload("ke-hoach.docx", zip_bytes()))


def test_a_text_file_named_pdf_is_refused():
    with pytest.raises(EvidenceRejected):
        check_evidence_file(upload("bao-cao.pdf", b"Day khong phai PDF, chi la van ban thuong.\n" * 10))


def test_a_pdf_named_docx_is_refused_for_the_mismatch():
    with pytest.raises(EvidenceRejected) as error:
        check_evidence_file(upload("ke-hoach.docx", pdf_bytes()))
    assert ".docx" in error.value.message


def test_an_extension_outside_the_list_is_refused_even_with_good_content():
    with pytest.raises(EvidenceRejected):
        check_evidence_file(upload("bao-cao.exe", pdf_bytes()))


def test_an_empty_file_is_refused():
    with pytest.raises(EvidenceRejected):
        check_evidence_file(upload("trong.pdf", b""))


def test_a_file_over_the_configured_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    content = pdf_bytes()
    assert len(content) > 1024
    with pytest.raises(EvidenceRejected) as error:
        check_evidence_file(upload("lon.pdf", content))
    assert "lon.pdf" in error.value.message


def test_folder_parts_are_dropped_and_long_names_keep_their_extension():
    assert clean_file_name("C:\\Users\\lan\\Biên bản.pdf") == "Biên bản.pdf"
    long_name = "a" * 300 + ".pdf"
    cleaned = clean_file_name(long_name)
    assert len(cleaned) == 255 and cleaned.endswith(".pdf")


def test_control_characters_are_dropped_from_the_name():
    assert clean_file_name("Biên bản\r\nSet-Cookie: x.pdf") == "Biên bảnSet-Cookie: x.pdf"
