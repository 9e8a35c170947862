"""The forms of one task (answer and indicator values), the two lists of the report, and the version."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.forms.fields import (
    REPORT_FORM_RENDERER,
    TEXT_MAX,
    EvidenceField,
    NumberField,
    PastDateField,
    ReportForm,
    TextField,
    WholeNumberField,
    _edited,
    _style,
    format_number,
)
from reports.models import CommunicationActivity, IssuedDocument, TaskReport

# --- One task ----------------------------------------------------------------------------------------------


class TaskAnswerForm(ReportForm):
    status = _edited(
        forms.ChoiceField(
            label=gettext_lazy("Implementation status"),
            choices=TaskReport.Status.choices,
            required=False,
            widget=forms.RadioSelect,
        )
    )
    results = _edited(
        TextField(
            label=gettext_lazy("Results achieved"),
            required=False,
            max_length=TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=gettext_lazy("What was done in the year: documents, programmes, projects, figures."),
        )
    )
    difficulties = _edited(
        TextField(
            label=gettext_lazy("Difficulties and obstacles"),
            required=False,
            max_length=TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )
    proposals = _edited(
        TextField(
            label=gettext_lazy("Proposals and recommendations"),
            required=False,
            max_length=TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )
    files = EvidenceField(label=gettext_lazy("Attach evidence files"), required=False)

    def __init__(self, *args, max_size_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _("PDF, DOCX, XLSX, JPG or PNG, at most %(size)s each; several at once.") % {
            "size": max_size_text
        }
        self.fields["status"].widget.attrs["class"] = "form-check-input"
        for name in ("results", "difficulties", "proposals"):
            self.fields[name].widget.attrs["class"] = "textarea form-control"

    @staticmethod
    def initial_for(answer: TaskReport) -> dict:
        return {"status": answer.status, "results": answer.results, "difficulties": answer.difficulties, "proposals": answer.proposals}


class IndicatorValueForm(ReportForm):
    value = _edited(NumberField(label=gettext_lazy("Value achieved"), required=False))
    note = _edited(forms.CharField(label=gettext_lazy("Note"), required=False, max_length=255))

    def __init__(self, *args, indicator_value, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_value = indicator_value
        self.indicator = indicator_value.indicator
        self.target = target
        self.fields["value"].label = f"{self.indicator.name} ({self.indicator.unit})"
        self.fields["note"].label = _("Note on %(indicator)s") % {"indicator": self.indicator.name}
        _style(self)
        # The page shows this year's target under the indicator's name.
        self.fields["value"].widget.attrs["aria-describedby"] = f"id_{self.add_prefix('value')}_target"

    @staticmethod
    def initial_for(value) -> dict:
        return {"value": format_number(value.value), "note": value.note}


# --- The two lists of the report ---------------------------------------------------------------------------


class RowForm(ReportForm):
    """One row of a list; `id` is the stored row it edits (empty for a new row)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    REQUIRED: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def has_content(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) not in (None, "") for name in self.content_fields())

    @classmethod
    def content_fields(cls) -> list[str]:
        return [name for name in cls.base_fields if name not in ("id", "DELETE")]

    def clean(self):
        data = super().clean()
        if data.get("DELETE") or not self.has_content():
            return data
        for name in self.REQUIRED:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def row(self) -> dict:
        return {"id": self.cleaned_data.get("id"), **{name: self.cleaned_data.get(name) for name in self.content_fields()}}


class DocumentForm(RowForm):
    number_symbol = _edited(
        forms.CharField(
            label=gettext_lazy("Number and symbol"),
            required=False,
            max_length=100,
            widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. 15/KH-SCT")}),
            error_messages={"required": gettext_lazy("Enter the number and symbol, for example 15/KH-SCT.")},
        )
    )
    issued_on = _edited(PastDateField(label=gettext_lazy("Date of issue"), required=False))
    issuer = _edited(
        forms.CharField(
            label=gettext_lazy("Issued by"),
            required=False,
            max_length=255,
            error_messages={"required": gettext_lazy("Enter who issued the document.")},
        )
    )
    title = _edited(
        TextField(
            label=gettext_lazy("Title (summary)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": gettext_lazy("Enter the title of the document.")},
        )
    )
    REQUIRED = ("number_symbol", "issuer", "title")

    @staticmethod
    def initial_for(document: IssuedDocument) -> dict:
        return {
            "id": document.pk,
            "number_symbol": document.number_symbol,
            "issued_on": document.issued_on,
            "issuer": document.issuer,
            "title": document.title,
        }


class ActivityForm(RowForm):
    description = _edited(
        TextField(
            label=gettext_lazy("Activity"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={"required": gettext_lazy("Describe the activity.")},
        )
    )
    held_on = _edited(PastDateField(label=gettext_lazy("Date"), required=False))
    participants = _edited(
        WholeNumberField(
            label=gettext_lazy("People reached"),
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "text-end"}),
        )
    )
    REQUIRED = ("description",)

    @staticmethod
    def initial_for(activity: CommunicationActivity) -> dict:
        return {
            "id": activity.pk,
            "description": activity.description,
            "held_on": activity.held_on,
            "participants": format_number(Decimal(activity.participants)) if activity.participants is not None else "",
        }


class RowFormSet(forms.BaseFormSet):
    """A list whose new rows start with `new_row` (the agency as issuer of a document)."""

    new_row: dict = {}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def get_form_kwargs(self, index):
        if index is None or index >= self.initial_form_count():
            return {"initial": dict(self.new_row)}
        return {}

    def rows(self) -> list[dict]:
        return [
            form.row()
            for form in self.forms
            if form.is_valid() and not form.cleaned_data.get("DELETE") and form.has_content()
        ]


DocumentFormSet = forms.formset_factory(
    DocumentForm, formset=RowFormSet, can_delete=True, extra=0, max_num=200, renderer=REPORT_FORM_RENDERER
)
ActivityFormSet = forms.formset_factory(
    ActivityForm, formset=RowFormSet, can_delete=True, extra=0, max_num=200, renderer=REPORT_FORM_RENDERER
)


class VersionForm(ReportForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
