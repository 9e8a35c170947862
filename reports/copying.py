"""Copy from the previous year: an empty report starts from last year's answers, along the agency's lineage.

The copy is a save by the agency like any other (`reports.services.report_editing`: locked, refused when stale,
every copied field in the audit entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from audit.models import Action
from notifications.services import in_portal_language
from reports.drafting import TASK_FIELDS, status_text, task_field_label
from reports.errors import ReportError
from reports.models import Report, TaskReport
from reports.selectors import previous_reports_for
from reports.services import report_editing


@dataclass
class Copied:
    year: int
    version_number: int | None
    task_codes: list[str]
    # The agencies copied from when they are not (only) the report's own: a former name, merged agencies.
    other_agencies: list[str] = field(default_factory=list)


def report_has_content(report: Report, answers: list[TaskReport] | None = None) -> bool:
    """Anything written in a task answer (statuses included); an untouched report has none. Given the report's
    answers already read (the form's), it asks them instead of the database."""
    if answers is not None:
        return any(getattr(a, name) for a in answers for name in TASK_FIELDS)
    return TaskReport.objects.filter(report=report).exclude(**{name: "" for name in TASK_FIELDS}).exists()


def _previous_answers(previous: Report) -> tuple[dict[str, dict], int | None]:
    """Last year's answers by task code: from its latest submitted version, else from its rows."""
    version = previous.versions.order_by("-number").first()
    if version is not None:
        return {t["code"]: t for t in version.snapshot.get("tasks", [])}, version.number
    rows = previous.task_reports.select_related("task")
    return {tr.task.code: {name: getattr(tr, name) for name in TASK_FIELDS} for tr in rows}, None


def copy_origin(previous: Report, version_number: int | None, *, with_agency: bool = False) -> str:
    if with_agency:
        if version_number:
            return _("Report for %(year)s of %(agency)s, submission no. %(number)s") % {
                "year": previous.reporting_year.year,
                "agency": previous.agency.name,
                "number": version_number,
            }
        return _("Report for %(year)s of %(agency)s (not submitted)") % {
            "year": previous.reporting_year.year,
            "agency": previous.agency.name,
        }
    if version_number:
        return _("Report for %(year)s, submission no. %(number)s") % {
            "year": previous.reporting_year.year,
            "number": version_number,
        }
    return _("Report for %(year)s (not submitted)") % {"year": previous.reporting_year.year}


def _combined_answers(sources: list[tuple[Report, dict[str, dict]]]) -> dict[str, dict]:
    """One answer per task from one or several earlier reports.

    From one report the answer is copied as it is. Where several agencies (merged into this one) answered the
    same task, each text is kept under its agency's name, and the status only when they all gave the same one:
    otherwise the agency chooses it for this year."""
    combined: dict[str, dict] = {}
    codes = list(dict.fromkeys(code for _report, answers in sources for code in answers))
    for code in codes:
        answers = [(report, answers[code]) for report, answers in sources if code in answers]
        if len(answers) == 1:
            combined[code] = answers[0][1]
            continue
        statuses = {(a.get("status") or "") for _report, a in answers} - {""}
        merged = {"status": statuses.pop() if len(statuses) == 1 else ""}
        for name in TASK_FIELDS:
            if name == "status":
                continue
            texts = [(r.agency.name, (a.get(name) or "").strip()) for r, a in answers if (a.get(name) or "").strip()]
            if len(texts) == 1:
                merged[name] = texts[0][1]
            else:
                merged[name] = "\n\n".join(f"{agency}: {text}" for agency, text in texts)
        combined[code] = merged
    return combined


def report_copy_previous(*, report: Report, actor, expected_version: int, at=None) -> Copied:
    """Fill an empty report with last year's status, results, difficulties and proposals, task by task.

    Last year's report is the agency's own or, for an agency renamed or formed by a merger, that of its former
    name or of the agencies merged into it (see `previous_reports_for`). Only the task answers are copied:
    indicator values, documents and communication activities belong to their year. A report that already has
    content is left alone, so that nothing written is overwritten. Long because the whole copy is one locked,
    audited save: the lineage, the matching of tasks and the record of what was copied belong together.
    """
    previous_reports = previous_reports_for(report)
    if not previous_reports:
        raise ReportError(_("Your agency has no report from an earlier year to copy from."))
    year = previous_reports[0].reporting_year.year
    only_own = len(previous_reports) == 1 and previous_reports[0].agency_id == report.agency_id
    origins, sources = [], []
    for previous in previous_reports:
        answers, version_number = _previous_answers(previous)
        answers = {code: t for code, t in answers.items() if any((t.get(name) or "").strip() for name in TASK_FIELDS)}
        if answers:
            sources.append((previous, answers))
            origins.append((previous, version_number))
    if not sources:
        raise ReportError(_("The report for %(year)s has no answers to copy.") % {"year": year})
    source = _combined_answers(sources)
    with report_editing(
        report=report, actor=actor, expected_version=expected_version, action=Action.REPORT_COPIED, at=at
    ) as edit:
        if report_has_content(edit.report):
            raise ReportError(
                _(
                    "This report already has content, so nothing was copied: copying would overwrite what your "
                    "agency has written. Copy only into a report nobody has started."
                )
            )
        with in_portal_language():
            origin = "; ".join(copy_origin(p, number, with_agency=not only_own) for p, number in origins)
            edit.record(_("Copied from"), "", origin)
        copied = []
        for answer in TaskReport.objects.filter(report=edit.report).select_related("task").order_by(
            "task__group__number", "task__position"
        ):
            old = source.get(answer.task.code)
            if old is None:
                continue
            for name in TASK_FIELDS:
                new = old.get(name) or ""
                if name == "status" and new not in TaskReport.Status.values:
                    new = ""
                if new:
                    edit.record(
                        task_field_label(answer.task.code, name),
                        "",
                        status_text(new) if name == "status" else new,
                    )
                    setattr(answer, name, new)
            answer.save(update_fields=list(TASK_FIELDS))
            copied.append(answer.task.code)
        if not copied:
            raise ReportError(
                _("None of the tasks of %(year)s is assigned to your agency this year; nothing was copied.")
                % {"year": year}
            )
    others = [] if only_own else [p.agency.name for p, _number in origins if p.agency_id != report.agency_id]
    return Copied(
        year=year,
        version_number=origins[0][1] if only_own else None,
        task_codes=copied,
        other_agencies=others,
    )
