"""The consolidated provincial report of one year: compiled from the accepted reports, with the reviewers' text."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Indicator, ReportingYear
from outputs.documents.parts import (
    GroupSection,
    IndicatorLine,
    Letterhead,
    Signature,
    directive_of,
    indicator_lines,
    letterhead_for,
    mandate,
    signature_for,
    status_label,
    timeliness_text,
)
from outputs.formatting import (
    dmy,
    paragraphs,
    percent,
    quantity,
    sentence,
    sentences,
    to_decimal,
    vn_number,
)
from outputs.selectors import groups_of, indicators_of, year_reports_with_versions
from reports.figures import LABELS, is_handed_in, of_rows
from reports.models import Report, TaskReport
from reports.selectors import indicator_targets


@dataclass
class AgencyEntry:
    agency: str
    status: str
    results: list[str]
    difficulties: list[str]
    proposals: list[str]
    indicators: list[IndicatorLine]
    # The same, run together as sentences for the body of the PDF: each closed by one mark, none doubled.
    results_text: str = ""
    indicators_text: str = ""
    difficulties_text: str = ""
    proposals_text: str = ""


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
    sentence: str = ""  # the total as the body of the PDF states it


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
    """The letter's addressees of the provincial report (task 1.1): the People's Committee and the ministry, the
    ministry being the one that carries the named ministry's functions on the year's deadline (Bộ Tài chính
    from 01/03/2025, when Bộ Kế hoạch và Đầu tư became part of it). The reviewers edit the list on the page."""
    from assignments.models import Agency

    ministry = Agency.objects.filter(short_name=settings.NATIONAL_RECIPIENT).first()
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Provincial People's Committee;")]
        if ministry is not None:
            lines.append(f"{ministry.successor_on(reporting_year.deadline).name};")
        lines.append(_("Archive: VT."))
        return "\n".join(lines)


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
    letter, directive = directive_of(reporting_year)
    targets = indicator_targets(reporting_year)
    groups = groups_of(letter)
    pairs = year_reports_with_versions(reporting_year)

    timeliness, missing, late, pending, accepted = _timeliness(pairs)
    figures = of_rows(report for report, _version in pairs).counts()
    status_lines = _status_lines(figures, missing=missing, late=late, pending=pending)
    compiled_groups, totals = _compiled_groups(groups, accepted, targets, indicators_of(letter))

    recipients = recipient_lines(consolidated.recipients if consolidated else "") or recipient_lines(
        default_recipients(reporting_year)
    )
    addressees = [r.rstrip(";.") for r in recipients if not _is_archive_or_copy(r)]
    number = consolidated.number if consolidated else ""
    issued_on = consolidated.issued_on if consolidated else None
    # Not registered yet: the clerk dates it when it is issued, which is this year (the report may be issued in
    # the year after the one it covers).
    issue_year = timezone.localdate().year
    letterhead = letterhead_for(agency, number=number, date=issued_on, year=issue_year)
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
        % {"mandate": mandate(letter, directive), "agency": agency.name, "year": year},
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
        signature=signature_for(
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


def _timeliness(pairs):
    """Appendix I's row for every agency that owes a report, and the names the status paragraph lists: not
    handed in (returned ones included: reports.figures), late, handed in but not accepted; and the accepted
    reports with their versions, which alone make the body."""
    timeliness, missing, late, pending, accepted = [], [], [], [], []
    for report, version in pairs:
        handed_in = is_handed_in(report)
        first = timezone.localdate(report.first_submitted_at) if report.first_submitted_at else None
        accepted_on = timezone.localdate(report.accepted_at) if report.accepted_at else None
        is_accepted = report.state == Report.State.ACCEPTED and version is not None
        timeliness.append(
            TimelinessRow(
                agency=report.agency.name,
                short_name=report.agency.short_name,
                state=str(report.get_state_display()),
                first_submitted=dmy(first),
                days_late=report.days_late if handed_in else None,
                timeliness=timeliness_text(report.days_late if handed_in else None),
                accepted=dmy(accepted_on) if is_accepted else "",
                compiled=is_accepted,
                first_submitted_date=first,
                accepted_date=accepted_on if is_accepted else None,
            )
        )
        if not handed_in:
            missing.append(
                f"{report.agency.name} ({report.get_state_display()})"
                if report.state == Report.State.RETURNED
                else report.agency.name
            )
        elif report.days_late:
            late.append(f"{report.agency.name} ({timeliness_text(report.days_late)})")
        if is_accepted:
            accepted.append((report, version))
        elif handed_in:
            pending.append(f"{report.agency.name} ({report.get_state_display()})")

    return timeliness, missing, late, pending, accepted


def _status_lines(figures: dict, *, missing: list[str], late: list[str], pending: list[str]) -> list[str]:
    """The paragraph on who reported: the figures of reports.figures under their one word each, then names."""
    # The figures in the words every page uses for them (reports.figures.LABELS).
    label = {key: str(LABELS[key]) for key in figures if key in LABELS}
    status_lines = [
        _(
            "%(expected_label)s: %(expected)d; %(submitted_label)s: %(submitted)d (%(on_time_label)s: %(on_time)d, "
            "%(late_label)s: %(late)d); %(not_submitted_label)s: %(not_submitted)d; %(awaiting_label)s: "
            "%(awaiting_review)d; %(accepted_label)s and compiled in this report: %(accepted)d."
        )
        % {
            **figures,
            **{f"{key}_label": label[key] for key in ("expected", "submitted", "on_time", "late", "not_submitted")},
            "awaiting_label": label["awaiting_review"],
            "accepted_label": label["accepted"],
        }
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
    return status_lines


def _compiled_groups(groups, accepted, targets, indicators) -> tuple[list[GroupSection], list[IndicatorTotal]]:
    """The body: per group and task, what each accepted agency reported, and each indicator's provincial total."""
    per_task: dict[str, dict] = {}
    values: dict[int, list[Decimal]] = {}
    for report, version in accepted:
        for task in version.snapshot.get("tasks", []):
            slot = per_task.setdefault(task["code"], {"task": task, "entries": [], "statuses": Counter()})
            status = status_label(task.get("status", ""))
            slot["statuses"][task.get("status", "")] += 1
            slot["entries"].append(
                _agency_entry(
                    agency=report.agency.name,
                    status=status,
                    results=paragraphs(task.get("results", "")),
                    difficulties=paragraphs(task.get("difficulties", "")),
                    proposals=paragraphs(task.get("proposals", "")),
                    indicators=indicator_lines(task, targets),
                )
            )
            for ind in task.get("indicators", []):
                number = to_decimal(ind.get("value"))
                if number is not None:
                    values.setdefault(ind["indicator_id"], []).append(number)

    totals = [
        _indicator_total(ind, values.get(ind.pk, []), targets.get(ind.pk)) for ind in indicators
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
    return compiled_groups, totals


def _is_archive_or_copy(line: str) -> bool:
    lowered = line.lower()
    return lowered.startswith(("lưu", "như trên", "archive", "as above"))


def _agency_entry(**fields) -> AgencyEntry:
    entry = AgencyEntry(**fields)
    entry.results_text = sentences(entry.results)
    entry.indicators_text = sentences(
        [f"{ind.name}: {quantity(ind.value, ind.unit)}" for ind in entry.indicators if ind.value]
    )
    entry.difficulties_text = sentences(entry.difficulties)
    entry.proposals_text = sentences(entry.proposals)
    return entry


def _total_sentence(total: IndicatorTotal) -> str:
    agencies = vn_number(total.reporting)
    if total.summed:
        text = ngettext(
            "%(name)s: %(amount)s in total, reported by %(agencies)s agency",
            "%(name)s: %(amount)s in total, reported by %(agencies)s agencies",
            total.reporting,
        ) % {"name": total.name, "amount": quantity(total.total or "0", total.unit), "agencies": agencies}
    else:
        text = ngettext(
            "%(name)s: reported by %(agencies)s agency, not added up",
            "%(name)s: reported by %(agencies)s agencies, not added up",
            total.reporting,
        ) % {"name": total.name, "agencies": agencies}
    if total.target:
        text += _("; target for the year %(target)s") % {"target": quantity(total.target, total.unit)}
        if total.achieved:
            achieved = _("%(achieved)s achieved") % {"achieved": total.achieved}
            text += f" ({achieved})"
    return sentence(text)


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
    total_line = IndicatorTotal(
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
    total_line.sentence = _total_sentence(total_line)
    return total_line


def empty_sections(document: ConsolidatedDocument) -> list[str]:
    """The parts of the consolidated report that would be printed empty, for the reviewers to see before signing."""
    warnings = []
    if not document.figures["accepted"]:
        warnings.append(
            _("No report has been accepted yet: part II and the appendix of indicators would be empty.")
        )
    else:
        empty_groups = [group for group in document.groups if not any(task.entries for task in group.tasks)]
        for group in empty_groups:
            warnings.append(
                _("Task group %(number)s (%(heading)s): no accepted report covers any of its tasks.")
                % {"number": group.number, "heading": group.heading}
            )
        uncovered = [
            task.code
            for group in document.groups
            if group not in empty_groups
            for task in group.tasks
            if not task.entries
        ]
        if uncovered:
            warnings.append(
                ngettext(
                    "Task %(codes)s: no accepted report covers it.",
                    "Tasks %(codes)s: no accepted report covers them.",
                    len(uncovered),
                )
                % {"codes": ", ".join(uncovered)}
            )
        if document.totals and not any(total.reporting for total in document.totals):
            warnings.append(_("Appendix II: none of the accepted reports gives an indicator value."))
    for lines, label in (
        (document.assessment, _("III. Overall assessment")),
        (document.difficulties, _("IV. Difficulties and obstacles")),
        (document.proposals, _("V. Proposals and recommendations")),
    ):
        if not lines:
            warnings.append(_("%(section)s: not written yet.") % {"section": label})
    if not document.signature.name:
        warnings.append(_("Signature: the name of the signatory is not given."))
    return warnings
