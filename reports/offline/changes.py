"""What a read workbook would change in the draft, task by task, and saving it once the user has confirmed."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from reports.drafting import (
    TASK_FIELDS,
    DraftInput,
    DraftSaved,
    activity_line,
    document_line,
    number_text,
    report_draft_save,
    status_text,
)
from reports.models import CommunicationActivity, IndicatorValue, IssuedDocument, Report, TaskReport
from reports.offline.reader import Problem, Upload


@dataclass
class Change:
    label: str
    draft: str  # as the draft holds it now
    workbook: str


@dataclass
class TaskChanges:
    code: str
    text: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class Preview:
    tasks: list[TaskChanges]
    documents: list[Change]  # one entry when the list differs, else none
    activities: list[Change]

    @property
    def changed_anything(self) -> bool:
        return bool(self.tasks or self.documents or self.activities)


def field_labels() -> dict[str, str]:
    return {
        "status": _("Implementation status"),
        "results": _("Results achieved"),
        "difficulties": _("Difficulties and obstacles"),
        "proposals": _("Proposals and recommendations"),
    }


# --- Kept in the session between the upload and the confirmation ----------------------------------------------


def upload_to_session(upload: Upload) -> dict:
    return dataclasses.asdict(upload)


def upload_from_session(data: dict) -> Upload:
    problems = [Problem(**p) for p in data.get("problems", [])]
    return Upload(**{**data, "problems": problems})


# --- The comparison -------------------------------------------------------------------------------------------


def _answers(report: Report):
    return list(
        TaskReport.objects.filter(report=report)
        .select_related("task")
        .order_by("task__group__number", "task__position")
    )


def _values(report: Report):
    return {
        str(v.pk): v
        for v in IndicatorValue.objects.filter(task_report__report=report).select_related("indicator", "task_report")
    }


def _rows_of(model, fields, report):
    return [
        {f: getattr(obj, f) for f in ("id", *fields)}
        for obj in model.objects.filter(report=report).order_by("position", "pk")
    ]


DOCUMENT_FIELDS = ("number_symbol", "issued_on", "issuer", "title")
ACTIVITY_FIELDS = ("description", "held_on", "participants")


def _typed(rows: list[dict]) -> list[dict]:
    typed = []
    for row in rows:
        row = dict(row)
        for key in ("issued_on", "held_on"):
            if row.get(key):
                row[key] = datetime.date.fromisoformat(row[key])
        typed.append(row)
    return typed


def preview(report: Report, upload: Upload) -> Preview:
    labels = field_labels()
    values = _values(report)
    tasks = []
    for answer in _answers(report):
        item = TaskChanges(code=answer.task.code, text=answer.task.text)
        new = upload.tasks.get(answer.task.code)
        if new:
            for name in TASK_FIELDS:
                old_value, new_value = getattr(answer, name), new[name]
                if old_value != new_value:
                    shown = status_text if name == "status" else str
                    item.changes.append(Change(labels[name], shown(old_value), shown(new_value)))
        for pk, new in upload.values.items():
            value = values.get(pk)
            if value is None or value.task_report_id != answer.pk:
                continue
            new_number = Decimal(new["value"]) if new["value"] is not None else None
            name = f"{value.indicator.name} ({value.indicator.unit})"
            if new_number != value.value:
                item.changes.append(Change(name, number_text(value.value), number_text(new_number)))
            if new["note"] != value.note:
                item.changes.append(Change(_("%(indicator)s – note") % {"indicator": name}, value.note, new["note"]))
        if item.changes:
            tasks.append(item)
    return Preview(
        tasks=tasks,
        documents=_list_change(
            _("Documents issued"), _rows_of(IssuedDocument, DOCUMENT_FIELDS, report), upload.documents, document_line
        ),
        activities=_list_change(
            _("Communication activities"),
            _rows_of(CommunicationActivity, ACTIVITY_FIELDS, report),
            upload.activities,
            activity_line,
        ),
    )


def _list_change(label, before, after, line) -> list[Change]:
    old = "\n".join(line(row) for row in before)
    new = "\n".join(line(row) for row in _typed(after))
    return [Change(label, old, new)] if old != new else []


# --- Saving ---------------------------------------------------------------------------------------------------


def draft_input(report: Report, upload: Upload) -> DraftInput:
    """The upload as the form would send it: existing documents and activities keep their rows, in order."""
    answers = {a.pk: upload.tasks[a.task.code] for a in _answers(report) if a.task.code in upload.tasks}
    values = {
        int(pk): {"value": Decimal(v["value"]) if v["value"] is not None else None, "note": v["note"]}
        for pk, v in upload.values.items()
    }

    def with_ids(model, rows):
        ids = list(model.objects.filter(report=report).order_by("position", "pk").values_list("pk", flat=True))
        return [{**row, "id": ids[i] if i < len(ids) else None} for i, row in enumerate(_typed(rows))]

    return DraftInput(
        answers=answers,
        values=values,
        documents=with_ids(IssuedDocument, upload.documents),
        activities=with_ids(CommunicationActivity, upload.activities),
    )


def offline_apply(*, report: Report, actor, upload: Upload, expected_version: int) -> DraftSaved:
    """Save the workbook's values into the draft through the one editing service (locks, refuses stale, audits)."""
    return report_draft_save(
        report=report, actor=actor, expected_version=expected_version, draft=draft_input(report, upload)
    )
