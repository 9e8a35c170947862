import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outputs.models import ConsolidatedReport
from outputs.services import CONSOLIDATED_FIELDS

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
