"""The official documents as Word files: Decree 30 layout, real styles and tables, same access as the PDFs."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from audit.models import Action, AuditEntry
from outputs.documents import agency_report_document, consolidated_document
from outputs.docx import render_docx
from outputs.selectors import latest_version
from tests.outputs.conftest import accept, assert_in_order, pdftotext, submit
from tests.outputs.test_consolidated import province, save_text  # noqa: F401 - the fixture is used below

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def agency_docx(world, submitted_a, client_for) -> bytes:
    response = client_for(world.staff_a).get(reverse("outputs:agency_docx", kwargs={"pk": submitted_a.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-sct-{world.year.year}.docx"'
    return response.content


def all_text(document) -> str:
    """The text of the body in reading order, tables included."""
    return "\n".join(
        "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        for paragraph in document.element.body.iter(qn("w:p"))
    )


def test_the_word_file_is_a4_with_the_decree_margins_and_numbers_from_page_two(agency_docx):
    document = Document(io.BytesIO(agency_docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                      section.right_margin)]
    top, bottom, left, right = margins
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20, margins
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_the_word_file_uses_named_styles_in_times_new_roman(agency_docx):
    document = Document(io.BytesIO(agency_docx))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    used = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "Normal"} <= used
    assert "w:txbxContent" not in document.element.xml  # no text boxes


def test_the_heading_body_and_ending_follow_the_decree_30_layout(agency_docx, world):
    document = Document(io.BytesIO(agency_docx))
    letterhead, ending = document.tables[0], document.tables[-2]
    left, right = (cell.text for cell in letterhead.rows[0].cells)
    assert_in_order(left, "UBND TỈNH HƯNG YÊN", "SỞ CÔNG THƯƠNG", "Số:", "/BC-SCT")
    assert_in_order(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hưng Yên, ngày")
    assert "w:tblBorders" in letterhead._tbl.xml and 'w:val="nil"' in letterhead._tbl.xml
    text = all_text(document)
    assert_in_order(text, "BÁO CÁO", "Kết quả thực hiện Chỉ thị", "Nhiệm vụ", "Trên đây là báo cáo", "Nơi nhận")
    recipients, signature = (cell.text for cell in ending.rows[0].cells)
    assert recipients.startswith("Nơi nhận:")
    assert signature.startswith("KT. GIÁM ĐỐC")
    # The appendix table is a real Word table with its header row repeated on every page.
    appendix = document.tables[-1]
    assert appendix.style.name == "Table Grid"
    assert "w:tblHeader" in appendix._tbl.xml
    assert len(appendix.rows) > 1


def test_the_closing_recipients_and_signature_are_kept_together(agency_docx):
    document = Document(io.BytesIO(agency_docx))
    closing = next(p for p in document.paragraphs if p.text.startswith("Trên đây là báo cáo"))
    assert closing.paragraph_format.keep_with_next or closing.style.paragraph_format.keep_with_next
    ending = document.tables[-2]
    assert "w:cantSplit" in ending._tbl.xml


def test_the_demonstration_mark_is_where_the_pdf_has_it(world, submitted_a, settings):
    version = latest_version(submitted_a)
    settings.DEMO_MODE = True
    marked = Document(io.BytesIO(render_docx(agency_report_document(submitted_a, version))))
    for header in (marked.sections[0].header, marked.sections[0].first_page_header):
        assert "BẢN MINH HỌA" in "\n".join(p.text for p in header.paragraphs)
    settings.DEMO_MODE = False
    plain = Document(io.BytesIO(render_docx(agency_report_document(submitted_a, version))))
    assert len(plain.sections[0].header.paragraphs) == 1


def test_the_word_file_is_refused_to_another_agency_and_before_submission(world, submitted_a, client_for):
    url = reverse("outputs:agency_docx", kwargs={"pk": submitted_a.pk})
    assert client_for(world.staff_b).get(url).status_code == 404
    draft = reverse("outputs:agency_docx", kwargs={"pk": world.report_b.pk})
    assert client_for(world.staff_b).get(draft).status_code == 302


def test_downloading_the_word_file_is_audited(world, submitted_a, client_for):
    client_for(world.reviewer).get(reverse("outputs:agency_docx", kwargs={"pk": submitted_a.pk}))
    entry = AuditEntry.objects.filter(action=Action.EXPORT_GENERATED).latest("pk")
    assert entry.message.endswith(".docx") and entry.actor == world.reviewer


def test_the_consolidated_word_file_has_both_appendices(province, client_for):  # noqa: F811
    save_text(province)
    response = client_for(province.leader).get(
        reverse("outputs:consolidated_docx", kwargs={"year": province.year.year})
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = all_text(document)
    assert_in_order(
        text, "BÁO CÁO", "Nguồn lực còn hạn chế.", "Trên đây", "Nơi nhận", "PHỤ LỤC I", "PHỤ LỤC II"
    )
    assert "Sở Công Thương" in document.tables[-2].cell(1, 1).text or any(
        "Sở Công Thương" in row.cells[1].text for row in document.tables[-2].rows
    )


def test_an_agency_user_cannot_download_the_consolidated_word_file(world, client_for):
    url = reverse("outputs:consolidated_docx", kwargs={"year": world.year.year})
    assert client_for(world.staff_a).get(url).status_code == 403


def test_export_report_writes_word_files(world, submitted_a, tmp_path):
    target = tmp_path / "sct.docx"
    call_command("export_report", "--year", str(world.year.year), "--format", "docx", "--agency", "SCT",
                 "--output", str(target))
    assert "SỞ CÔNG THƯƠNG" in all_text(Document(target))
    whole = tmp_path / "tong-hop.docx"
    call_command("export_report", "--year", str(world.year.year), "--format", "docx", "--output", str(whole))
    assert "BÁO CÁO" in all_text(Document(whole))


# --- Opened by LibreOffice: no repair, every part of the layout, the signature never alone ---------------------


def soffice_convert(files: list[Path], folder: Path) -> None:
    """Convert the files to PDF in one LibreOffice run (its start-up is most of the time)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not installed: make test installs it with the test packages")
    profile = folder / "libreoffice-profile"
    subprocess.run(
        [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )
    missing = [f.name for f in files if not f.with_suffix(".pdf").exists()]
    assert not missing, f"LibreOffice could not open {missing}"


def soffice_pdf(content: bytes, suffix: str, tmp_path: Path) -> bytes:
    source = tmp_path / f"document{suffix}"
    source.write_bytes(content)
    soffice_convert([source], tmp_path)
    return source.with_suffix(".pdf").read_bytes()


def last_body_page(pdf: bytes) -> str:
    """The text of the page where the body ends (the appendices follow on pages of their own)."""
    pages = pdftotext(pdf).split("\f")
    return next(page for page in pages if "Nơi nhận" in page)


@pytest.mark.slow
def test_libreoffice_opens_the_agency_word_file_with_the_whole_layout(world, tmp_path):
    # Long answers push the ending towards a page break, as a real report would.
    report = submit(world.report_a, results="\n".join(["Đã triển khai đầy đủ các nội dung được giao. " * 6] * 4),
                    difficulties="Thiếu kinh phí.", proposals="Bổ sung kinh phí.", value=12)
    document = agency_report_document(report, latest_version(report))
    text = " ".join(pdftotext(soffice_pdf(render_docx(document), ".docx", tmp_path)).split())
    assert_in_order(
        text, "UBND TỈNH HƯNG YÊN", "SỞ CÔNG THƯƠNG", "Số:", "/BC-SCT", "BÁO CÁO", document.summary,
        "Nhiệm vụ", "Trên đây là báo cáo", "Nơi nhận", "KT. GIÁM ĐỐC", "PHỤ LỤC",
    )
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hưng Yên, ngày"):
        assert part in text
    ending = last_body_page(soffice_pdf(render_docx(document), ".docx", tmp_path))
    assert "Trên đây là báo cáo" in ending and "KT. GIÁM ĐỐC" in ending


@pytest.mark.slow
def test_libreoffice_opens_the_consolidated_word_file_and_workbook(province, tmp_path):  # noqa: F811
    from outputs.xlsx import consolidated_workbook

    save_text(province)
    document = consolidated_document(province.year)
    text = " ".join(pdftotext(soffice_pdf(render_docx(document), ".docx", tmp_path)).split())
    assert_in_order(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Trên đây", "Nơi nhận", "PHỤ LỤC I",
                    "PHỤ LỤC II")
    ending = last_body_page(soffice_pdf(render_docx(document), ".docx", tmp_path))
    assert "Trên đây" in ending and "Phạm Văn Khánh" in ending
    sheet_text = pdftotext(soffice_pdf(consolidated_workbook(document), ".xlsx", tmp_path))
    assert "Sở Công Thương" in sheet_text


# One more line of answer at a time moves the ending down a whole page: somewhere it meets the foot of the page.
LINES_PER_PAGE = 36


def growing_documents(world):
    report = submit(world.report_a, results="Đã triển khai.", value=12)
    document = agency_report_document(report, latest_version(report))
    for lines in range(LINES_PER_PAGE):
        document.groups[0].tasks[0].results = ["Đã triển khai đầy đủ các nội dung."] * lines
        yield lines, document


def test_in_the_pdf_the_closing_sentence_always_stands_with_the_signature(world):
    from outputs.pdf import render_pdf

    for lines, document in growing_documents(world):
        ending = last_body_page(render_pdf(document)[0])
        assert "Trên đây là báo cáo" in ending and "Trần Văn Minh" in ending, f"{lines} lines: {ending}"


@pytest.mark.slow
def test_in_word_the_closing_sentence_always_stands_with_the_signature(world, tmp_path):
    files = []
    for lines, document in growing_documents(world):
        files.append(tmp_path / f"report-{lines:02d}.docx")
        files[-1].write_bytes(render_docx(document))
    soffice_convert(files, tmp_path)
    for source in files:
        ending = last_body_page(source.with_suffix(".pdf").read_bytes())
        assert "Trên đây là báo cáo" in ending and "Trần Văn Minh" in ending, f"{source.name}: {ending}"


def test_in_the_consolidated_pdf_the_closing_sentence_stands_with_the_signature(province):  # noqa: F811
    from outputs.pdf import render_pdf

    save_text(province)
    pdf, _pages = render_pdf(consolidated_document(province.year))
    ending = last_body_page(pdf)
    assert "Trên đây" in ending and "Phạm Văn Khánh" in ending


def test_accepted_reports_give_word_files_to_reviewers(world, client_for):
    report = accept(world.report_b, world.reviewer)
    response = client_for(world.reviewer).get(reverse("outputs:agency_docx", kwargs={"pk": report.pk}))
    assert response.status_code == 200
