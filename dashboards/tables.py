"""The numbers of each chart as a table: one definition serves the page's "table view" and the CSV and Excel
downloads.

A column has a kind so that the page can show Vietnamese number formats (1.234,5) while the CSV keeps plain
numbers for other programs, and the Excel file stores real numbers with a display format: a CSV with decimal
points opens wrongly in an Excel set to Vietnamese (decimal comma, ";" between fields), a workbook never does.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dashboards import selectors
from dashboards.selectors import (
    CATEGORY,
    PROGRESS_COLUMNS,
    Headline,
    HeatMap,
    IndicatorSummary,
    Progress,
    YearRate,
)
from outputs.xlsx import SafeSheet, new_workbook
from portal.spreadsheets import csv_document, inert
from reports.figures import LABELS

TEXT, INTEGER, PERCENT, DECIMAL = "text", "integer", "percent", "decimal"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT

    @property
    def is_number(self) -> bool:
        return self.kind != TEXT


@dataclass
class DataTable:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list]
    # Rows that sum up the ones below them (a task group above its tasks) are shown in bold.
    strong_rows: frozenset[int] = frozenset()
    # When the page shows only the first rows: how many there are in all (the downloads hold every one).
    total_rows: int | None = None

    def first(self, count: int) -> DataTable:
        """The table as a page shows it: its first `count` rows, saying how many there are in all."""
        if len(self.rows) <= count:
            return self
        return dataclasses.replace(self, rows=self.rows[:count], total_rows=len(self.rows))

    def typed_rows(self):
        """Rows as (value, column) pairs, for templates that format each value by its column's kind."""
        for i, row in enumerate(self.rows):
            yield i in self.strong_rows, list(zip(row, self.columns, strict=True))


def csv_text(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == DECIMAL and isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = str(value)
    return inert(text) if kind == TEXT else text


def as_csv(table: DataTable) -> str:
    """UTF-8 text with a byte-order mark, so that Excel opens the Vietnamese labels correctly."""
    return csv_document(
        [str(c.label) for c in table.columns],
        ([csv_text(value, c.kind) for value, c in zip(row, table.columns, strict=True)] for row in table.rows),
    )


# Number formats of the Excel download (Excel shows them with the separators of the reader's own settings).
XLSX_FORMATS = {INTEGER: "#,##0", PERCENT: "0%", DECIMAL: "#,##0.####"}


def as_xlsx(table: DataTable, *, subtitle: str = "") -> bytes:
    """The table as a one-sheet workbook: its title and filters, a frozen header row, numbers stored as numbers."""
    wb = new_workbook()
    ws = wb.create_sheet(str(table.title)[:31].translate({ord(c): " " for c in "[]:*?/\\"}))
    widths = [max(14, min(60, len(str(c.label)) + 4)) if c.is_number else 45 for c in table.columns]
    headers = [(str(c.label), w) for c, w in zip(table.columns, widths, strict=True)]
    sheet = SafeSheet(ws, headers, title=str(table.title), subject=subtitle)
    formats = {i: XLSX_FORMATS[c.kind] for i, c in enumerate(table.columns) if c.kind in XLSX_FORMATS}
    for i, row in enumerate(table.rows):
        values = [_xlsx_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
        sheet.write_row(values, bold=i in table.strong_rows, formats=formats)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_value(value, kind: str):
    if value is None or kind == TEXT:
        return value if value is None else str(value)
    if kind == PERCENT:
        return Decimal(value) / 100
    return value


# --- One builder per chart ---------------------------------------------------------------------------------


def headline_table(h: Headline) -> DataTable:
    rows = [(f.label, f.value, f.percent) for f in h.headline()]
    rows.append((_("Days to the deadline (negative: days past it)"), h.days_to_deadline, None))
    return DataTable(
        slug="headline",
        title=str(_("Headline figures %(year)s") % {"year": h.reporting_year.year}),
        columns=[
            Column(_("Figure")),
            Column(_("Number"), INTEGER),
            Column(_("Percent of agencies expected"), PERCENT),
        ],
        rows=[[str(label), n, p] for label, n, p in rows],
    )


def states_table(h: Headline) -> DataTable:
    return DataTable(
        slug="states",
        title=str(_("Reports of %(year)s by state") % {"year": h.reporting_year.year}),
        columns=[
            Column(_("State of the report")),
            Column(_("Agencies"), INTEGER),
            Column(_("Percent of agencies expected"), PERCENT),
        ],
        rows=[[str(label), n, selectors.percent(n, h.expected)] for _code, label, n in h.states()],
    )


def heat_map_table(heat: HeatMap) -> DataTable:
    rows = []
    labels = {c.code: str(c.label) for c in heat.categories_used()}
    for row in heat.rows:
        state = row.report.get_state_display()
        for cell in row.cells:
            if cell is None:
                continue
            rows.append(
                [
                    row.report.agency.name,
                    cell.task.code,
                    state,
                    labels[cell.category.code],
                    cell.rating_label and str(cell.rating_label),
                ]
            )
    return DataTable(
        slug="heatmap",
        title=str(_("Status of every task, by agency")),
        columns=[
            Column(_("Agency")),
            Column(_("Task")),
            Column(_("Report")),
            Column(_("Implementation status")),
            Column(_("Reviewer's rating")),
        ],
        rows=rows,
    )


def progress_columns() -> list[Column]:
    return [
        *(Column(CATEGORY[code].label, INTEGER) for code in PROGRESS_COLUMNS),
        Column(_("Report not handed in"), INTEGER),
        Column(_("Assigned"), INTEGER),
        Column(_("Percent completed or on schedule"), PERCENT),
    ]


def progress_table(progress: list[Progress]) -> DataTable:
    rows, strong = [], set()
    for p in progress:
        if p.task is None:
            strong.add(len(rows))
            label = str(_("Group %(number)s") % {"number": p.group.number})
        else:
            label = p.task.code
        done = p.count(selectors.Status.COMPLETED) + p.count(selectors.Status.RECURRING)
        rows.append(
            [
                label,
                *(p.count(code) for code in PROGRESS_COLUMNS),
                p.not_handed_in,
                p.total,
                selectors.percent(done, p.total),
            ]
        )
    return DataTable(
        slug="progress",
        title=str(_("Progress per task group")),
        columns=[Column(pgettext_lazy("column", "Task group or task")), *progress_columns()],
        rows=rows,
        strong_rows=frozenset(strong),
    )


def indicators_table(summaries: list[IndicatorSummary], year: int) -> DataTable:
    rows = []
    for s in summaries:
        current = s.current
        rows.append(
            [
                s.indicator.task.code,
                s.indicator.name,
                s.indicator.unit,
                s.indicator.get_aggregation_display(),
                current.total,
                current.target,
                current.percent_of_target,
                current.values,
                s.answers,
            ]
        )
    return DataTable(
        slug="indicators",
        title=str(_("Indicators against the targets of %(year)s") % {"year": year}),
        columns=[
            Column(_("Task")),
            Column(_("Indicator")),
            Column(_("Unit")),
            Column(_("How it adds up")),
            Column(_("Provincial total"), DECIMAL),
            Column(_("Target"), DECIMAL),
            Column(_("Percent of target"), PERCENT),
            Column(_("Agencies giving a value"), INTEGER),
            Column(_("Reports handed in"), INTEGER),
        ],
        rows=rows,
    )


def indicator_trend_table(summaries: list[IndicatorSummary], years: list[int]) -> DataTable:
    columns = [Column(_("Indicator")), Column(_("Unit"))]
    for year in years:
        columns += [
            Column(_("Total %(year)s") % {"year": year}, DECIMAL),
            Column(_("Target %(year)s") % {"year": year}, DECIMAL),
        ]
    rows = []
    for s in summaries:
        row = [s.indicator.name, s.indicator.unit]
        for value in s.trend:
            row += [value.total, value.target]
        rows.append(row)
    return DataTable(
        slug="indicator-trend", title=str(_("Indicators over the years")), columns=columns, rows=rows
    )


def indicator_values_table(summaries: list[IndicatorSummary], year: int) -> DataTable:
    rows = [
        [v.agency_name, s.indicator.name, s.indicator.unit, v.value, v.note]
        for s in summaries
        for v in s.by_agency
    ]
    return DataTable(
        slug="indicator-values",
        title=str(_("Indicator values per agency, %(year)s") % {"year": year}),
        columns=[
            Column(_("Agency")),
            Column(_("Indicator")),
            Column(_("Unit")),
            Column(_("Value"), DECIMAL),
            Column(_("Note")),
        ],
        rows=rows,
    )


def trend_table(rates: list[YearRate]) -> DataTable:
    rows = [
        [
            r.year,
            r.reporting_year.get_state_display(),
            r.expected,
            r.submitted,
            r.submitted_percent,
            r.on_time,
            r.on_time_percent,
            r.late,
            r.not_submitted,
            r.accepted,
        ]
        for r in rates
    ]
    return DataTable(
        slug="trend",
        title=str(_("Submission and on-time rates per year")),
        columns=[
            Column(_("Year")),
            Column(_("Year state")),
            Column(LABELS["expected"], INTEGER),
            Column(LABELS["submitted"], INTEGER),
            Column(_("Submission rate"), PERCENT),
            Column(LABELS["on_time"], INTEGER),
            Column(_("On-time rate"), PERCENT),
            Column(LABELS["late"], INTEGER),
            Column(LABELS["not_submitted"], INTEGER),
            Column(LABELS["accepted"], INTEGER),
        ],
        rows=[[str(v) if i in (0, 1) else v for i, v in enumerate(row)] for row in rows],
    )
