"""Where everything sits in the offline workbook: shared by the writer and the reader, so they cannot drift."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.models import TaskReport

META_SHEET = "_portal"  # very hidden: report id, edit version, agency code, year
FIRST_ROW = 2  # row 1 holds the column headings
EXTRA_ROWS = 30  # empty unlocked rows under the documents and activities for new entries


def sheet_names() -> dict[str, str]:
    return {
        "help": _("Instructions"),
        "tasks": _("Tasks"),
        "indicators": _("Indicators"),
        "documents": _("Documents issued"),
        "activities": _("Communication"),
    }


# Columns: (key, heading, width, unlocked)
def task_columns():
    return [
        ("code", _("Task"), 9, False),
        ("text", _("Assigned task (from the letter)"), 60, False),
        ("status", _("Implementation status"), 24, True),
        ("results", _("Results achieved"), 60, True),
        ("difficulties", _("Difficulties and obstacles"), 40, True),
        ("proposals", _("Proposals and recommendations"), 40, True),
    ]


def indicator_columns():
    return [
        ("code", _("Task"), 9, False),
        ("name", _("Indicator"), 50, False),
        ("unit", _("Unit"), 14, False),
        ("target", _("Provincial target for the year"), 18, False),
        ("value", _("Value achieved"), 18, True),
        ("note", _("Note"), 40, True),
        ("id", "id", 6, False),
    ]


def document_columns():
    return [
        ("number_symbol", _("Number and symbol"), 22, True),
        ("issued_on", _("Date of issue (dd/mm/yyyy)"), 18, True),
        ("issuer", _("Issued by"), 30, True),
        ("title", _("Title (summary)"), 70, True),
    ]


def activity_columns():
    return [
        ("description", _("Activity"), 70, True),
        ("held_on", _("Held on (dd/mm/yyyy)"), 18, True),
        ("participants", _("People reached"), 16, True),
    ]


def status_choices() -> dict[str, str]:
    """Label shown in the drop-down list -> status code."""
    return {str(label): code for code, label in TaskReport.Status.choices}
