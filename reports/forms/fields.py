"""Fields of the report form: free text, Vietnamese numbers, dates typed dd/mm/yyyy, evidence files."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import JINJA2_FORM_RENDERER, QuickCopyMetaclass
from reports.evidence import ACCEPT_ATTRIBUTE, EvidenceRejected, check_evidence_file

TEXT_MAX = 20_000

# The report page draws about a hundred widgets (four per task, two per indicator, the rows of the two lists).
REPORT_FORM_RENDERER = JINJA2_FORM_RENDERER


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
        if re.fullmatch(rf"-?\d{{1,3}}({re.escape(thousand_sep)}\d{{3}})+", s):
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


class ReportForm(forms.Form, metaclass=QuickCopyMetaclass):
    """A form of the report page, drawn with `REPORT_FORM_RENDERER`; each form copies its fields field by field
    (portal.forms.copy_field), the page making one per task and per indicator."""

    default_renderer = REPORT_FORM_RENDERER


def _style(form) -> None:
    """Bootstrap's classes on the inputs that the page lays out by hand."""
    for field_instance in form.fields.values():
        widget = field_instance.widget
        if not widget.is_hidden:
            widget.attrs["class"] = " ".join(filter(None, ["form-control", widget.attrs.get("class", "")]))


def _edited(field_instance):
    field_instance.show_hidden_initial = True
    return field_instance
