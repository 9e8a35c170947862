"""The agency writes its report: saving a draft and its evidence files (copying last year's answers is in
reports/copying.py).

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
