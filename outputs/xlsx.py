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
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E2D0")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0.####"


def safe_value(value):
    """The value to store: text cleaned of characters Excel refuses; numbers and dates as they are."""
    if value is None:
        return None
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


class SafeSheet:
    """A worksheet written row by row, with the portal's header style and print set-up."""

    def __init__(self, ws: Worksheet, headers: list[tuple[str, int]], *, title: str):
        self.ws = ws
        self.row = 1
        for col, (label, width) in enumerate(headers, start=1):
            cell = self._put(1, col, label)
            cell.font = Font(name=FONT_NAME, bold=True, size=12)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = BORDER
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddHeader.center.text = title.replace("&", "&&")[:250]
        ws.oddFooter.center.text = "&P / &N"
        self.width = len(headers)

    def _put(self, row: int, col: int, value):
        cell = self.ws.cell(row=row, column=col)
        value = safe_value(value)
        cell.value = value
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            # Text, never a formula: openpyxl would otherwise store "=..." as one.
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell

    def write_row(self, values: list, *, bold: bool = False) -> None:
        self.row += 1
        for col, value in enumerate(values, start=1):
            cell = self._put(self.row, col, value)
            cell.font = Font(name=FONT_NAME, size=12, bold=bold)
            cell.alignment = WRAP
            cell.border = BORDER
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, (Decimal, float)):
                cell.number_format = NUMBER_FORMAT


def _sheet(wb: Workbook, name: str, headers, *, title: str) -> SafeSheet:
    ws = wb.create_sheet(title=name[:31])
    return SafeSheet(ws, headers, title=title)


def _text(lines: list[str]) -> str:
    return "\n".join(lines)


def consolidated_workbook(document) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _consolidated_workbook(document)


def _consolidated_workbook(document) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = document.summary
    wb.properties.creator = document.consolidating_agency
    title = _("Consolidated report %(year)s") % {"year": document.year}

    summary = _sheet(wb, pgettext("sheet", "Summary"), [(_("Item"), 34), (_("Content"), 110)], title=title)
    figures = document.figures
    for label, value in [
        (_("Report"), document.summary),
        (pgettext("document", "Reporting year"), document.year),
        (_("Consolidating agency"), document.consolidating_agency),
        (_("Document implemented"), document.directive),
        (_("Agencies that owe a report"), figures["expected"]),
        (pgettext("document", "Submitted"), figures["submitted"]),
        (_("On time"), figures["on_time"]),
        (_("Late"), figures["late"]),
        (_("Not submitted"), figures["missing"]),
        (_("Accepted and compiled"), figures["accepted"]),
        (_("Reporting by the agencies"), _text(document.status_lines)),
        (_("Overall assessment"), _text(document.assessment)),
        (_("Difficulties and obstacles"), _text(document.difficulties)),
        (_("Proposals and recommendations"), _text(document.proposals)),
        (_("Exported"), timezone.localtime().strftime("%H:%M %d/%m/%Y")),
    ]:
        summary.write_row([label, value])

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
            title=f"{title} – {_('Group %(number)s') % {'number': group.number}}: {group.heading}",
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
    )
    for number, total in enumerate(document.totals, start=1):
        achieved = None
        if total.raw_total is not None and total.raw_target:
            achieved = round(total.raw_total * 100 / total.raw_target, 1)
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

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
