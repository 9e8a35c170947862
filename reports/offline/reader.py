"""Reading a filled offline workbook back: values only, every problem named by its sheet and cell.

The file is first checked like an evidence file (its content must be an Excel workbook, not a renamed one), then
opened as an archive without decompressing anything to refuse macros and archives that would expand far beyond
their size. A cell holding a formula is refused, not computed: the value Excel cached for it is not what the
agency typed, and the portal never evaluates a formula.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from reports.evidence import EvidenceRejected, check_evidence_file
from reports.models import CommunicationActivity, IndicatorValue, IssuedDocument, Report, TaskReport
from reports.offline import layout

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an honest report workbook unpacks to well under a megabyte
MAX_RATIO = 100  # compressed XML rarely shrinks more than 20 times; a bomb shrinks thousands of times
MAX_MEMBERS = 500
MAX_DIGITS, MAX_PLACES = 14, 4  # IndicatorValue.value: 18 digits, 4 after the point


@dataclass
class Problem:
    sheet: str
    cell: str
    message: str


@dataclass
class Upload:
    """What a workbook says, in JSON-friendly values (it is kept in the session until confirmed)."""

    report_id: int | None = None
    version: int | None = None
    tasks: dict[str, dict] = field(default_factory=dict)  # task code -> status, results, difficulties, proposals
    values: dict[str, dict] = field(default_factory=dict)  # IndicatorValue pk -> {"value": str|None, "note"}
    documents: list[dict] = field(default_factory=list)  # dates as ISO strings
    activities: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(Problem(sheet, cell, message))


def read_workbook(upload, report: Report) -> Upload:
    """The upload's values, or its problems; nothing is written anywhere."""
    result = Upload()
    try:
        checked = check_evidence_file(upload)
    except EvidenceRejected as error:
        result.problem("", "", error.message)
        return result
    if checked.kind != "xlsx":
        result.problem("", "", _("Upload the Excel workbook (.xlsx) downloaded from this report."))
        return result
    upload.seek(0)
    content = upload.read()
    archive_problem = _archive_problem(content)
    if archive_problem:
        result.problem("", "", archive_problem)
        return result
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=False, keep_vba=False, keep_links=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of errors for a damaged file
        result.problem("", "", _("The workbook could not be read; it may be damaged. Save it again in Excel."))
        return result
    names = layout.sheet_names()
    missing = [name for key, name in names.items() if key != "help" and name not in workbook.sheetnames]
    if layout.META_SHEET not in workbook.sheetnames or missing:
        result.problem(
            "", "", _("This is not the workbook downloaded for this report (sheets are missing). Download it again.")
        )
        return result
    _meta(workbook[layout.META_SHEET], report, result)
    if result.problems:
        return result
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or isinstance(cell.value, ArrayFormula | DataTableFormula):
                    result.problem(
                        sheet.title,
                        cell.coordinate,
                        _("This cell holds a formula; type its value instead (formulas are not accepted)."),
                    )
    if result.problems:
        return result
    _tasks(workbook[names["tasks"]], report, result)
    _indicators(workbook[names["indicators"]], report, result)
    result.documents = _rows(workbook[names["documents"]], layout.document_columns(), IssuedDocument, result)
    result.activities = _rows(
        workbook[names["activities"]], layout.activity_columns(), CommunicationActivity, result
    )
    return result


def _archive_problem(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return _("The workbook could not be read; it may be damaged. Save it again in Excel.")
    if b"macroEnabled" in types or any(m.filename.lower().endswith("vbaproject.bin") for m in members):
        return _("The workbook contains macros, which are not accepted. Save it as an Excel workbook (.xlsx).")
    unpacked = sum(m.file_size for m in members)
    if (
        len(members) > MAX_MEMBERS
        or unpacked > MAX_UNPACKED_BYTES
        or any(m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members)
    ):
        return _("The workbook would unpack to far more than its size and is refused. Download a new one.")
    return ""


def _meta(sheet, report: Report, result: Upload) -> None:
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    if values.get("report") != report.pk:
        result.problem("", "", _("This workbook was downloaded for another report; download the one of this report."))
        return
    if not isinstance(values.get("version"), int):
        result.problem("", "", _("This is not the workbook downloaded for this report. Download it again."))
        return
    result.report_id, result.version = report.pk, values["version"]


def text_of(value) -> str:
    """A cell as text, exactly as typed; a number or a date Excel recognised is written the Vietnamese way."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(value) -> Decimal:
    """1.234,5 and 1234,5 (Vietnamese), 1234.5 and Excel's own numbers; ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError  # noqa: TRY004 - callers catch ValueError for every value that is not a number
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise ValueError
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValueError from error
    if number == number.to_integral_value():
        number = number.to_integral_value()
    _sign, digits, exponent = number.as_tuple()
    places = max(0, -exponent)
    if places > MAX_PLACES or len(digits) - places > MAX_DIGITS:
        raise ValueError
    return number


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 2958466:
        return from_excel(value).date()
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _tasks(sheet, report: Report, result: Upload) -> None:
    known = set(TaskReport.objects.filter(report=report).values_list("task__code", flat=True))
    statuses = layout.status_choices()
    codes = set(statuses.values())
    for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
        code = text_of(row[0].value).strip()
        if not code:
            continue
        if code not in known:
            result.problem(sheet.title, row[0].coordinate, _("Task %(code)s is not a task of this report.") % {"code": code})
            continue
        label = text_of(row[2].value).strip()
        status = statuses.get(label, label if label in codes or not label else None)
        if status is None:
            result.problem(
                sheet.title,
                row[2].coordinate,
                _("“%(value)s” is not a status: choose one from the list (%(choices)s).")
                % {"value": label, "choices": ", ".join(statuses)},
            )
            continue
        result.tasks[code] = {
            "status": status,
            "results": text_of(row[3].value),
            "difficulties": text_of(row[4].value),
            "proposals": text_of(row[5].value),
        }


def _indicators(sheet, report: Report, result: Upload) -> None:
    known = set(IndicatorValue.objects.filter(task_report__report=report).values_list("pk", flat=True))
    note_limit = IndicatorValue._meta.get_field("note").max_length
    for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
        pk = row[6].value
        if pk is None:
            continue
        if not isinstance(pk, int) or pk not in known:
            result.problem(sheet.title, row[6].coordinate, _("This row is not an indicator of this report."))
            continue
        value = row[4].value
        number = None
        if value is not None and text_of(value).strip():
            try:
                number = parse_number(value)
            except ValueError:
                result.problem(
                    sheet.title,
                    row[4].coordinate,
                    _("“%(value)s” is not a number: write it like 1.234,5 (at most 4 decimals), or leave it empty.")
                    % {"value": text_of(value)},
                )
                continue
        note = text_of(row[5].value)
        if len(note) > note_limit:
            result.problem(
                sheet.title, row[5].coordinate, _("The note is longer than %(limit)s characters.") % {"limit": note_limit}
            )
            continue
        result.values[str(pk)] = {"value": None if number is None else str(number), "note": note}


def _rows(sheet, columns, model, result: Upload) -> list[dict]:
    rows = []
    for row in sheet.iter_rows(min_row=layout.FIRST_ROW, max_col=len(columns)):
        if all(cell.value is None or not text_of(cell.value).strip() for cell in row):
            continue
        data, ok = {}, True
        for cell, (key, heading, *_rest) in zip(row, columns, strict=False):
            model_field = model._meta.get_field(key)
            if key in ("issued_on", "held_on"):
                data[key] = None
                if cell.value is not None and text_of(cell.value).strip():
                    try:
                        data[key] = parse_date(cell.value).isoformat()
                    except ValueError:
                        ok = False
                        result.problem(
                            sheet.title, cell.coordinate,
                            _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": text_of(cell.value)},
                        )
            elif key == "participants":
                data[key] = None
                if cell.value is not None and text_of(cell.value).strip():
                    try:
                        number = parse_number(cell.value)
                        if number < 0 or number != number.to_integral():
                            raise ValueError
                        data[key] = int(number)
                    except ValueError:
                        ok = False
                        result.problem(
                            sheet.title, cell.coordinate,
                            _("“%(value)s” is not a whole number of people.") % {"value": text_of(cell.value)},
                        )
            else:
                data[key] = text_of(cell.value)
                if not data[key].strip() and not model_field.blank:
                    ok = False
                    result.problem(sheet.title, cell.coordinate, _("“%(column)s” must be filled in.") % {"column": heading})
                elif model_field.max_length and len(data[key]) > model_field.max_length:
                    ok = False
                    result.problem(
                        sheet.title, cell.coordinate,
                        _("At most %(limit)s characters.") % {"limit": model_field.max_length},
                    )
        if ok:
            rows.append(data)
    return rows
