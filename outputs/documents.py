"""The content of the official documents, as plain data: what the PDF and Excel renderers lay out.

Each document is built from the latest submitted versions (never from a live draft), in the portal's language
(Vietnamese). Being plain data, a document is also its own cache key: `fingerprint()` hashes it together with the
code that lays it out, so an output is regenerated exactly when something printed on it changes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from assignments.models import Agency, Indicator, ReportingYear
from outputs.formatting import (
    dmy,
    issuer_lines,
    number_symbol,
    paragraphs,
    percent,
    place_and_date,
    place_of,
    signature_lines,
    to_decimal,
    vn_number,
)
from outputs.selectors import groups_of, indicators_of, targets_for, year_reports_with_versions
from reports.models import Report, ReportVersion, TaskReport

# --- Parts shared by both documents ------------------------------------------------------------------------


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


def _letterhead(agency: Agency, *, number: str, date: datetime.date | None, year: int) -> Letterhead:
    superior, issuer = issuer_lines(agency)
    return Letterhead(
        superior=superior,
        issuer=issuer,
        number=number_symbol(number, agency.symbol),
        place_date=place_and_date(place_of(agency), date, year),
    )


def _signature(agency: Agency, *, name: str, title: str, is_deputy: bool) -> Signature:
    return Signature(lines=signature_lines(agency=agency, title=title, is_deputy=is_deputy), name=name)


def _directive_of(reporting_year: ReportingYear):
    letter = reporting_year.directive
    return letter, (letter.implements or letter)


def _mandate(letter, directive) -> str:
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


def _status_label(code: str) -> str:
    return str(TaskReport.Status(code).label) if code in TaskReport.Status.values else ""


def _timeliness(days_late: int | None) -> str:
    if days_late is None:
        return _("not submitted")
    if days_late == 0:
        return _("on time")
    return ngettext("%(days)d day late", "%(days)d days late", days_late) % {"days": days_late}


def ascii_slug(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in text).strip("-")


def _indicator_lines(task: dict, targets: dict) -> list[IndicatorLine]:
    lines = []
    for ind in task.get("indicators", []):
        target = targets.get(ind["indicator_id"])
        lines.append(
            IndicatorLine(
                name=ind["name"],
                unit=ind["unit"],
                value=vn_number(ind.get("value")),
                note=ind.get("note", ""),
                target=vn_number(target.value) if target else "",
                number=to_decimal(ind.get("value")),
            )
        )
    return lines


# --- One agency's report ------------------------------------------------------------------------------------


@dataclass
class TaskSection:
    code: str
    text: str
    status: str
    results: list[str]
    difficulties: list[str]
    proposals: list[str]
    indicators: list[IndicatorLine]
    evidence: list[str]


@dataclass
class GroupSection:
    number: int
    heading: str
    tasks: list = field(default_factory=list)


@dataclass
class AgencyReportDocument:
    template = "outputs/pdf/agency_report.html"

    filename: str
    letterhead: Letterhead
    summary: str
    intro: str
    groups: list[GroupSection]
    documents: Table
    activities: Table
    closing: str
    recipients: list[str]
    signature: Signature
    appendix_reference: str
    appendix: list[dict]
    version_label: str
    demo: bool


def agency_report_document(report: Report, version: ReportVersion) -> AgencyReportDocument:
    """One agency's report as submitted in `version`, laid out as the agency's own administrative document."""
    with translation.override(settings.LANGUAGE_CODE):
        return _agency_report_document(report, version)


def _agency_report_document(report: Report, version: ReportVersion) -> AgencyReportDocument:
    agency, reporting_year = report.agency, report.reporting_year
    year = reporting_year.year
    letter, directive = _directive_of(reporting_year)
    snapshot = version.snapshot
    targets = targets_for(year)
    groups = groups_of(letter)
    submitted_on = timezone.localdate(version.submitted_at)
    letterhead = _letterhead(agency, number="", date=submitted_on, year=year)

    sections: dict[int, GroupSection] = {}
    appendix = []
    for task in snapshot.get("tasks", []):
        group = groups.get(task["group"])
        section = sections.setdefault(
            task["group"], GroupSection(number=task["group"], heading=group.heading if group else "")
        )
        indicators = _indicator_lines(task, targets)
        section.tasks.append(
            TaskSection(
                code=task["code"],
                text=task["text"],
                status=_status_label(task.get("status", "")),
                results=paragraphs(task.get("results", "")),
                difficulties=paragraphs(task.get("difficulties", "")),
                proposals=paragraphs(task.get("proposals", "")),
                indicators=indicators,
                evidence=[e["name"] for e in task.get("evidence", [])],
            )
        )
        appendix.append(
            {
                "code": task["code"],
                "text": task["text"],
                "status": _status_label(task.get("status", "")),
                "indicators": indicators,
            }
        )

    consolidator = reporting_year.consolidating_agency
    if consolidator.pk == agency.pk:
        to_province = _("Provincial People's Committee")
    else:
        to_province = _("Provincial People's Committee (through %(agency)s)") % {"agency": consolidator.name}
    summary = _("Results of implementing %(directive)s in %(year)s") % {
        "directive": directive.reference,
        "year": year,
    }
    return AgencyReportDocument(
        filename=f"bao-cao-{ascii_slug(agency.short_name)}-{year}.pdf",
        letterhead=letterhead,
        summary=summary,
        intro=_("Pursuant to %(mandate)s, %(agency)s reports its results for %(year)s as follows:")
        % {"mandate": _mandate(letter, directive), "agency": agency.name, "year": year},
        groups=sorted(sections.values(), key=lambda s: s.number),
        documents=Table(
            caption=pgettext("document", "Documents issued to implement the directive"),
            headers=[
                pgettext("row number", "No."),
                _("Number and symbol"),
                _("Date of issue"),
                _("Issued by"),
                pgettext("document", "Title (summary)"),
            ],
            classes=["center", "", "center", "", ""],
            rows=[
                [str(i), d["number_symbol"], dmy(d["issued_on"]), d["issuer"], d["title"]]
                for i, d in enumerate(snapshot.get("documents", []), start=1)
            ],
        ),
        activities=Table(
            caption=pgettext("document", "Communication activities"),
            headers=[
                pgettext("row number", "No."),
                _("Activity"),
                _("Held on"),
                pgettext("document", "People reached"),
            ],
            classes=["center", "", "center", "num"],
            rows=[
                [str(i), a["description"], dmy(a["held_on"]), vn_number(a.get("participants"))]
                for i, a in enumerate(snapshot.get("activities", []), start=1)
            ],
        ),
        closing=_(
            "The above is the report of %(agency)s on the results of implementing %(directive)s in %(year)s, "
            "respectfully sent to %(recipient)s./."
        )
        % {"agency": agency.name, "directive": directive.reference, "year": year, "recipient": to_province},
        recipients=[f"{to_province};", _("Archive: VT.")],
        signature=_signature(
            agency,
            name=report.signatory_name,
            title=report.signatory_title,
            is_deputy=report.signatory_is_deputy,
        ),
        appendix_reference=_("(Attached to Report %(number)s dated %(date)s of %(agency)s)")
        % {"number": letterhead.number.split(" ", 1)[-1], "date": dmy(submitted_on), "agency": agency.name},
        appendix=appendix,
        version_label=_("Submission no. %(number)d of %(date)s")
        % {"number": version.number, "date": dmy(submitted_on)},
        demo=settings.DEMO_MODE,
    )


# --- The consolidated provincial report ---------------------------------------------------------------------


@dataclass
class AgencyEntry:
    agency: str
    status: str
    results: list[str]
    difficulties: list[str]
    proposals: list[str]
    indicators: list[IndicatorLine]


@dataclass
class IndicatorTotal:
    task_code: str
    name: str
    unit: str
    summed: bool
    reporting: int  # agencies that gave a value
    total: str
    target: str
    achieved: str  # total against target, "90%"
    raw_total: Decimal | None = None
    raw_target: Decimal | None = None


@dataclass
class CompiledTask:
    code: str
    text: str
    status_summary: str
    entries: list[AgencyEntry]
    totals: list[IndicatorTotal]


@dataclass
class TimelinessRow:
    agency: str
    short_name: str
    state: str
    first_submitted: str
    days_late: int | None
    timeliness: str
    accepted: str
    compiled: bool
    first_submitted_date: datetime.date | None = None
    accepted_date: datetime.date | None = None


@dataclass
class ConsolidatedDocument:
    template = "outputs/pdf/consolidated_report.html"

    filename_stem: str
    year: int
    letterhead: Letterhead
    summary: str
    intro: str
    figures: dict
    status_lines: list[str]
    groups: list[GroupSection]  # of CompiledTask
    assessment: list[str]
    difficulties: list[str]
    proposals: list[str]
    closing: str
    recipients: list[str]
    signature: Signature
    appendix_reference: str
    timeliness: list[TimelinessRow]
    totals: list[IndicatorTotal]
    consolidating_agency: str
    directive: str
    demo: bool


def default_recipients(reporting_year: ReportingYear) -> str:
    """The letter's addressees of the provincial report (task 1.1: the People's Committee and the Ministry)."""
    with translation.override(settings.LANGUAGE_CODE):
        return "\n".join(
            [
                _("Provincial People's Committee;"),
                _("Ministry of Planning and Investment;"),
                _("Archive: VT."),
            ]
        )


def recipient_lines(text: str) -> list[str]:
    return [
        line.strip().lstrip("-").strip()
        for line in (text or "").splitlines()
        if line.strip().lstrip("-").strip()
    ]


def consolidated_document(reporting_year: ReportingYear, consolidated=None) -> ConsolidatedDocument:
    """The provincial report of one year: compiled from the accepted reports, with the reviewers' own text."""
    with translation.override(settings.LANGUAGE_CODE):
        return _consolidated_document(reporting_year, consolidated)


def _consolidated_document(reporting_year: ReportingYear, consolidated) -> ConsolidatedDocument:
    from outputs.models import ConsolidatedReport

    if consolidated is None:
        consolidated = ConsolidatedReport.objects.filter(reporting_year=reporting_year).first()
    year = reporting_year.year
    agency = reporting_year.consolidating_agency
    letter, directive = _directive_of(reporting_year)
    targets = targets_for(year)
    groups = groups_of(letter)
    pairs = year_reports_with_versions(reporting_year)

    # Timeliness of every agency that owes a report; the body only uses accepted reports.
    timeliness, missing, late, pending, accepted = [], [], [], [], []
    for report, version in pairs:
        first = timezone.localdate(report.first_submitted_at) if report.first_submitted_at else None
        accepted_on = timezone.localdate(report.accepted_at) if report.accepted_at else None
        is_accepted = report.state == Report.State.ACCEPTED and version is not None
        timeliness.append(
            TimelinessRow(
                agency=report.agency.name,
                short_name=report.agency.short_name,
                state=str(report.get_state_display()),
                first_submitted=dmy(first),
                days_late=report.days_late,
                timeliness=_timeliness(report.days_late),
                accepted=dmy(accepted_on) if is_accepted else "",
                compiled=is_accepted,
                first_submitted_date=first,
                accepted_date=accepted_on if is_accepted else None,
            )
        )
        if report.first_submitted_at is None:
            missing.append(report.agency.name)
        elif report.days_late:
            late.append(f"{report.agency.name} ({_timeliness(report.days_late)})")
        if is_accepted:
            accepted.append((report, version))
        elif report.first_submitted_at is not None:
            pending.append(f"{report.agency.name} ({report.get_state_display()})")

    figures = {
        "expected": len(pairs),
        "submitted": sum(1 for r, _v in pairs if r.first_submitted_at),
        "on_time": sum(1 for r, _v in pairs if r.days_late == 0),
        "late": sum(1 for r, _v in pairs if r.days_late),
        "missing": len(missing),
        "accepted": len(accepted),
    }
    status_lines = [
        _(
            "Agencies that owe a report: %(expected)d; submitted: %(submitted)d (on time: %(on_time)d, late: "
            "%(late)d); accepted and compiled in this report: %(accepted)d."
        )
        % figures
    ]
    if missing:
        status_lines.append(_("Agencies that have not submitted: %(names)s.") % {"names": ", ".join(missing)})
    if late:
        status_lines.append(_("Agencies that submitted late: %(names)s.") % {"names": ", ".join(late)})
    if pending:
        status_lines.append(
            _("Reports not yet accepted, so not compiled here: %(names)s.") % {"names": ", ".join(pending)}
        )
    status_lines.append(_("Details in Appendix I."))

    # The body: per group and task, what each accepted agency reported.
    per_task: dict[str, dict] = {}
    values: dict[int, list[Decimal]] = {}
    for report, version in accepted:
        for task in version.snapshot.get("tasks", []):
            slot = per_task.setdefault(task["code"], {"task": task, "entries": [], "statuses": Counter()})
            status = _status_label(task.get("status", ""))
            slot["statuses"][task.get("status", "")] += 1
            slot["entries"].append(
                AgencyEntry(
                    agency=report.agency.name,
                    status=status,
                    results=paragraphs(task.get("results", "")),
                    difficulties=paragraphs(task.get("difficulties", "")),
                    proposals=paragraphs(task.get("proposals", "")),
                    indicators=_indicator_lines(task, targets),
                )
            )
            for ind in task.get("indicators", []):
                number = to_decimal(ind.get("value"))
                if number is not None:
                    values.setdefault(ind["indicator_id"], []).append(number)

    totals = [
        _indicator_total(ind, values.get(ind.pk, []), targets.get(ind.pk)) for ind in indicators_of(letter)
    ]
    totals_by_task: dict[str, list[IndicatorTotal]] = {}
    for total in totals:
        totals_by_task.setdefault(total.task_code, []).append(total)

    compiled_groups = []
    for number in sorted(groups):
        group = groups[number]
        section = GroupSection(number=number, heading=group.heading)
        for task in group.tasks.all():
            slot = per_task.get(task.code)
            section.tasks.append(
                CompiledTask(
                    code=task.code,
                    text=task.text,
                    status_summary=_status_summary(slot["statuses"]) if slot else "",
                    entries=slot["entries"] if slot else [],
                    totals=totals_by_task.get(task.code, []),
                )
            )
        compiled_groups.append(section)

    recipients = recipient_lines(consolidated.recipients if consolidated else "") or recipient_lines(
        default_recipients(reporting_year)
    )
    addressees = [r.rstrip(";.") for r in recipients if not _is_archive_or_copy(r)]
    number = consolidated.number if consolidated else ""
    issued_on = consolidated.issued_on if consolidated else None
    # Not registered yet: the clerk dates it when it is issued, which is this year (the report may be issued in
    # the year after the one it covers).
    issue_year = timezone.localdate().year
    letterhead = _letterhead(agency, number=number, date=issued_on, year=issue_year)
    return ConsolidatedDocument(
        filename_stem=f"bao-cao-tong-hop-{year}",
        year=year,
        letterhead=letterhead,
        summary=_("Consolidated results of implementing %(directive)s in Hưng Yên province in %(year)s")
        % {"directive": directive.reference, "year": year},
        intro=_(
            "Pursuant to %(mandate)s, on the basis of the reports of the agencies, %(agency)s consolidates "
            "the results for %(year)s as follows:"
        )
        % {"mandate": _mandate(letter, directive), "agency": agency.name, "year": year},
        figures=figures,
        status_lines=status_lines,
        groups=compiled_groups,
        assessment=paragraphs(consolidated.assessment if consolidated else ""),
        difficulties=paragraphs(consolidated.difficulties if consolidated else ""),
        proposals=paragraphs(consolidated.proposals if consolidated else ""),
        closing=_(
            "The above is the consolidated report on the results of implementing %(directive)s in %(year)s; "
            "%(agency)s respectfully reports to %(addressees)s./."
        )
        % {
            "directive": directive.reference,
            "year": year,
            "agency": agency.name,
            "addressees": ", ".join(addressees) or _("the Provincial People's Committee"),
        },
        recipients=recipients,
        signature=_signature(
            agency,
            name=consolidated.signatory_name if consolidated else "",
            title=consolidated.signatory_title if consolidated else "",
            is_deputy=consolidated.signatory_is_deputy if consolidated else False,
        ),
        appendix_reference=_("(Attached to Report %(number)s dated %(date)s of %(agency)s)")
        % {
            "number": letterhead.number.split(" ", 1)[-1],
            "date": dmy(issued_on) if issued_on else _("…/…/%(year)s") % {"year": issue_year},
            "agency": agency.name,
        },
        timeliness=timeliness,
        totals=totals,
        consolidating_agency=agency.name,
        directive=directive.reference,
        demo=settings.DEMO_MODE,
    )


def _is_archive_or_copy(line: str) -> bool:
    lowered = line.lower()
    return lowered.startswith(("lưu", "như trên", "archive", "as above"))


def _status_summary(statuses: Counter) -> str:
    parts = []
    for code, label in TaskReport.Status.choices:
        if statuses.get(code):
            parts.append(
                ngettext("%(label)s: %(count)d agency", "%(label)s: %(count)d agencies", statuses[code])
                % {"label": label, "count": statuses[code]}
            )
    return "; ".join(parts)


def _indicator_total(indicator: Indicator, values: list[Decimal], target) -> IndicatorTotal:
    summed = indicator.aggregation == Indicator.Aggregation.SUM
    total = sum(values, Decimal(0)) if (summed and values) else None
    target_value = target.value if target else None
    return IndicatorTotal(
        task_code=indicator.task.code,
        name=indicator.name,
        unit=indicator.unit,
        summed=summed,
        reporting=len(values),
        total=vn_number(total) if total is not None else "",
        target=vn_number(target_value) if target_value is not None else "",
        achieved=percent(total, target_value) if total is not None else "",
        raw_total=total,
        raw_target=target_value,
    )


# --- Fingerprints -------------------------------------------------------------------------------------------


def fingerprint(document, *, code_version: str) -> str:
    """A hash of everything printed on the document and of the code that lays it out."""
    data = json.dumps(dataclasses.asdict(document), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{code_version}\n{type(document).__name__}\n{data}".encode()).hexdigest()
