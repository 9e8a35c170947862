"""The agency writes its report: saving a draft, evidence files, copying last year's answers.

Every save goes through `reports.services.report_editing`, which locks the report, refuses a stale form and
writes the audit entry; the functions here change the rows and record each changed field with
`edit.record(label, old, new)`, so that the history and the stale-save message say exactly what changed.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import log_action
from notifications.services import in_portal_language
from reports.errors import ReportError
from reports.evidence import EvidenceRejected, check_evidence_file
from reports.models import (
    CommunicationActivity,
    Evidence,
    IndicatorValue,
    IssuedDocument,
    Report,
    ReportVersion,
    TaskReport,
    private_storage,
)
from reports.selectors import previous_reports_for
from reports.services import report_editing

TASK_FIELDS = ("status", "results", "difficulties", "proposals")


@dataclass
class DraftInput:
    """What the edit form sends, already validated. Sections left as None (or keys left out) are not touched."""

    answers: dict[int, dict] = field(default_factory=dict)  # TaskReport pk -> {"status", "results", ...}
    values: dict[int, dict] = field(default_factory=dict)  # IndicatorValue pk -> {"value": Decimal|None, "note"}
    # The complete list in the user's order; {"id": pk or None, ...fields}. Rows left out are deleted.
    documents: list[dict] | None = None
    activities: list[dict] | None = None
    uploads: list[tuple[int, object]] = field(default_factory=list)  # (TaskReport pk, uploaded file)
    removals: list[int] = field(default_factory=list)  # Evidence pks

    @property
    def touches_evidence(self) -> bool:
        return bool(self.uploads or self.removals)


@dataclass
class DraftSaved:
    changes: list[dict]
    added: list[str]
    removed: list[str]

    @property
    def changed_anything(self) -> bool:
        return bool(self.changes or self.added or self.removed)


@dataclass
class Copied:
    year: int
    version_number: int | None
    task_codes: list[str]
    # The agencies copied from when they are not (only) the report's own: a former name, merged agencies.
    other_agencies: list[str] = field(default_factory=list)


# --- Labels, in the portal's language: the audit log is read by everyone in the same words ----------------------


def _portal_language(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with in_portal_language():
            return function(*args, **kwargs)

    return wrapper


@_portal_language
def task_field_label(code: str, field_name: str) -> str:
    labels = {
        "status": _("Implementation status"),
        "results": _("Results achieved"),
        "difficulties": _("Difficulties and obstacles"),
        "proposals": _("Proposals and recommendations"),
        "evidence": _("Evidence files"),
    }
    return _("Task %(code)s · %(field)s") % {"code": code, "field": labels[field_name]}


@_portal_language
def indicator_label(code: str, indicator) -> str:
    return _("Task %(code)s · %(field)s") % {"code": code, "field": f"{indicator.name} ({indicator.unit})"}


@_portal_language
def status_text(code: str) -> str:
    return str(TaskReport.Status(code).label) if code in TaskReport.Status.values else ""


@_portal_language
def number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(format(value.normalize(), "f"))
    return number_format(value, use_l10n=True, force_grouping=True)


def _date_text(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@_portal_language
def document_line(row: dict) -> str:
    parts = (row.get("number_symbol", ""), _date_text(row.get("issued_on")), row.get("issuer", ""), row.get("title", ""))
    return " – ".join(p for p in parts if p)


@_portal_language
def activity_line(row: dict) -> str:
    people = row.get("participants")
    people_text = _("%(n)s people") % {"n": number_text(Decimal(people))} if people not in (None, "") else ""
    return " – ".join(p for p in (row.get("description", ""), _date_text(row.get("held_on")), people_text) if p)


# --- Saving a draft ----------------------------------------------------------------------------------------


def report_draft_save(*, report: Report, actor, expected_version: int, draft: DraftInput, at=None) -> DraftSaved:
    """Save what the agency wrote, in one transaction; refuse a stale form (StaleReportError)."""
    stored: list[str] = []
    try:
        with report_editing(report=report, actor=actor, expected_version=expected_version, at=at) as edit:
            locked = edit.report
            answers = {
                tr.pk: tr
                for tr in TaskReport.objects.filter(report=locked).select_related("task").order_by(
                    "task__group__number", "task__position"
                )
            }
            _save_answers(edit, answers, draft.answers)
            _save_values(edit, locked, draft.values)
            if draft.documents is not None:
                _save_documents(edit, locked, draft.documents)
            if draft.activities is not None:
                _save_activities(edit, locked, draft.activities)
            next_version = locked.version + 1
            removed = _remove_evidence(locked, actor, draft.removals, next_version, at)
            added = _add_evidence(locked, actor, answers, draft.uploads, next_version, at, stored)
    except BaseException:
        # The rows were rolled back; the files written for them must not stay behind.
        for name in stored:
            private_storage.delete(name)
        raise
    return DraftSaved(changes=edit.changes, added=added, removed=removed)


def _save_answers(edit, answers: dict[int, TaskReport], submitted: dict[int, dict]) -> None:
    for pk, data in submitted.items():
        answer = answers.get(pk)
        if answer is None:  # not this report's task: ignore, never write across reports
            continue
        changed = []
        for name in TASK_FIELDS:
            if name not in data:
                continue
            new = data[name] or ""
            old = getattr(answer, name)
            if new != old:
                if name == "status":
                    edit.record(task_field_label(answer.task.code, name), status_text(old), status_text(new))
                else:
                    edit.record(task_field_label(answer.task.code, name), old, new)
                setattr(answer, name, new)
                changed.append(name)
        if changed:
            answer.save(update_fields=changed)


def _save_values(edit, report: Report, submitted: dict[int, dict]) -> None:
    if not submitted:
        return
    values = IndicatorValue.objects.filter(task_report__report=report, pk__in=submitted).select_related(
        "indicator", "task_report__task"
    )
    for value in values:
        data = submitted[value.pk]
        changed = []
        if "value" in data and data["value"] != value.value:
            edit.record(indicator_label(value.task_report.task.code, value.indicator), number_text(value.value), number_text(data["value"]))
            value.value = data["value"]
            changed.append("value")
        if "note" in data and (data["note"] or "") != value.note:
            label = _("%(indicator)s – note") % {"indicator": indicator_label(value.task_report.task.code, value.indicator)}
            edit.record(label, value.note, data["note"] or "")
            value.note = data["note"] or ""
            changed.append("note")
        if changed:
            value.save(update_fields=changed)


def _save_rows(model, report: Report, rows: list[dict], fields: tuple[str, ...]) -> tuple[list[dict], list[dict]]:
    """Make the report's rows of `model` equal to `rows`, in that order; return the lists before and after."""
    existing = {obj.pk: obj for obj in model.objects.filter(report=report)}
    before = [{f: getattr(obj, f) for f in fields} for obj in sorted(existing.values(), key=lambda o: (o.position, o.pk))]
    kept = set()
    for position, row in enumerate(rows, start=1):
        obj = existing.get(row.get("id"))
        if obj is None:
            model.objects.create(report=report, position=position, **{f: row[f] for f in fields})
            continue
        kept.add(obj.pk)
        changed = [f for f in fields if getattr(obj, f) != row[f]]
        for f in changed:
            setattr(obj, f, row[f])
        if obj.position != position:
            obj.position = position
            changed.append("position")
        if changed:
            obj.save(update_fields=changed)
    model.objects.filter(pk__in=set(existing) - kept).delete()
    after = [{f: row[f] for f in fields} for row in rows]
    return before, after


def _save_documents(edit, report: Report, rows: list[dict]) -> None:
    before, after = _save_rows(IssuedDocument, report, rows, ("number_symbol", "issued_on", "issuer", "title"))
    edit.record(_("Documents issued"), "\n".join(map(document_line, before)), "\n".join(map(document_line, after)))


def _save_activities(edit, report: Report, rows: list[dict]) -> None:
    before, after = _save_rows(CommunicationActivity, report, rows, ("description", "held_on", "participants"))
    edit.record(
        _("Communication activities"), "\n".join(map(activity_line, before)), "\n".join(map(activity_line, after))
    )


# --- Evidence ----------------------------------------------------------------------------------------------


def _add_evidence(report, actor, answers, uploads, version, at, stored: list[str]) -> list[str]:
    added = []
    for task_report_id, upload in uploads:
        answer = answers.get(task_report_id)
        if answer is None:
            continue
        try:
            checked = check_evidence_file(upload)
        except EvidenceRejected as error:
            raise ReportError(error.message) from None
        evidence = Evidence(
            task_report=answer,
            original_name=checked.name,
            kind=checked.kind,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        upload.seek(0)
        evidence.file.save(checked.name, upload, save=False)
        stored.append(evidence.file.name)
        evidence.save()
        log_action(
            actor,
            Action.EVIDENCE_ADDED,
            report=report,
            from_state=report.state,
            to_state=report.state,
            version=version,
            message=checked.name,
            changes=[{"field": task_field_label(answer.task.code, "evidence"), "old": "", "new": checked.name}],
            at=at,
        )
        added.append(checked.name)
    return added


def evidence_in_versions(report: Report) -> set[int]:
    """Ids of the files some submitted version lists: those are kept when the agency removes them."""
    ids = set()
    for snapshot in ReportVersion.objects.filter(report=report).values_list("snapshot", flat=True):
        for task in snapshot.get("tasks", []):
            ids.update(e["id"] for e in task.get("evidence", []) if "id" in e)
    return ids


def _remove_evidence(report, actor, evidence_ids, version, at) -> list[str]:
    if not evidence_ids:
        return []
    files = list(
        Evidence.objects.filter(pk__in=evidence_ids, task_report__report=report).select_related("task_report__task")
    )
    if not files:
        return []
    frozen = evidence_in_versions(report)
    removed = []
    for evidence in files:
        if evidence.pk in frozen:
            evidence.removed_at = at or timezone.now()
            evidence.removed_by = actor
            evidence.save(update_fields=["removed_at", "removed_by"])
        else:
            name = evidence.file.name
            evidence.delete()
            transaction.on_commit(lambda name=name: private_storage.delete(name))
        log_action(
            actor,
            Action.EVIDENCE_REMOVED,
            report=report,
            from_state=report.state,
            to_state=report.state,
            version=version,
            message=evidence.original_name,
            changes=[
                {
                    "field": task_field_label(evidence.task_report.task.code, "evidence"),
                    "old": evidence.original_name,
                    "new": "",
                }
            ],
            at=at,
        )
        removed.append(evidence.original_name)
    return removed


# --- Copy from the previous year -----------------------------------------------------------------------------


def report_has_content(report: Report) -> bool:
    """Anything written in a task answer (statuses included); an untouched report has none."""
    return TaskReport.objects.filter(report=report).exclude(status="", results="", difficulties="", proposals="").exists()


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
