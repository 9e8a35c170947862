"""The report's edit form: one section per task, the indicator values, evidence, and the two lists of the report.

Every editable field carries the value it was drawn from (`show_hidden_initial`), so that the page knows what
this user changed. When the save is refused because somebody else saved first, `ReportEditForms.after_stale`
keeps what this user typed, takes the other person's values where this user changed nothing, and flags the
fields both changed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.drafting import DraftInput
from reports.evidence import ACCEPT_ATTRIBUTE, EvidenceRejected, check_evidence_file
from reports.models import CommunicationActivity, IssuedDocument, TaskReport

TEXT_MAX = 20_000


# --- Fields ------------------------------------------------------------------------------------------------


class TextField(forms.CharField):
    """Free text as the agency typed it, with line ends and Vietnamese accents stored one way (NFC)."""

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")) if value else value


def parse_number(text: str) -> Decimal:
    """A number as Vietnamese users write it: "1.500", "1.500,75", "12,5"; also "12.5" typed out of habit.

    The separators are the active language's. Without a decimal separator, dots that group exactly three digits
    are thousands ("1.500" is one thousand five hundred); a single other dot is a decimal point.
    """
    decimal_sep = get_format("DECIMAL_SEPARATOR")
    thousand_sep = get_format("THOUSAND_SEPARATOR")
    s = re.sub(r"[\s\u00a0\u202f]", "", text)
    if decimal_sep in s:
        whole, fraction = s.rsplit(decimal_sep, 1)
        s = f"{whole.replace(thousand_sep, '')}.{fraction}"
    elif thousand_sep in s:
        if re.fullmatch(r"-?\d{1,3}(%s\d{3})+" % re.escape(thousand_sep), s):
            s = s.replace(thousand_sep, "")
        elif s.count(thousand_sep) == 1:
            s = s.replace(thousand_sep, ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", s):
        raise ValueError(text)
    return Decimal(s)


def format_number(value: Decimal | None) -> str:
    """A stored value as the form shows it: no trailing zeros, the active language's separators."""
    if value is None:
        return ""
    return number_format(Decimal(format(value.normalize(), "f")), use_l10n=True, force_grouping=True)


class NumberField(forms.Field):
    """An indicator value: decimal, not negative, at most 14 digits before and 4 after the decimal sign."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "text-end"})
    default_error_messages = {
        "invalid": gettext_lazy("Enter a number, for example 1.500 or 12,5."),
        "negative": gettext_lazy("The value cannot be negative."),
        "too_large": gettext_lazy("The number is too large."),
        "too_precise": gettext_lazy("Use at most 4 digits after the decimal sign."),
    }

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_number(str(value))
        except (ValueError, InvalidOperation):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        sign, digits, exponent = number.as_tuple()
        if -exponent > 4:
            raise ValidationError(self.error_messages["too_precise"], code="too_precise")
        if len(digits) + min(exponent, 0) > 14:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return number

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class WholeNumberField(NumberField):
    default_error_messages = {"invalid": gettext_lazy("Enter a whole number, for example 1.200.")}
    MAXIMUM = 2_000_000_000  # the column holds a 32-bit integer

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if number > self.MAXIMUM:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return int(number)


class PastDateField(forms.DateField):
    """A date typed dd/mm/yyyy that has already happened."""

    widget = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("The date cannot be later than today."), code="future")
        if value and value.year < 2000:
            raise ValidationError(_("Check the year of this date."), code="too_old")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files at once, each checked by its content."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        errors, accepted = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            if not upload:
                continue
            try:
                check_evidence_file(upload)
            except EvidenceRejected as error:
                errors.append(ValidationError(error.message, code="evidence"))
            else:
                accepted.append(upload)
        if errors:
            raise ValidationError(errors)
        return accepted

    def has_changed(self, initial, data):
        return bool(data)


def _style(form) -> None:
    """Bootstrap's classes on the inputs that the page lays out by hand."""
    for field_instance in form.fields.values():
        widget = field_instance.widget
        if not widget.is_hidden:
            widget.attrs["class"] = " ".join(filter(None, ["form-control", widget.attrs.get("class", "")]))


def _edited(field_instance):
    field_instance.show_hidden_initial = True
    return field_instance


# --- One task ----------------------------------------------------------------------------------------------


class TaskAnswerForm(forms.Form):
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
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("status", wrapper_class="task-status"),
            Field("results"),
            Field("difficulties"),
            Field("proposals"),
        )

    @staticmethod
    def initial_for(answer: TaskReport) -> dict:
        return {"status": answer.status, "results": answer.results, "difficulties": answer.difficulties, "proposals": answer.proposals}


class IndicatorValueForm(forms.Form):
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


class RowForm(forms.Form):
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


DocumentFormSet = forms.formset_factory(DocumentForm, formset=RowFormSet, can_delete=True, extra=0, max_num=200)
ActivityFormSet = forms.formset_factory(ActivityForm, formset=RowFormSet, can_delete=True, extra=0, max_num=200)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- The whole page ----------------------------------------------------------------------------------------


@dataclass
class TaskSection:
    answer: TaskReport
    form: TaskAnswerForm
    value_forms: list[IndicatorValueForm]
    evidence: list
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (field label, the other person's value)
    lost_files: list[str] = field(default_factory=list)

    @property
    def task(self):
        return self.answer.task

    @property
    def code(self) -> str:
        return self.answer.task.code

    @property
    def anchor(self) -> str:
        return "task-" + self.code.replace(".", "-")

    @property
    def is_complete(self) -> bool:
        return self.answer.is_complete

    @property
    def errors(self) -> bool:
        return bool(self.form.errors) or any(f.errors for f in self.value_forms)


class ReportEditForms:
    """All forms of the edit page for one report, unbound (from the database) or bound to a POST."""

    DOCUMENTS = "doc"
    ACTIVITIES = "act"

    def __init__(self, report, answers, *, targets: dict, documents: list, activities: list, data=None, files=None):
        self.report = report
        self.data = data
        self.files = files
        self.is_bound = data is not None
        self.version_form = VersionForm(data, initial={"version": report.version})
        self.sections: list[TaskSection] = []
        self.documents_conflict = ""
        self.activities_conflict = ""
        max_size_text = filesizeformat(settings.EVIDENCE_MAX_BYTES)
        evidence_ids = set()
        for answer in answers:
            prefix = f"t{answer.pk}"
            present = self.is_bound and f"{prefix}-present" in data
            form = TaskAnswerForm(
                data if present else None,
                files if present else None,
                prefix=prefix,
                initial=TaskAnswerForm.initial_for(answer),
                max_size_text=max_size_text,
            )
            value_forms = [
                IndicatorValueForm(
                    data if present else None,
                    prefix=f"v{value.pk}",
                    initial=IndicatorValueForm.initial_for(value),
                    indicator_value=value,
                    target=targets.get(value.indicator_id),
                )
                for value in answer.indicator_values.all()
            ]
            evidence = list(answer.evidence.all())
            evidence_ids.update(e.pk for e in evidence)
            self.sections.append(TaskSection(answer=answer, form=form, value_forms=value_forms, evidence=evidence))
        self.evidence_ids = evidence_ids
        agency_name = report.agency.name
        self.documents = self._formset(
            DocumentFormSet, self.DOCUMENTS, [DocumentForm.initial_for(d) for d in documents], {"issuer": agency_name}
        )
        self.activities = self._formset(
            ActivityFormSet, self.ACTIVITIES, [ActivityForm.initial_for(a) for a in activities], {}
        )

    def _formset(self, formset_class, prefix, initial, new_row):
        bound = self.is_bound and f"{prefix}-TOTAL_FORMS" in self.data
        formset_class = type(formset_class.__name__, (formset_class,), {"new_row": new_row, "extra": 0 if initial else 1})
        return formset_class(self.data if bound else None, prefix=prefix, initial=initial)

    # --- Reading a POST -------------------------------------------------------------------------------------

    def bound_forms(self):
        for section in self.sections:
            if section.form.is_bound:
                yield section.form
                yield from section.value_forms

    def bound_formsets(self):
        return [fs for fs in (self.documents, self.activities) if fs.is_bound]

    def is_valid(self) -> bool:
        results = [self.version_form.is_valid()]
        results += [form.is_valid() for form in self.bound_forms()]
        results += [formset.is_valid() for formset in self.bound_formsets()]
        return all(results)

    @property
    def version(self) -> int | None:
        return self.version_form.cleaned_data.get("version") if self.version_form.is_valid() else None

    def removals(self) -> list[int]:
        wanted = []
        for raw in self.data.getlist("remove_evidence") if self.is_bound else []:
            try:
                wanted.append(int(raw))
            except ValueError:
                continue
        return [pk for pk in wanted if pk in self.evidence_ids]

    def draft_input(self) -> DraftInput:
        """What changed, for `report_draft_save`; only fields this user changed are sent."""
        draft = DraftInput()
        for section in self.sections:
            form = section.form
            if not form.is_bound:
                continue
            changed = [name for name in form.changed_data if name != "files"]
            if changed:
                draft.answers[section.answer.pk] = {name: form.cleaned_data[name] for name in changed}
            for upload in form.cleaned_data.get("files") or []:
                draft.uploads.append((section.answer.pk, upload))
            for value_form in section.value_forms:
                if value_form.changed_data:
                    draft.values[value_form.indicator_value.pk] = {
                        name: value_form.cleaned_data[name] for name in value_form.changed_data
                    }
        if self.documents.is_bound and self.documents.has_changed():
            draft.documents = self.documents.rows()
        if self.activities.is_bound and self.activities.has_changed():
            draft.activities = self.activities.rows()
        draft.removals = self.removals()
        return draft

    def has_changes(self) -> bool:
        draft = self.draft_input()
        return bool(
            draft.answers
            or draft.values
            or draft.documents is not None
            or draft.activities is not None
            or draft.uploads
            or draft.removals
        )

    def sections_with_errors(self) -> list[TaskSection]:
        return [s for s in self.sections if s.errors]

    def uploaded_names(self, section: TaskSection) -> list[str]:
        if not (self.files and section.form.is_bound):
            return []
        return [f.name for f in self.files.getlist(section.form.add_prefix("files"))]

    # --- After a stale save ---------------------------------------------------------------------------------

    def after_stale(self, current: ReportEditForms) -> ReportEditForms:
        """The forms to show after the save was refused: `current` is built from the database as it is now.

        This user's changes are kept; where they changed nothing, the other person's values are taken; the hidden
        "initial" values move to the current ones, so that the next save is measured against what is stored now.
        """
        data = self.data.copy()
        data["version"] = str(current.report.version)
        conflicts: dict[int, list[tuple[str, str]]] = {}
        current_sections = {s.answer.pk: s for s in current.sections}
        for section in self.sections:
            if not section.form.is_bound or section.answer.pk not in current_sections:
                continue
            now = current_sections[section.answer.pk]
            found = _merge_form(section.form, now.form.initial, data)
            for old_form, new_form in zip(section.value_forms, now.value_forms):
                found += _merge_form(old_form, new_form.initial, data)
            conflicts[section.answer.pk] = found
        documents_conflict = _merge_formset(self.documents, current.documents, data)
        activities_conflict = _merge_formset(self.activities, current.activities, data)
        merged = ReportEditForms(
            current.report,
            [s.answer for s in current.sections],
            targets={},
            documents=[],
            activities=[],
            data=data,
        )
        # Targets, evidence and unbound lists come from the current page.
        for section, now in zip(merged.sections, current.sections):
            section.evidence = now.evidence
            for value_form, now_form in zip(section.value_forms, now.value_forms):
                value_form.target = now_form.target
            section.conflicts = conflicts.get(section.answer.pk, [])
            old = next((s for s in self.sections if s.answer.pk == section.answer.pk), None)
            section.lost_files = self.uploaded_names(old) if old else []
        merged.evidence_ids = current.evidence_ids
        merged.documents = _rebind(current.documents, data, documents_conflict is not None)
        merged.activities = _rebind(current.activities, data, activities_conflict is not None)
        merged.documents_conflict = documents_conflict or ""
        merged.activities_conflict = activities_conflict or ""
        return merged


def _display(field_instance, raw) -> str:
    if isinstance(field_instance, forms.ChoiceField):
        return str(dict(field_instance.choices).get(raw, raw or ""))
    if isinstance(raw, datetime.date):
        return raw.strftime("%d/%m/%Y")
    return "" if raw is None else str(raw)


def _raw(field_instance, value) -> str:
    """The text a widget shows for an initial value."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _same(field_instance, a, b) -> bool:
    try:
        return field_instance.to_python(a) == field_instance.to_python(b)
    except ValidationError:
        return a == b


def _merge_form(form, current_initial: dict, data) -> list[tuple[str, str]]:
    """Three-way merge of one bound form into `data`; returns the fields both people changed."""
    conflicts = []
    for name, bound in ((name, form[name]) for name in form.fields):
        field_instance = form.fields[name]
        if not field_instance.show_hidden_initial:
            continue
        mine = data.get(bound.html_name, "")
        base = data.get(bound.html_initial_name, "")
        theirs = _raw(field_instance, current_initial.get(name))
        i_changed = not _same(field_instance, mine, base)
        they_changed = not _same(field_instance, base, theirs)
        if not i_changed:
            data[bound.html_name] = theirs
        elif they_changed and not _same(field_instance, mine, theirs):
            conflicts.append((str(field_instance.label), _display(field_instance, theirs) or "—"))
        data[bound.html_initial_name] = theirs
    return conflicts


def _merge_formset(mine, current, data) -> str | None:
    """Merge a list row by row. Returns None when this user did not touch it (the stored list is shown as it is
    now), else a note ("" when nobody else changed it) and rewrites the list's keys in `data`."""
    if not mine.is_bound or not mine.has_changed():
        for key in [k for k in data if k.startswith(f"{mine.prefix}-") or k.startswith(f"initial-{mine.prefix}-")]:
            del data[key]
        return None
    stored = {row["id"]: row for row in current.initial or []}
    rows, seen, others_changed = [], set(), False
    for form in mine.forms:
        raw_id = data.get(form.add_prefix("id"), "")
        row_id = int(raw_id) if str(raw_id).isdigit() else None
        values = {name: data.get(form.add_prefix(name), "") for name in form.content_fields()}
        initials = {name: data.get(form.add_initial_prefix(name), "") for name in form.content_fields()}
        deleted = bool(data.get(form.add_prefix("DELETE")))
        if row_id is not None and row_id in stored:
            seen.add(row_id)
            row = {"id": str(row_id), "DELETE": deleted, "values": {}, "initials": {}}
            for name in form.content_fields():
                field_instance = form.fields[name]
                theirs = _raw(field_instance, stored[row_id].get(name))
                i_changed = not _same(field_instance, values[name], initials[name])
                if not _same(field_instance, initials[name], theirs):
                    others_changed = True
                row["values"][name] = values[name] if i_changed else theirs
                row["initials"][name] = theirs
            rows.append(row)
        elif row_id is not None:
            others_changed = True  # removed by the other person: keep it only if this user edited it
            if form.has_changed() and not deleted:
                rows.append({"id": "", "DELETE": False, "values": values, "initials": {}})
        elif form.has_changed() and not deleted:
            rows.append({"id": "", "DELETE": False, "values": values, "initials": {}})
    for row_id, row in stored.items():
        if row_id not in seen:
            others_changed = True
            theirs = {name: _raw(mine.form.base_fields[name], row.get(name)) for name in mine.form.content_fields()}
            rows.append({"id": str(row_id), "DELETE": False, "values": theirs, "initials": dict(theirs)})
    rows.sort(key=lambda r: r["id"] == "")  # stored rows first: they are the formset's initial forms
    for key in [k for k in data if k.startswith(f"{mine.prefix}-") or k.startswith(f"initial-{mine.prefix}-")]:
        del data[key]
    data[f"{mine.prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{mine.prefix}-INITIAL_FORMS"] = str(sum(1 for r in rows if r["id"]))
    data[f"{mine.prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{mine.prefix}-MAX_NUM_FORMS"] = "1000"
    for index, row in enumerate(rows):
        prefix = f"{mine.prefix}-{index}"
        data[f"{prefix}-id"] = row["id"]
        if row["DELETE"]:
            data[f"{prefix}-DELETE"] = "on"
        for name, value in row["values"].items():
            data[f"{prefix}-{name}"] = value
            data[f"initial-{prefix}-{name}"] = row["initials"].get(name, "")
    return _("Somebody else also changed this list: check it before saving again.") if others_changed else ""


def _rebind(current_formset, data, bound: bool):
    """The list to show after a stale save: the user's merged rows, or the stored list as it is now."""
    formset_class = type(current_formset)
    initial = current_formset.initial
    return formset_class(data if bound else None, prefix=current_formset.prefix, initial=initial)
