"""The consolidated report as an Excel workbook (openpyxl).

Every cell goes through `SafeSheet.write_row`: text that a spreadsheet would read as a formula ("=", "+", "-",
"@") is stored as text with a quote prefix, never as a formula. Agencies type their results freely; a result
starting with "=HYPERLINK(...)" must open as the words they typed, not as a live link or a calculation.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from outputs.formatting import PROVINCE_PLACE
from portal.spreadsheets import FORMULA_STARTS
from reports.figures import HEADLINE, LABELS

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E2D0")
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER_ALIGN = Alignment(vertical="top", horizontal="right")
PLAIN_FONT = Font(name=FONT_NAME, size=12)
BOLD_FONT = Font(name=FONT_NAME, size=12, bold=True)
# Number formats are written with Excel's neutral symbols ("," thousands, "." decimals): a spreadsheet shows them
# with the reader's own separators, so on a Vietnamese computer 1234,5 reads "1.234,5" and 12.5% reads "12,5%".
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
YEAR_FORMAT = "0"
MAX_DECIMALS = 4
TITLE_ROW, SUBJECT_ROW, HEADER_ROW = 1, 2, 3


class Percent:
    """A share to store as a percentage (0.125 shown as 12,5%), given in percent as the documents print it."""

    def __init__(self, percent: Decimal):
        self.percent = Decimal(percent)

    @property
    def value(self) -> Decimal:
        return self.percent / 100

    @property
    def number_format(self) -> str:
        return "0%" if self.percent == self.percent.to_integral_value() else "0.0%"


def decimal_format(value) -> str:
    """ "#,##0" for whole numbers, else as many decimals as the value has (at most four): never a dangling comma."""
    number = Decimal(str(value)).normalize()
    decimals = min(max(-number.as_tuple().exponent, 0), MAX_DECIMALS)
    return INTEGER_FORMAT + ("." + "0" * decimals if decimals else "")


def safe_value(value):
    """The value to store: text cleaned of characters Excel refuses; numbers and dates as they are."""
    if isinstance(value, str):  # most cells: tried first
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if value is None:
        return None
    if isinstance(value, Percent):
        return value.value
    if isinstance(value, datetime.datetime):
        # Spreadsheets know no time zones: the time as read in Hưng Yên.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def number_format_of(value) -> str | None:
    if isinstance(value, Percent):
        return value.number_format
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, (Decimal, float)):
        return decimal_format(value)
    return None


def _cells_in_place(cells, row_idx):
    """The row of a write-only sheet, when every item appended is a prepared cell.

    openpyxl's own `_values_to_row` first tries each item as a plain value and takes it as a cell only through
    the ValueError that raises (formatting the cell's repr on the way): for the rows of `SafeSheet`, all cells,
    that was a third of the time of a workbook. Same result, placed directly (openpyxl 3.1's write-only API)."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column = col_idx
        cell.row = row_idx
        yield cell


class _Look(StyleArray):
    """A look that many cells share and nobody changes, with its index in the workbook's styles. openpyxl finds a
    cell's style there by hashing it, for every cell it writes: a shared look is hashed and found once."""

    __slots__ = ("_hash", "index")

    def __new__(cls, style, workbook):
        look = super().__new__(cls, style)
        look._hash = hash(tuple(look))
        look.index = workbook._cell_styles.add(look)
        return look

    def __hash__(self):
        return self._hash


class _LookCell(Cell):
    """A write-only cell given one of the sheet's looks: the look's index is written as the cell's style as it is
    (openpyxl's `style_id` looks it up again for each cell)."""

    __slots__ = ("style_id",)


class SafeSheet:
    """A worksheet written row by row: a title row naming the year and the province, the subject of the sheet,
    the column headers (bold, frozen, repeated on every printed page), then the data, with the print set-up.

    The sheet belongs to a write-only workbook (`Workbook(write_only=True)`): rows are streamed to the file as
    they are written and never kept as cell objects, so a province's workbook costs about what openpyxl needs to
    write its rows. Everything about the sheet itself (widths, frozen rows, print set-up, merged title cells) is
    therefore set before the first row.
    """

    def __init__(self, ws, headers: list[tuple[str, int]], *, title: str, subject: str):
        self.ws = ws
        # Every row appended here is made of prepared cells: place them as they are (see `_cells_in_place`).
        ws._values_to_row = _cells_in_place
        self.width = len(headers)
        self._looks: dict[tuple, _Look] = {}
        last = get_column_letter(self.width)
        for col, (_label, width) in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        total_width = sum(width for _label, width in headers)
        # Merged cells do not grow with their text: give a long subject the lines it needs.
        lines = max(1, -(-len(subject or "") * 11 // (10 * max(total_width, 1))))
        ws.row_dimensions[SUBJECT_ROW].height = 16 * lines + 2
        ws.row_dimensions[TITLE_ROW].height = 20
        if self.width > 1:
            for row in (TITLE_ROW, SUBJECT_ROW):
                ws.merged_cells.add(f"A{row}:{last}{row}")
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddHeader.center.text = title.replace("&", "&&")[:250]
        ws.oddFooter.center.text = "&P / &N"

        heading = Alignment(wrap_text=True, vertical="center", horizontal="left")
        for text, size in ((title, 14), (subject, 12)):
            cell = self._cell(text)
            cell.font = Font(name=FONT_NAME, bold=True, size=size)
            cell.alignment = heading
            ws.append([cell])
        header_cells = []
        for label, _width in headers:
            cell = self._cell(label)
            cell.font = BOLD_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = BORDER
            header_cells.append(cell)
        ws.append(header_cells)
        self.row = HEADER_ROW

    def _cell(self, value) -> WriteOnlyCell:
        stored = safe_value(value)
        cell = WriteOnlyCell(self.ws, value=stored)
        if isinstance(stored, str) and stored.startswith(FORMULA_STARTS):
            # Text, never a formula: openpyxl would otherwise store "=..." as one.
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell

    def write_row(self, values: list, *, bold: bool = False, formats: dict[int, str] | None = None) -> None:
        """One row; `formats` overrides the number format of some columns (counted from 0), e.g. a year.

        A workbook of a whole province holds hundreds of thousands of cells but only a handful of different
        looks: each look (bold or not, number format, number or text alignment, quote prefix) is built once per
        sheet and then given to every cell as the workbook's index of it, instead of a new Font per cell."""
        self.row += 1
        ws, looks = self.ws, self._looks
        formats = formats or {}
        cells = []
        for col, value in enumerate(values):
            stored = safe_value(value)
            cell = _LookCell(ws)
            if isinstance(stored, str):  # most cells are text: no number format of their own, never a number
                # What openpyxl's value setter does with text (Cell._bind_value, check_string), without its type
                # lookups: at most 32,767 characters (safe_value took out what Excel refuses), an error code
                # ("#N/A") as an error, and anything else as text: "=…" too, which would be a formula.
                stored = stored[:32767]
                cell._value = stored
                cell.data_type = "e" if stored in ERROR_CODES else "s"
                quoted = stored.startswith(FORMULA_STARTS)
                number_format = formats.get(col)
                is_number = False
            else:
                cell.value = stored  # numbers, dates and blanks: openpyxl's own setter
                quoted = False
                number_format = formats.get(col) or number_format_of(value)
                is_number = isinstance(value, (int, float, Decimal, Percent)) and not isinstance(value, bool)
            key = (bold, number_format, is_number, quoted)
            look = looks.get(key)
            if look is None:
                cell.font = BOLD_FONT if bold else PLAIN_FONT
                cell.border = BORDER
                if number_format:
                    cell.number_format = number_format
                cell.alignment = NUMBER_ALIGN if is_number else WRAP
                if quoted:
                    cell.quotePrefix = True
                look = looks[key] = _Look(cell._style, ws.parent)
            cell._style = look  # shared: a written cell is never changed again
            cell.style_id = look.index
            cells.append(cell)
        ws.append(cells)


def new_workbook() -> Workbook:
    """A write-only workbook: its sheets stream their rows to the file (see `SafeSheet`)."""
    return Workbook(write_only=True)


def _sheet(wb: Workbook, name: str, headers, *, title: str, subject: str) -> SafeSheet:
    ws = wb.create_sheet(title=name[:31])
    return SafeSheet(ws, headers, title=title, subject=subject)


def _text(lines: list[str]) -> str:
    return "\n".join(lines)


def consolidated_workbook(document) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _consolidated_workbook(document)


def _consolidated_workbook(document) -> bytes:
    wb = new_workbook()
    wb.properties.title = document.summary
    wb.properties.creator = document.consolidating_agency
    title = _("Consolidated report %(year)s – %(province)s province") % {
        "year": document.year,
        "province": PROVINCE_PLACE,
    }

    _summary_sheet(wb, document, title)
    _groups_sheet(wb, document, title)
    _indicators_sheet(wb, document, title)
    _values_sheet(wb, document, title)
    _timeliness_sheet(wb, document, title)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _summary_sheet(wb: Workbook, document, title: str) -> None:
    """The first sheet: what the report is, the figures of the year under their one word each, the texts."""
    summary = _sheet(
        wb,
        pgettext("sheet", "Summary"),
        [(pgettext("summary column", "Item"), 34), (_("Content"), 110)],
        title=title,
        subject=document.summary,
    )
    figures = document.figures
    year_label = pgettext("document", "Reporting year")
    for label, value in [
        (_("Report"), document.summary),
        (year_label, document.year),
        (_("Consolidating agency"), document.consolidating_agency),
        (_("Document implemented"), document.directive),
        *[(str(LABELS[key]), figures[key]) for key in HEADLINE],
        (_("Reporting by the agencies"), _text(document.status_lines)),
        (_("Overall assessment"), _text(document.assessment)),
        (_("Difficulties and obstacles"), _text(document.difficulties)),
        (_("Proposals and recommendations"), _text(document.proposals)),
        (_("Exported"), timezone.now()),
    ]:
        summary.write_row([label, value], formats={1: YEAR_FORMAT} if label == year_label else None)


def _groups_sheet(wb: Workbook, document, title: str) -> None:
    """One sheet per task group: a row per accepted agency and task, as the PDF's body has them."""
    for group in document.groups:
        sheet = _sheet(
            wb,
            _("Group %(number)s") % {"number": group.number},
            [
                (pgettext("row number", "No."), 6),
                (_("Task"), 8),
                (_("Text of the task"), 40),
                (pgettext("document", "Agency"), 30),
                (pgettext("document", "Implementation status"), 18),
                (_("Results achieved"), 60),
                (_("Difficulties and obstacles"), 40),
                (_("Proposals and recommendations"), 40),
            ],
            title=title,
            subject=f"{_('Group %(number)s') % {'number': group.number}}: {group.heading}",
        )
        number = 0
        for task in group.tasks:
            for entry in task.entries:
                number += 1
                sheet.write_row(
                    [
                        number,
                        task.code,
                        task.text,
                        entry.agency,
                        entry.status,
                        _text(entry.results),
                        _text(entry.difficulties),
                        _text(entry.proposals),
                    ]
                )


def _indicators_sheet(wb: Workbook, document, title: str) -> None:
    """Each indicator's provincial total against the year's target (the PDF's table of totals)."""
    indicators = _sheet(
        wb,
        _("Indicators"),
        [
            (pgettext("row number", "No."), 6),
            (_("Task"), 8),
            (_("Indicator"), 50),
            (_("Unit"), 12),
            (pgettext("document", "Provincial total"), 18),
            (_("Agencies reporting"), 12),
            (_("Total"), 16),
            (pgettext("document", "Target for the year"), 16),
            (_("Achieved (%)"), 12),
        ],
        title=title,
        subject=_("Indicator totals against the targets of the year"),
    )
    for number, total in enumerate(document.totals, start=1):
        achieved = None
        if total.raw_total is not None and total.raw_target:
            achieved = Percent(round(total.raw_total * 100 / total.raw_target, 1))
        indicators.write_row(
            [
                number,
                total.task_code,
                total.name,
                total.unit,
                _("Sum over agencies") if total.summed else _("Per agency only"),
                total.reporting,
                total.raw_total,
                total.raw_target,
                achieved,
            ]
        )


def _values_sheet(wb: Workbook, document, title: str) -> None:
    """Every indicator value each accepted agency reported."""
    values = _sheet(
        wb,
        _("Indicators by agency"),
        [
            (pgettext("row number", "No."), 6),
            (_("Task"), 8),
            (_("Indicator"), 50),
            (_("Unit"), 12),
            (pgettext("document", "Agency"), 34),
            (_("Value"), 16),
            (_("Note"), 30),
        ],
        title=title,
        subject=_("Indicator values reported by each agency"),
    )
    number = 0
    for group in document.groups:
        for task in group.tasks:
            for entry in task.entries:
                for ind in entry.indicators:
                    number += 1
                    values.write_row(
                        [number, task.code, ind.name, ind.unit, entry.agency, ind.number, ind.note]
                    )


def _timeliness_sheet(wb: Workbook, document, title: str) -> None:
    """Appendix I: every agency that owes a report, its state, timeliness and acceptance."""
    timeliness = _sheet(
        wb,
        pgettext("sheet", "Timeliness"),
        [
            (pgettext("row number", "No."), 6),
            (pgettext("document", "Agency"), 40),
            (_("Report state"), 16),
            (_("First submitted"), 16),
            (_("Days late"), 12),
            (pgettext("document", "Timeliness"), 18),
            (_("Accepted on"), 16),
            (_("Compiled"), 12),
        ],
        title=title,
        subject=_("Completeness and timeliness of the agencies' reports"),
    )
    for number, row in enumerate(document.timeliness, start=1):
        timeliness.write_row(
            [
                number,
                row.agency,
                row.state,
                row.first_submitted_date,
                row.days_late,
                row.timeliness,
                row.accepted_date,
                _("Yes") if row.compiled else _("No"),
            ]
        )
