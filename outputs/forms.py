from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outputs.models import ConsolidatedReport
from outputs.services import CONSOLIDATED_FIELDS
from reports.snapshots import inline_diff

NUMBER_RE = re.compile(r"^\d{1,10}$")


class ConsolidatedReportForm(forms.ModelForm):
    """The reviewers' own text of the consolidated report; `version` is the edit it was drawn from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = ConsolidatedReport
        fields = list(CONSOLIDATED_FIELDS)
        widgets = {
            "issued_on": forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
            ),
            "assessment": forms.Textarea(attrs={"rows": 8}),
            "difficulties": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 6}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        # Labels of their own: the models' verbose names ("number") are shared with other catalogues.
        labels = {
            "number": _("Number of the document"),
            "issued_on": _("Date of the document"),
            "assessment": _("Overall assessment"),
            "difficulties": _("Difficulties and obstacles"),
            "proposals": _("Proposals and recommendations"),
            "recipients": _("Recipients"),
            "signatory_name": _("Name of the signatory"),
            "signatory_title": _("Position of the signatory"),
            "signatory_is_deputy": _("A deputy signs for the head (KT.)"),
        }
        help_texts = {
            "number": _(
                "Digits only, filled in when the clerk registers the document. Empty: “…” is printed."
            ),
            "issued_on": _("Day/month/year. Empty: the date line is left blank for registration."),
            "assessment": _("What went well and what did not, across the agencies. One paragraph per line."),
            "difficulties": _(
                "The difficulties and obstacles to report to the province. One paragraph per line."
            ),
            "proposals": _("What the province and the Ministry are asked to do. One paragraph per line."),
            "recipients": _("One recipient per line, as in “Nơi nhận”; the last one is usually “Lưu: VT.”"),
            "signatory_name": _("The person who signs; printed under the signature."),
            "signatory_title": _("Printed above the name, for example Giám đốc or Phó Giám đốc."),
        }

    def __init__(self, *args, reporting_year, **kwargs):
        self.reporting_year = reporting_year
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
        self.fields["issued_on"].error_messages["invalid"] = _(
            "Enter the date as day/month/year, e.g. 05/12/2025."
        )
        self.fields["recipients"].required = True
        self.fields["recipients"].error_messages["required"] = _("Name at least one recipient.")
        self.fields["signatory_title"].required = True
        for name in CONSOLIDATED_FIELDS:
            # Each field carries the value it was drawn from, so that a refused save knows what this user changed.
            self.fields[name].show_hidden_initial = True
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and not NUMBER_RE.match(number):
            raise forms.ValidationError(
                _("Write the number in digits only, as the clerk registers it (e.g. 125).")
            )
        return number

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day is None:
            return day
        if day < self.reporting_year.period_start:
            raise forms.ValidationError(
                _(
                    "The report on %(year)s cannot be dated before %(start)s, the start of the reporting period."
                )
                % {
                    "year": self.reporting_year.year,
                    "start": self.reporting_year.period_start.strftime("%d/%m/%Y"),
                }
            )
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of issue cannot be in the future."))
        return day

    def clean_recipients(self):
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Name at least one recipient."))
        return "\n".join(lines)

    def clean(self):
        cleaned = super().clean()
        title = (cleaned.get("signatory_title") or "").strip()
        head = self.reporting_year.consolidating_agency.head_title
        if cleaned.get("signatory_is_deputy") and title.lower() == head.lower():
            self.add_error(
                "signatory_title",
                _("A deputy signs with their own position, for example Phó %(head)s.") % {"head": head},
            )
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONSOLIDATED_FIELDS}

    def after_stale(self, current: ConsolidatedReport, entries=()) -> tuple[ConsolidatedReportForm, list]:
        """The form to show after a save was refused because somebody else saved first, and what they changed.

        Three-way, field by field: where this user changed nothing, the other person's text is taken; where both
        changed a field, this user's text stays in the form and theirs is shown beside it. The version and the
        hidden "drawn from" values move to what is stored now, so that saving again keeps the merged text.
        """
        data = self.data.copy()
        data["version"] = str(current.version)
        sections = []
        for name in CONSOLIDATED_FIELDS:
            field_instance = self.fields[name]
            bound = self[name]
            theirs = _raw(current, name)
            mine = _submitted(field_instance, data, bound.html_name)
            base = data.get(bound.html_initial_name)
            known_base = base is not None
            if known_base:
                base = _normalise(field_instance, base)
            they_changed = not _same(field_instance, base, theirs) if known_base else True
            if they_changed and not _same(field_instance, mine, theirs):
                i_changed = not _same(field_instance, mine, base) if known_base else True
                if not i_changed:
                    _put(field_instance, data, bound.html_name, theirs)
                sections.append(
                    StaleSection(
                        label=str(field_instance.label),
                        theirs=_display(field_instance, theirs),
                        theirs_diff=inline_diff(
                            _display(field_instance, base) if known_base else "",
                            _display(field_instance, theirs),
                        ),
                        mine=_display(field_instance, mine),
                        taken=not i_changed,
                        changed_by=_changed_by(name, entries),
                    )
                )
            data[bound.html_initial_name] = theirs
        merged = ConsolidatedReportForm(data, instance=current, reporting_year=self.reporting_year)
        merged.is_valid()
        return merged, sections


@dataclass
class StaleSection:
    """One part of the text that somebody else changed since this user opened the page: theirs and this user's."""

    label: str
    theirs: str
    theirs_diff: str  # what they changed, against the text this user started from
    mine: str
    taken: bool  # this user had not changed it: their text is now in the form
    changed_by: list = field(default_factory=list)  # audit entries that changed it, oldest first


def _raw(instance: ConsolidatedReport, name: str) -> str:
    """The text a widget shows for a stored value."""
    value = getattr(instance, name)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _normalise(field_instance, raw) -> str:
    # Browsers send line breaks as CR LF, in the textarea and in the hidden copy alike.
    return str(raw).replace("\r\n", "\n")


def _submitted(field_instance, data, html_name: str) -> str:
    if isinstance(field_instance, forms.BooleanField):
        return str(field_instance.widget.value_from_datadict(data, {}, html_name))
    return _normalise(field_instance, data.get(html_name, ""))


def _put(field_instance, data, html_name: str, raw: str) -> None:
    if isinstance(field_instance, forms.BooleanField):
        if raw == "True":
            data[html_name] = "on"
        else:
            data.pop(html_name, None)
        return
    data[html_name] = raw


def _comparable(field_instance, raw):
    value = field_instance.to_python(raw)
    if isinstance(value, str):
        value = "\n".join(line.strip() for line in value.replace("\r\n", "\n").strip().split("\n"))
    return value


def _same(field_instance, a, b) -> bool:
    try:
        return _comparable(field_instance, a) == _comparable(field_instance, b)
    except ValidationError:
        return a == b


def _display(field_instance, raw) -> str:
    if isinstance(field_instance, forms.BooleanField):
        try:
            value = field_instance.to_python(raw)
        except ValidationError:
            value = False
        return gettext("yes") if value else gettext("no")
    return raw or ""


def _labels(name: str) -> set[str]:
    """The field's name in the audit entries, in whichever language their author used."""
    verbose_name = ConsolidatedReport._meta.get_field(name).verbose_name
    labels = set()
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            labels.add(str(verbose_name))
    return labels


def _changed_by(name: str, entries) -> list:
    labels = _labels(name)
    return [
        entry for entry in entries if any(change.get("field") in labels for change in entry.changes or [])
    ]
