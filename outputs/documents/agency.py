"""One agency's report for one year, as the agency's own administrative document."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from outputs.documents.parts import (
    GroupSection,
    IndicatorLine,
    Letterhead,
    Signature,
    Table,
    ascii_slug,
    directive_of,
    indicator_lines,
    letterhead_for,
    mandate,
    signature_for,
    status_label,
)
from outputs.formatting import dmy, paragraphs, vn_number
from outputs.selectors import groups_of
from reports.models import Report, ReportVersion
from reports.selectors import indicator_targets


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
    """The agency's report of one submitted version, in the order of Decree 30's blocks.

    One function because it reads as the document does, top to bottom: letterhead, summary, one section per
    task, closing, recipients, signature; each block is a few lines of data, split further they would only be
    called once each."""
    agency, reporting_year = report.agency, report.reporting_year
    year = reporting_year.year
    letter, directive = directive_of(reporting_year)
    snapshot = version.snapshot
    targets = indicator_targets(reporting_year)
    groups = groups_of(letter)
    submitted_on = timezone.localdate(version.submitted_at)
    letterhead = letterhead_for(agency, number="", date=submitted_on, year=year)

    sections: dict[int, GroupSection] = {}
    appendix = []
    for task in snapshot.get("tasks", []):
        group = groups.get(task["group"])
        section = sections.setdefault(
            task["group"], GroupSection(number=task["group"], heading=group.heading if group else "")
        )
        indicators = indicator_lines(task, targets)
        section.tasks.append(
            TaskSection(
                code=task["code"],
                text=task["text"],
                status=status_label(task.get("status", "")),
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
                "status": status_label(task.get("status", "")),
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
        % {"mandate": mandate(letter, directive), "agency": agency.name, "year": year},
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
            classes=["center", "", "date", "", ""],
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
            classes=["center", "", "date", "num"],
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
        signature=signature_for(
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
