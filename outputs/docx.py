"""The official documents as Word files in the Decree 30/2020/NĐ-CP layout, from the same document data as the PDFs.

A Word file is where a report is finished in an office: edited, annotated, then issued. So the layout is made
of what an editor can change once for the whole document — named styles for the body, headings, tables,
letterhead and signature — and of plain tables (the letterhead and the signature block are borderless ones),
never text boxes. Page numbers are a PAGE field in the header, shown from the second page as the decree asks.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from outputs.documents import AgencyReportDocument, ConsolidatedDocument

FONT = "Times New Roman"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Style names an editor sees in Word's style list.
BODY, DASH, CLOSING = "Normal", "Báo cáo - gạch đầu dòng", "Báo cáo - câu kết"
TITLE, SUMMARY = "Báo cáo - tên loại", "Báo cáo - trích yếu"
HEAD, HEAD_BOLD, HEAD_ITALIC = "Báo cáo - tiêu đề", "Báo cáo - tiêu đề đậm", "Báo cáo - địa danh"
RECIPIENTS, RECIPIENTS_HEADING, SIGNATURE = "Báo cáo - nơi nhận", "Báo cáo - nơi nhận tiêu đề", "Báo cáo - chữ ký"
CELL, CELL_HEADER, APPENDIX = "Báo cáo - ô bảng", "Báo cáo - tiêu đề bảng", "Báo cáo - phụ lục"
GRID = "Table Grid"


def render_docx(document) -> bytes:
    """The Word file of an agency's report or of the consolidated report."""
    with translation.override(settings.LANGUAGE_CODE):
        word = _new_document(document)
        _letterhead(word, document.letterhead)
        word.add_paragraph(_("REPORT"), style=TITLE)
        word.add_paragraph(document.summary, style=SUMMARY)
        _rule(word.add_paragraph(style=SUMMARY), width_mm=40).paragraph_format.space_after = Pt(12)
        word.add_paragraph(document.intro)
        if isinstance(document, AgencyReportDocument):
            _agency_body(word, document)
        elif isinstance(document, ConsolidatedDocument):
            _consolidated_body(word, document)
        else:  # pragma: no cover - a new document kind needs its body here
            raise TypeError(type(document).__name__)
        _ending(word, document)
        if isinstance(document, AgencyReportDocument):
            _agency_appendix(word, document)
        else:
            _consolidated_appendices(word, document)
        buffer = io.BytesIO()
        word.save(buffer)
        return buffer.getvalue()


def docx_filename(document) -> str:
    stem = document.filename.rsplit(".", 1)[0] if hasattr(document, "filename") else document.filename_stem
    return f"{stem}.docx"


# --- page, styles, header -------------------------------------------------------------------------------------


def _new_document(document):
    word = Document()
    props = word.core_properties
    props.title, props.author, props.language = document.summary, "", "vi-VN"
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    _styles(word)
    _page_number_header(section, demo=document.demo)
    return word


def _font(style, *, size: float, bold=False, italic=False):
    style.font.name, style.font.size = FONT, Pt(size)
    style.font.bold, style.font.italic = bold, italic
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    # Headings of the default template take the theme's font, which would win over the one named here.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _paragraph_style(word, name, *, size=14, bold=False, italic=False, align=None, indent=0, before=0, after=6):
    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles[BODY]
    _font(style, size=size, bold=bold, italic=italic)
    fmt = style.paragraph_format
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(indent)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    return style


def _styles(word):
    normal = word.styles[BODY]
    _font(normal, size=14)
    fmt = normal.paragraph_format
    fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.JUSTIFY, Mm(10)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    fmt.widow_control = True
    for level in (1, 2, 3):
        heading = word.styles[f"Heading {level}"]
        _font(heading, size=14, bold=level < 3)
        hfmt = heading.paragraph_format
        hfmt.alignment, hfmt.first_line_indent = WD_ALIGN_PARAGRAPH.JUSTIFY, Mm(10)
        hfmt.space_before, hfmt.space_after, hfmt.keep_with_next = Pt(6), Pt(6), True
    _paragraph_style(word, DASH, indent=10)
    closing = _paragraph_style(word, CLOSING, indent=10, before=6)
    closing.paragraph_format.keep_with_next = True
    _paragraph_style(word, TITLE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    _paragraph_style(word, SUMMARY, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    for name, size, bold, italic in (
        (HEAD, 13, False, False),
        (HEAD_BOLD, 13, True, False),
        (HEAD_ITALIC, 14, False, True),
    ):
        style = _paragraph_style(word, name, size=size, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.CENTER)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = 1.0
    for name, size, bold, italic, align in (
        (RECIPIENTS_HEADING, 12, True, True, WD_ALIGN_PARAGRAPH.LEFT),
        (RECIPIENTS, 11, False, False, WD_ALIGN_PARAGRAPH.LEFT),
        (SIGNATURE, 14, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    ):
        style = _paragraph_style(word, name, size=size, bold=bold, italic=italic, align=align, after=0)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.keep_together = True
        style.paragraph_format.line_spacing = 1.0
    _paragraph_style(word, CELL, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _paragraph_style(word, CELL_HEADER, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    appendix = _paragraph_style(word, APPENDIX, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    appendix.paragraph_format.keep_with_next = True
    grid = word.styles[GRID]
    _font(grid, size=12)


def _field(paragraph, instruction: str):
    """A field Word computes when it shows the page (PAGE), with a placeholder value until then."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _page_number_header(section, *, demo: bool):
    header = section.header.paragraphs[0]
    header.style.font.name = FONT
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(header, "PAGE")
    if demo:
        for part in (section.header, section.first_page_header):
            mark = part.add_paragraph() if part is section.header else part.paragraphs[0]
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = mark.add_run(_("DEMONSTRATION COPY"))
            run.font.size, run.font.color.rgb = Pt(8), RGBColor(0x8A, 0x8A, 0x8A)


def _rule(paragraph, *, width_mm: float, column_mm: float = 165):
    """A short centred line under a heading line: a bottom border on a paragraph indented from both sides."""
    side = Mm(max(column_mm - width_mm, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.first_line_indent = Mm(0)
    paragraph.paragraph_format.space_after = Pt(6)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    run = paragraph.add_run()
    run.font.size = Pt(2)
    return paragraph


# --- tables ---------------------------------------------------------------------------------------------------


def _borderless(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _row_flags(row, *, header=False):
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _cell_text(cell, lines, style, *, widths=None):
    lines = lines if isinstance(lines, list) else [lines]
    first = cell.paragraphs[0]
    first.style = style
    first.text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line, style=style)
    return cell


def _set_widths(table, widths_mm):
    """Column widths in the table grid (what LibreOffice reads) and in every cell (what Word reads)."""
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _two_columns(word, widths_mm):
    table = word.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    _set_widths(table, widths_mm)
    _row_flags(table.rows[0])
    return table


def _grid(word, headers, rows, *, widths_mm, numeric=()):
    table = word.add_table(rows=1, cols=len(headers))
    table.style = word.styles[GRID]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row_flags(table.rows[0], header=True)
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, CELL_HEADER)
    for values in rows:
        row = table.add_row()
        _row_flags(row)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = _cell_text(cell, str(value), CELL).paragraphs[0]
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_widths(table, widths_mm)
    return table


# --- parts of the layout --------------------------------------------------------------------------------------


def _letterhead(word, head):
    table = _two_columns(word, (65, 100))
    left, right = table.rows[0].cells
    lines = [head.superior] if head.superior else []
    _cell_text(left, lines or head.issuer[:1], HEAD)
    for line in head.issuer[0 if lines else 1 :]:
        left.add_paragraph(line, style=HEAD_BOLD)
    if not lines:
        left.paragraphs[0].style = HEAD_BOLD
    _rule(left.add_paragraph(style=HEAD), width_mm=25, column_mm=65)
    left.add_paragraph(head.number, style=HEAD)
    _cell_text(right, _("SOCIALIST REPUBLIC OF VIET NAM"), HEAD_BOLD).paragraphs[0].runs[0].font.size = Pt(12.5)
    right.add_paragraph(_("Independence - Freedom - Happiness"), style=HEAD_BOLD).runs[0].font.size = Pt(14)
    _rule(right.add_paragraph(style=HEAD), width_mm=60, column_mm=100)
    right.add_paragraph(head.place_date, style=HEAD_ITALIC)


def _dash(word, label: str, lines: list[str]):
    """"- Label: text" as the PDF writes it, further paragraphs of the same answer below it."""
    paragraph = word.add_paragraph(style=DASH)
    paragraph.add_run(f"- {label}").italic = True
    if len(lines) == 1:
        paragraph.add_run(f" {lines[0]}")
    for line in lines if len(lines) > 1 else []:
        word.add_paragraph(line, style=DASH)


def _ending(word, document):
    """The closing sentence, the recipients and the signature: kept on one page, never the signature alone."""
    word.add_paragraph(document.closing, style=CLOSING)
    table = _two_columns(word, (75, 90))
    recipients, signature = table.rows[0].cells
    _cell_text(recipients, _("Recipients:"), RECIPIENTS_HEADING)
    for line in document.recipients:
        recipients.add_paragraph(f"- {line}", style=RECIPIENTS)
    _cell_text(signature, document.signature.lines or [""], SIGNATURE)
    for _blank in range(4):
        signature.add_paragraph("", style=SIGNATURE)
    last = signature.add_paragraph(document.signature.name, style=SIGNATURE)
    last.paragraph_format.keep_with_next = False
    recipients.paragraphs[-1].paragraph_format.keep_with_next = False


def _appendix_title(word, lines: list[str], reference: str):
    first = word.add_paragraph(lines[0], style=APPENDIX)
    first.paragraph_format.page_break_before = True
    for line in lines[1:]:
        word.add_paragraph(line, style=APPENDIX)
    reference_paragraph = word.add_paragraph(reference, style=HEAD_ITALIC)
    reference_paragraph.paragraph_format.space_after = Pt(12)
    reference_paragraph.paragraph_format.keep_with_next = True


def _task_heading(word, code: str, text: str):
    heading = word.add_paragraph(style="Heading 3")
    heading.add_run(_("Task %(code)s:") % {"code": code}).bold = True
    heading.add_run(f" {text}").italic = True


def _group_heading(word, index: int, group):
    word.add_paragraph(
        f"{index}. " + _("Task group %(number)s: %(heading)s") % {"number": group.number, "heading": group.heading},
        style="Heading 2",
    )


def _agency_body(word, document: AgencyReportDocument):
    word.add_paragraph(_("I. RESULTS OF THE ASSIGNED TASKS"), style="Heading 1")
    for index, group in enumerate(document.groups, start=1):
        _group_heading(word, index, group)
        for task in group.tasks:
            _task_heading(word, task.code, task.text)
            _dash(word, _("Implementation status:"), [f"{task.status or '—'}."])
            _dash(word, _("Results achieved:"), task.results)
            if task.difficulties:
                _dash(word, _("Difficulties and obstacles:"), task.difficulties)
            if task.proposals:
                _dash(word, _("Proposals and recommendations:"), task.proposals)
            for indicator in task.indicators:
                _dash(word, f"{indicator.name}:", [indicator.detail])
            if task.evidence:
                _dash(word, _("Evidence attached:"), ["; ".join(task.evidence) + "."])
    word.add_paragraph(_("II. DOCUMENTS ISSUED AND COMMUNICATION ACTIVITIES"), style="Heading 1")
    for index, (table, empty) in enumerate(
        (
            (document.documents, _("No document was reported.")),
            (document.activities, _("No activity was reported.")),
        ),
        start=1,
    ):
        word.add_paragraph(f"{index}. {table.caption}", style="Heading 2")
        if table.rows:
            widths = (12, 35, 25, 35, 58) if len(table.headers) == 5 else (12, 98, 25, 30)
            numeric = {i for i, cls in enumerate(table.classes) if cls == "num"}
            _grid(word, table.headers, table.rows, widths_mm=widths, numeric=numeric)
        else:
            word.add_paragraph(empty)


def _agency_appendix(word, document: AgencyReportDocument):
    _appendix_title(
        word, [_("APPENDIX"), _("TASKS, IMPLEMENTATION STATUS AND INDICATORS")], document.appendix_reference
    )
    rows = []
    for index, row in enumerate(document.appendix, start=1):
        task = f"{row['code']}. {row['text']}"
        status = row["status"] or "—"
        if not row["indicators"]:
            rows.append([str(index), task, status, "—", "", "", ""])
        for number, ind in enumerate(row["indicators"]):
            first = number == 0
            rows.append(
                [
                    str(index) if first else "",
                    task if first else "",
                    status if first else "",
                    ind.name,
                    ind.unit,
                    ind.value or "—",
                    ind.target or "—",
                ]
            )
    headers = [
        pgettext("row number", "No."),
        _("Task"),
        pgettext("document", "Implementation status"),
        _("Indicator"),
        _("Unit"),
        _("Result"),
        _("Provincial target"),
    ]
    _grid(word, headers, rows, widths_mm=(12, 48, 25, 35, 15, 15, 15), numeric={5, 6})


def _consolidated_body(word, document: ConsolidatedDocument):
    word.add_paragraph(_("I. REPORTING BY THE AGENCIES"), style="Heading 1")
    for line in document.status_lines:
        word.add_paragraph(line)
    word.add_paragraph(_("II. RESULTS OF THE ASSIGNED TASKS"), style="Heading 1")
    for index, group in enumerate(document.groups, start=1):
        _group_heading(word, index, group)
        for task in group.tasks:
            _task_heading(word, task.code, task.text)
            if not task.entries:
                word.add_paragraph(_("No accepted report covers this task yet."))
                continue
            word.add_paragraph(f"{_('Implementation status:')} {task.status_summary}.")
            for total in task.totals:
                word.add_paragraph(total.sentence)
            for entry in task.entries:
                paragraph = word.add_paragraph(style=DASH)
                paragraph.add_run("- ")
                paragraph.add_run(entry.agency).bold = True
                text = f" ({entry.status or '—'}):"
                for part in (entry.results_text, entry.indicators_text):
                    text += f" {part}" if part else ""
                paragraph.add_run(text)
                for label, part in ((_("Difficulties:"), entry.difficulties_text), (_("Proposals:"), entry.proposals_text)):
                    if part:
                        paragraph.add_run(f" {label}").italic = True
                        paragraph.add_run(f" {part}")
    for heading, lines, missing in (
        (_("III. OVERALL ASSESSMENT"), document.assessment, _("(The overall assessment has not been written yet.)")),
        (_("IV. DIFFICULTIES AND OBSTACLES"), document.difficulties, _("(The difficulties have not been written yet.)")),
        (_("V. PROPOSALS AND RECOMMENDATIONS"), document.proposals, _("(The proposals have not been written yet.)")),
    ):
        word.add_paragraph(heading, style="Heading 1")
        for line in lines or [missing]:
            word.add_paragraph(line)


def _consolidated_appendices(word, document: ConsolidatedDocument):
    _appendix_title(
        word,
        [_("APPENDIX I"), _("REPORTING BY THE AGENCIES: COMPLETENESS AND TIMELINESS")],
        document.appendix_reference,
    )
    _grid(
        word,
        [
            pgettext("row number", "No."),
            pgettext("document", "Agency"),
            _("Report state"),
            _("First submitted"),
            pgettext("document", "Timeliness"),
            _("Accepted on"),
        ],
        [
            [str(i), row.agency, row.state, row.first_submitted or "—", row.timeliness, row.accepted or "—"]
            for i, row in enumerate(document.timeliness, start=1)
        ],
        widths_mm=(12, 53, 28, 24, 24, 24),
    )
    _appendix_title(
        word, [_("APPENDIX II"), _("INDICATOR TOTALS AGAINST TARGETS")], document.appendix_reference
    )
    _grid(
        word,
        [
            pgettext("row number", "No."),
            _("Task"),
            _("Indicator"),
            _("Unit"),
            _("Agencies reporting"),
            _("Total"),
            pgettext("document", "Target for the year"),
            pgettext("document", "Achieved"),
        ],
        [
            [
                str(i),
                total.task_code,
                total.name,
                total.unit,
                str(total.reporting),
                (total.total or "—") if total.summed else _("per agency"),
                total.target or "—",
                total.achieved or "—",
            ]
            for i, total in enumerate(document.totals, start=1)
        ],
        widths_mm=(12, 15, 48, 18, 18, 18, 18, 18),
        numeric={4, 5, 6, 7},
    )


__all__ = ["CONTENT_TYPE", "docx_filename", "render_docx"]
