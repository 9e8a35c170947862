import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import Agency, ReportingYear, default_deadline, kind_filter_choices
from portal.forms import JINJA2_FORM_RENDERER
from reports.models import Report, TaskReport
from review.selectors import SORTS

TEXTAREA = {"rows": 3, "class": "form-control"}


class MarkInvalidMixin:
    """Bootstrap's red outline on the fields that have an error, with the message tied to the field."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
                widget.attrs["aria-invalid"] = "true"


class BoardFilterForm(forms.Form):
    """The board's filters, read from the query string; a value it does not know is simply ignored."""

    default_renderer = JINJA2_FORM_RENDERER

    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind of agency"), required=False)
    district = forms.ChoiceField(label=_("Former district"), required=False)
    group = forms.TypedChoiceField(label=_("Task group"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Agency name"), required=False, max_length=100)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])
    desc = forms.BooleanField(required=False)

    def __init__(self, *args, groups=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["state"].choices = everything + list(Report.State.choices)
        # The groups a civil servant thinks in (Sở, ban, ngành; Xã; Phường), then each other kind of agency.
        self.fields["kind"].choices = everything + kind_filter_choices()
        self.fields["district"].choices = everything + [(d, d) for d in districts]
        self.fields["group"].choices = everything + [
            (
                g.number,
                _("Group %(number)s – %(heading)s") % {"number": g.number, "heading": _short(g.heading)},
            )
            for g in groups
        ]
        for name in ("state", "kind", "district", "group"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs.update({"class": "form-control form-control-sm", "type": "search"})

    def values(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        # Keep the filters that are valid, drop the others.
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class TaskReviewForm(MarkInvalidMixin, forms.Form):
    """The reviewer's rating of one task and a new comment on it."""

    rating = forms.ChoiceField(
        label=_("Your rating"),
        required=False,
        choices=[("", _("Not rated yet"))] + list(TaskReport.Rating.choices),
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    comment = forms.CharField(
        label=_("Comment on this task"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("The agency sees it beside the task."),
    )


class ReviewDecisionForm(forms.Form):
    DECISIONS = [("save", _("Save")), ("return", _("Return")), ("accept", _("Accept"))]

    version = forms.IntegerField(widget=forms.HiddenInput)
    # Sent by the button the reviewer pressed (name="decision"), not rendered as a field.
    decision = forms.ChoiceField(choices=DECISIONS)
    comment = forms.CharField(
        label=_("Comment on the whole report"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("When you accept, it is kept as the acceptance note. The agency sees it."),
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Required to return the report; kept in its history and shown to the agency."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for returning the report; the agency will see it."))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("Give the reason for reopening the report.")},
        help_text=_("Kept in the report's history and sent to the agency."),
    )


class SelectedReportsForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": _("Tick at least one submitted report.")}
    )

    def __init__(self, *args, report_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(pk, pk) for pk in report_ids]


def _date_widget():
    return forms.DateInput(format="%d/%m/%Y", attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"})


class YearCreateForm(MarkInvalidMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=_("Deadline"),
        input_formats=["%d/%m/%Y"],
        widget=_date_widget(),
        help_text=_("dd/mm/yyyy. The letter sets 02/12 of each year."),
        error_messages={"invalid": _("Enter the date as dd/mm/yyyy, for example 02/12/2027.")},
    )
    consolidating_agency = forms.ModelChoiceField(
        label=_("Consolidating agency"), queryset=Agency.objects.none()
    )

    def __init__(self, *args, directive=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directive = directive
        today = timezone.localdate()
        self.fields["consolidating_agency"].queryset = Agency.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        ).order_by("position", "name")
        self.fields["year"].widget.attrs["class"] = "form-control"
        self.fields["consolidating_agency"].widget.attrs["class"] = "form-select"

    @staticmethod
    def initial_for(latest: ReportingYear | None) -> dict:
        year = (latest.year + 1) if latest else timezone.localdate().year
        initial = {"year": year, "deadline": default_deadline(year)}
        if latest is not None:
            initial["consolidating_agency"] = latest.consolidating_agency_id
        return initial

    def clean(self):
        data = super().clean()
        year, deadline = data.get("year"), data.get("deadline")
        if (
            year
            and self.directive
            and ReportingYear.objects.filter(directive=self.directive, year=year).exists()
        ):
            self.add_error("year", _("The reporting year %(year)s already exists.") % {"year": year})
        if year and isinstance(deadline, datetime.date) and deadline.year != year:
            self.add_error("deadline", _("The deadline must fall within the year %(year)s.") % {"year": year})
        return data
