"""The workbook an agency downloads to fill its report offline: its current draft, ready to be completed."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reports.models import CommunicationActivity, IndicatorValue, IssuedDocument, Report, TaskReport
from reports.offline import layout
from reports.selectors import indicator_targets

HEADING = Font(bold=True)
READ_ONLY_FILL = PatternFill("solid", fgColor="EEEEEE")
ANSWER_FILL = PatternFill("solid", fgColor="FFFDE7")
WRAP = Alignment(wrap_text=True, vertical="top")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def offline_filename(report: Report) -> str:
    return f"bao-cao-{report.agency.short_name.lower()}-{report.reporting_year.year}-nhap-offline.xlsx"


def offline_workbook(report: Report) -> bytes:
    """The report's current draft as a protected workbook in which only the answer cells can be changed."""
    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook()
        names = layout.sheet_names()
        _instructions(workbook.active, names, report)
        _tasks(workbook.create_sheet(names["tasks"]), report)
        _indicators(workbook.create_sheet(names["indicators"]), report)
        _rows(
            workbook.create_sheet(names["documents"]),
            layout.document_columns(),
            IssuedDocument.objects.filter(report=report).order_by("position", "pk"),
        )
        _rows(
            workbook.create_sheet(names["activities"]),
            layout.activity_columns(),
            CommunicationActivity.objects.filter(report=report).order_by("position", "pk"),
        )
        meta = workbook.create_sheet(layout.META_SHEET)
        for row in (
            ("report", report.pk),
            ("version", report.version),
            ("agency", report.agency.short_name),
            ("year", report.reporting_year.year),
        ):
            meta.append(row)
        # The drop-down list reads the statuses from here: a label may hold a comma, which a typed list cannot.
        for row, label in enumerate(layout.status_choices(), start=1):
            meta.cell(row=row, column=4, value=label)
        meta.sheet_state = "veryHidden"
        meta.protection.sheet = True
        workbook.security.lockStructure = True
        workbook.properties.title = _("Report of %(agency)s for %(year)s") % {
            "agency": report.agency.name,
            "year": report.reporting_year.year,
        }
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _instructions(sheet, names, report: Report):
    sheet.title = names["help"]
    sheet.column_dimensions["A"].width = 110
    lines = [
        (_("Report of %(agency)s for %(year)s: workbook to fill offline")
         % {"agency": report.agency.name, "year": report.reporting_year.year}, True),
        (_("Made from the draft as it stood at edit no. %(version)s.") % {"version": report.version}, False),
        ("", False),
        (_("1. Fill in the yellow cells only; the grey cells come from the portal and cannot be changed."), False),
        (_("2. Sheet “%(sheet)s”: choose the implementation status of each task from the list, then write the "
           "results, the difficulties and the proposals.") % {"sheet": names["tasks"]}, False),
        (_("3. Sheet “%(sheet)s”: write the value achieved as a number, e.g. 1.234,5 or 1234.5; leave it empty if "
           "there is none.") % {"sheet": names["indicators"]}, False),
        (_("4. Sheets “%(documents)s” and “%(activities)s”: one row each; dates as dd/mm/yyyy.")
         % {"documents": names["documents"], "activities": names["activities"]}, False),
        (_("5. Type values only: a cell holding a formula is refused. Keep the file as .xlsx (not .xlsm)."), False),
        (_("6. On the report form choose “Upload the filled workbook”: the portal shows, task by task, what would "
           "change; nothing is saved until you confirm. Submitting stays with the head of the agency."), False),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=bold, size=12 if bold else 11)
    sheet.protection.sheet = True


def _header(sheet, columns):
    for index, (_key, heading, width, _unlocked) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=heading)
        cell.font, cell.alignment, cell.fill = HEADING, WRAP, READ_ONLY_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True


def _put(sheet, row: int, columns, values: dict):
    for index, (key, _heading, _width, unlocked) in enumerate(columns, start=1):
        value = values.get(key)
        cell = sheet.cell(row=row, column=index)
        # Text is stored as text whatever it starts with: an answer beginning with "=" never becomes a formula.
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"
        elif value is not None:
            cell.value = value
        cell.alignment = WRAP
        cell.fill = ANSWER_FILL if unlocked else READ_ONLY_FILL
        cell.protection = Protection(locked=not unlocked)


def _tasks(sheet, report: Report):
    columns = layout.task_columns()
    _header(sheet, columns)
    labels = dict(TaskReport.Status.choices)
    answers = TaskReport.objects.filter(report=report).select_related("task").order_by(
        "task__group__number", "task__position"
    )
    row = layout.FIRST_ROW - 1
    for row, answer in enumerate(answers, start=layout.FIRST_ROW):
        _put(sheet, row, columns, {
            "code": answer.task.code,
            "text": answer.task.text,
            "status": str(labels.get(answer.status, "")),
            "results": answer.results,
            "difficulties": answer.difficulties,
            "proposals": answer.proposals,
        })
    validation = DataValidation(
        type="list",
        formula1=f"'{layout.META_SHEET}'!$D$1:$D${len(layout.status_choices())}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Implementation status"),
        error=_("Choose a status from the list."),
    )
    sheet.add_data_validation(validation)
    if row >= layout.FIRST_ROW:
        validation.add(f"C{layout.FIRST_ROW}:C{row}")


def _indicators(sheet, report: Report):
    columns = layout.indicator_columns()
    _header(sheet, columns)
    values = IndicatorValue.objects.filter(task_report__report=report).select_related(
        "indicator", "task_report__task"
    ).order_by("task_report__task__group__number", "task_report__task__position", "indicator__position")
    targets = indicator_targets(report.reporting_year)
    for row, value in enumerate(values, start=layout.FIRST_ROW):
        _put(sheet, row, columns, {
            "code": value.task_report.task.code,
            "name": value.indicator.name,
            "unit": value.indicator.unit,
            "target": float(targets[value.indicator_id].value) if value.indicator_id in targets else None,
            "value": float(value.value) if value.value is not None else None,
            "note": value.note,
            "id": value.pk,
        })
        sheet.cell(row=row, column=5).number_format = "#,##0.####"
        sheet.cell(row=row, column=4).number_format = "#,##0.####"
    sheet.column_dimensions[get_column_letter(len(columns))].hidden = True


def _rows(sheet, columns, objects):
    _header(sheet, columns)
    row = layout.FIRST_ROW - 1
    for row, obj in enumerate(objects, start=layout.FIRST_ROW):
        _put(sheet, row, columns, {key: getattr(obj, key) for key, *_rest in columns})
    for extra in range(row + 1, row + 1 + layout.EXTRA_ROWS):
        _put(sheet, extra, columns, {})
    for index, (key, *_rest) in enumerate(columns, start=1):
        if key in ("issued_on", "held_on"):
            for cells in sheet.iter_rows(min_row=layout.FIRST_ROW, min_col=index, max_col=index):
                cells[0].number_format = "DD/MM/YYYY"
