"""A report frozen as plain data at each submission, and the differences between two such copies."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports.worddiff import TooLongToCompare, word_opcodes

SNAPSHOT_FORMAT = 1


def _decimal_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def report_snapshot(report) -> dict:
    """Everything the agency wrote, as JSON-ready data (labels are resolved when shown, codes are stored)."""
    task_reports = (
        report.task_reports.select_related("task", "task__group")
        .prefetch_related("indicator_values__indicator", "evidence")
        .order_by("task__group__number", "task__position")
    )
    return {
        "format": SNAPSHOT_FORMAT,
        "agency": {"id": report.agency_id, "name": report.agency.name, "short_name": report.agency.short_name},
        "year": report.reporting_year.year,
        "tasks": [
            {
                "task_id": tr.task_id,
                "code": tr.task.code,
                "group": tr.task.group.number,
                "text": tr.task.text,
                "status": tr.status,
                "results": tr.results,
                "difficulties": tr.difficulties,
                "proposals": tr.proposals,
                "indicators": [
                    {
                        "indicator_id": iv.indicator_id,
                        "name": iv.indicator.name,
                        "unit": iv.indicator.unit,
                        "value": _decimal_text(iv.value),
                        "note": iv.note,
                    }
                    for iv in sorted(tr.indicator_values.all(), key=lambda v: (v.indicator.position, v.indicator_id))
                ],
                "evidence": [
                    {"id": e.pk, "name": e.original_name, "size": e.size, "sha256": e.sha256} for e in tr.evidence.all()
                ],
            }
            for tr in task_reports
        ],
        "documents": [
            {
                "number_symbol": d.number_symbol,
                "issued_on": d.issued_on.isoformat() if d.issued_on else "",
                "issuer": d.issuer,
                "title": d.title,
            }
            for d in report.issued_documents.all()
        ],
        "activities": [
            {
                "description": a.description,
                "held_on": a.held_on.isoformat() if a.held_on else "",
                "participants": a.participants,
            }
            for a in report.communication_activities.all()
        ],
    }


@dataclass
class Change:
    section: str  # "1.1" for a task, or the name of a report-level section
    label: str
    old: str
    new: str

    @property
    def inline(self):
        return inline_diff(self.old, self.new)


def _status_label(code: str) -> str:
    from reports.models import TaskReport

    return str(TaskReport.Status(code).label) if code in TaskReport.Status.values else code


def snapshot_diff(old: dict | None, new: dict) -> list[Change]:
    """What differs between two snapshots, task by task, then documents and communication activities."""
    old = old or {"tasks": [], "documents": [], "activities": []}
    changes: list[Change] = []
    old_tasks = {t["code"]: t for t in old.get("tasks", [])}
    for task in new.get("tasks", []):
        before = old_tasks.pop(task["code"], None) or {}
        code = task["code"]
        for key, label in (
            ("status", _("Implementation status")),
            ("results", _("Results achieved")),
            ("difficulties", _("Difficulties and obstacles")),
            ("proposals", _("Proposals and recommendations")),
        ):
            a, b = before.get(key, ""), task.get(key, "")
            if key == "status":
                a, b = _status_label(a) if a else "", _status_label(b) if b else ""
            if a != b:
                changes.append(Change(code, str(label), a, b))
        old_values = {i["indicator_id"]: i for i in before.get("indicators", [])}
        for ind in task.get("indicators", []):
            prev = old_values.get(ind["indicator_id"], {})
            a = _with_unit(prev.get("value", ""), ind["unit"])
            b = _with_unit(ind["value"], ind["unit"])
            if a != b or prev.get("note", "") != ind.get("note", ""):
                changes.append(
                    Change(code, ind["name"], _join(a, prev.get("note", "")), _join(b, ind.get("note", "")))
                )
        a_files = sorted(e["name"] for e in before.get("evidence", []))
        b_files = sorted(e["name"] for e in task.get("evidence", []))
        if a_files != b_files:
            changes.append(Change(code, str(_("Evidence files")), "\n".join(a_files), "\n".join(b_files)))
    for code, before in old_tasks.items():
        changes.append(Change(code, str(_("Task no longer in the report")), before.get("results", ""), ""))
    for key, label, fmt in (
        ("documents", _("Documents issued"), _document_line),
        ("activities", _("Communication activities"), _activity_line),
    ):
        a = "\n".join(fmt(x) for x in old.get(key, []))
        b = "\n".join(fmt(x) for x in new.get(key, []))
        if a != b:
            changes.append(Change(str(label), str(label), a, b))
    return changes


def _with_unit(value: str, unit: str) -> str:
    return f"{value} {unit}" if value not in ("", None) else ""


def _join(*parts: str) -> str:
    return " – ".join(p for p in parts if p)


def _iso_to_vn(text: str) -> str:
    if not text:
        return ""
    y, m, d = text.split("-")
    return f"{d}/{m}/{y}"


def _document_line(d: dict) -> str:
    return " – ".join(p for p in (d["number_symbol"], _iso_to_vn(d["issued_on"]), d["issuer"], d["title"]) if p)


def _activity_line(a: dict) -> str:
    people = _("%(n)s people") % {"n": a["participants"]} if a.get("participants") not in (None, "") else ""
    return " – ".join(p for p in (a["description"], _iso_to_vn(a["held_on"]), people) if p)


def inline_diff(old: str, new: str):
    """Word-level difference as HTML: removed words in <del>, added words in <ins>."""
    a, b = (old or "").split(), (new or "").split()
    try:
        opcodes = word_opcodes(a, b)
    except TooLongToCompare:
        return side_by_side(old, new)
    out = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))


def side_by_side(old: str, new: str):
    """Both versions in full, for texts too long or too repetitive to compare word by word."""
    return format_html(
        '<span class="diff-too-long d-block">{}</span>'
        '<span class="diff-side-by-side"><del class="d-block">{}</del><ins class="d-block">{}</ins></span>',
        _("Too long to compare word by word; showing the two versions side by side."),
        old,
        new,
    )
