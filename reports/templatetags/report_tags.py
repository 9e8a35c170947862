"""Small helpers for the report pages: labels for stored codes, Vietnamese numbers and dates, differences."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from audit.models import Action
from portal.jinja import url
from reports.figures import LABELS
from reports.forms import format_number
from reports.models import Report, TaskReport
from reports.snapshots import inline_diff

register = template.Library()


# The icon beside each state of a report (the label always goes with it: it reads without the icon too).
STATE_ICONS = {
    Report.State.ACCEPTED: "bi-check2-all",
    Report.State.SUBMITTED: "bi-send-check",
    Report.State.RETURNED: "bi-arrow-return-left",
    Report.State.DRAFT: "bi-pencil",
    Report.State.NOT_STARTED: "bi-hourglass",
}


@register.filter
def state_icon(state: str) -> str:
    """The Bootstrap icon class for a report's state."""
    return STATE_ICONS.get(state, "bi-info-circle")


@register.filter
def state_badge(report) -> str:
    """A report's state as a badge; the label reads without the colour and the icon too. Built here rather than
    in a template: the board, the heat map and the list of reports draw one per row, in both template engines."""
    return format_html(
        '<span class="badge state-badge state-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        report.state,
        state_icon(report.state),
        report.get_state_display(),
    )


@register.filter
def timeliness(report) -> str:
    """On time or how many days late, as a badge. A returned report is not handed in (reports.figures): its first
    submission's timeliness is shown apart."""
    days = report.days_late
    if days is None:
        return mark_safe('<span class="text-body-secondary">—</span>')
    if report.is_returned:
        if days == 0:
            text = _("first submission on time")
        else:
            text = ngettext(
                "first submission %(days)s day late", "first submission %(days)s days late", days
            ) % {"days": days}
        return format_html(
            '<span class="badge text-bg-light border" title="{}"><i class="bi bi-clock" aria-hidden="true"></i> {}</span>',
            _("Counted again once the report is submitted again"),
            text,
        )
    if days == 0:
        return format_html('<span class="badge text-bg-success"><i class="bi bi-clock" aria-hidden="true"></i> {}</span>', _("on time"))
    return format_html(
        '<span class="badge text-bg-danger"><i class="bi bi-clock-history" aria-hidden="true"></i> {}</span>',
        ngettext("%(days)s day late", "%(days)s days late", days) % {"days": days},
    )


@dataclass(frozen=True)
class Tab:
    url: str
    icon: str
    label: str
    active: bool


def report_tabs(report, active: str, can_edit: bool) -> list[Tab]:
    """The tabs of a report's pages (reports/jinja2/reports/report_header.html): the report, writing it (for its
    agency while it may edit), its submissions (with the comparison) and its history."""
    tabs = [Tab(url("reports:detail", report.pk), "bi-file-text", _("Report"), active == "detail")]
    if can_edit:
        tabs.append(Tab(url("reports:edit", report.pk), "bi-pencil-square", _("Write"), active == "edit"))
    tabs.append(
        Tab(url("reports:versions", report.pk), "bi-layers", _("Submissions"), active in ("versions", "compare"))
    )
    tabs.append(
        Tab(url("reports:history", report.pk), "bi-clock-history", pgettext("report page", "History"), active == "history")
    )
    return tabs


@register.filter
def figure_label(key: str) -> str:
    """The one word for a figure of a reporting year (reports.figures.LABELS), for column headings."""
    return LABELS[key]


@register.filter
def task_status_label(code):
    return TaskReport.Status(code).label if code in TaskReport.Status.values else ""


@register.filter
def state_label(code):
    return Report.State(code).label if code in Report.State.values else code


@register.filter
def action_label(code):
    return Action(code).label if code in Action.values else code


@register.filter
def number(value):
    """A stored decimal (or its text in a snapshot) with the language's separators: 1.500,5."""
    if value in (None, ""):
        return ""
    try:
        return format_number(Decimal(str(value)))
    except InvalidOperation:
        return value


@register.filter
def iso_date(text):
    """A snapshot's ISO date as dd/mm/yyyy."""
    if not text:
        return ""
    try:
        return datetime.date.fromisoformat(str(text)).strftime("%d/%m/%Y")
    except ValueError:
        return text


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def indicator_rows(indicators, targets) -> list[dict]:
    """A task's indicators as rows of reports/includes/indicator_table.html: the value and the year's target as text."""
    rows = []
    for indicator in indicators:
        target = targets.get(indicator["indicator_id"]) if targets else None
        rows.append(
            {
                **indicator,
                "value_text": number(indicator.get("value")),
                "target_text": number(target.value) if target is not None else "",
            }
        )
    return rows


@register.simple_tag
def diff(old, new):
    return inline_diff(old or "", new or "")


@register.filter
def task_anchor(code):
    """"3.1" -> "3-1", the id of a task's section on every report page."""
    return str(code).replace(".", "-")
