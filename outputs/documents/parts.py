"""What both official documents are made of, and the fingerprint that makes a document its own cache key."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Agency, ReportingYear
from outputs.formatting import (
    issuer_lines,
    number_symbol,
    place_and_date,
    place_of,
    quantity,
    sentence,
    signature_lines,
    to_decimal,
    vn_number,
)
from reports.models import TaskReport


@dataclass
class Letterhead:
    superior: str  # "UBND TỈNH HƯNG YÊN"; empty for People's Committees
    issuer: list[str]  # ["SỞ CÔNG THƯƠNG"] or ["ỦY BAN NHÂN DÂN", "HUYỆN VĂN LÂM"]
    number: str  # "Số: …/BC-SCT"
    place_date: str  # "Hưng Yên, ngày 05 tháng 3 năm 2026"


@dataclass
class Signature:
    lines: list[str]  # ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    name: str


@dataclass
class IndicatorLine:
    name: str
    unit: str
    value: str  # "1.500" (Vietnamese separators), empty when not given
    note: str = ""
    target: str = ""
    number: Decimal | None = None  # the value as a number, for spreadsheets
    detail: str = ""  # "1.500 tấn (chỉ tiêu năm của tỉnh: 2.000 tấn); ước tính." – the value as one sentence


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    classes: list[str] = field(default_factory=list)  # CSS class of each column: "center", "num"

    def styled_rows(self) -> list[list[tuple[str, str]]]:
        return [
            [(cell, self.classes[i] if i < len(self.classes) else "") for i, cell in enumerate(row)]
            for row in self.rows
        ]


def letterhead_for(agency: Agency, *, number: str, date: datetime.date | None, year: int) -> Letterhead:
    superior, issuer = issuer_lines(agency)
    return Letterhead(
        superior=superior,
        issuer=issuer,
        number=number_symbol(number, agency.symbol),
        place_date=place_and_date(place_of(agency), date, year),
    )


def signature_for(agency: Agency, *, name: str, title: str, is_deputy: bool) -> Signature:
    return Signature(lines=signature_lines(agency=agency, title=title, is_deputy=is_deputy), name=name)


def directive_of(reporting_year: ReportingYear):
    letter = reporting_year.directive
    return letter, (letter.implements or letter)


def mandate(letter, directive) -> str:
    """What the report answers to: the province's letter when its number is known, else its direction."""
    if letter.pk != directive.pk and letter.number_symbol and letter.issued_on:
        return _("%(letter)s implementing %(directive)s") % {
            "letter": letter.reference,
            "directive": directive.reference,
        }
    return _("the direction of %(issuer)s on implementing %(directive)s") % {
        "issuer": letter.issuer,
        "directive": directive.reference,
    }


def status_label(code: str) -> str:
    return str(TaskReport.Status(code).label) if code in TaskReport.Status.values else ""


def timeliness_text(days_late: int | None) -> str:
    if days_late is None:
        return _("not submitted")
    if days_late == 0:
        return _("on time")
    return ngettext("%(days)d day late", "%(days)d days late", days_late) % {"days": days_late}


def ascii_slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in text).strip("-")


def indicator_detail(*, value: str, unit: str, target: str, note: str) -> str:
    text = quantity(value, unit) if value else _("not reported")
    if target:
        target_text = _("provincial target for the year: %(target)s") % {"target": quantity(target, unit)}
        text += f" ({target_text})"
    if note.strip():
        text += f"; {note.strip()}"
    return sentence(text)


def indicator_lines(task: dict, targets: dict) -> list[IndicatorLine]:
    lines = []
    for ind in task.get("indicators", []):
        target = targets.get(ind["indicator_id"])
        line = IndicatorLine(
            name=ind["name"],
            unit=ind["unit"],
            value=vn_number(ind.get("value")),
            note=ind.get("note", ""),
            target=vn_number(target.value) if target else "",
            number=to_decimal(ind.get("value")),
        )
        line.detail = indicator_detail(value=line.value, unit=line.unit, target=line.target, note=line.note)
        lines.append(line)
    return lines


@dataclass
class GroupSection:
    number: int
    heading: str
    tasks: list = field(default_factory=list)


def fingerprint(document, *, code_version: str) -> str:
    """A hash of everything printed on the document and of the code that lays it out."""
    data = json.dumps(dataclasses.asdict(document), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{code_version}\n{type(document).__name__}\n{data}".encode()).hexdigest()
