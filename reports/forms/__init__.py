"""The report's edit form (see reports/forms/page.py for how the page is put together and merged)."""

from reports.forms.fields import format_number, parse_number
from reports.forms.page import ReportEditForms, TaskSection
from reports.forms.sections import (
    ActivityForm,
    DocumentForm,
    IndicatorValueForm,
    TaskAnswerForm,
    VersionForm,
)

__all__ = [
    "ActivityForm",
    "DocumentForm",
    "IndicatorValueForm",
    "ReportEditForms",
    "TaskAnswerForm",
    "TaskSection",
    "VersionForm",
    "format_number",
    "parse_number",
]
