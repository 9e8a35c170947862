"""One form field laid out as Bootstrap 5 does it (label, control, errors, help), drawn in Python.

crispy-forms lays fields out through several nested templates, about two milliseconds a field; the pages with
many fields (the report form, the consolidated report's text) use this filter instead and look the same.
"""

import html

from django import forms, template
from django.utils.safestring import mark_safe

from portal.forms import hidden_initial

register = template.Library()


def _escape(value) -> str:
    # django.utils.html.conditional_escape, without its lazy wrapper: this filter writes a dozen pieces a field.
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _control_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def bootstrap_field(bound_field):
    widget = bound_field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    auto_id = bound_field.auto_id
    errors = bound_field.errors
    help_text = bound_field.help_text
    classes = [widget.attrs.get("class") or _control_class(widget)]
    attrs = {}
    described_by = []
    if help_text:
        described_by.append(f"{auto_id}_helptext")
    if errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described_by.append(f"{auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["class"] = " ".join(classes)
    control = bound_field.as_widget(attrs=attrs)
    if bound_field.field.show_hidden_initial:
        control += hidden_initial(bound_field)
    asterisk = '<span class="asteriskField">*</span>' if bound_field.field.required else ""
    label = (
        f'<label for="{_escape(bound_field.id_for_label)}" class="{"form-check-label" if checkbox else "form-label"}">'
        f"{_escape(bound_field.label)}{asterisk}</label>"
    )
    error_html = ""
    if errors:
        items = "".join(f'<p class="mb-0"><strong>{_escape(e)}</strong></p>' for e in errors)
        error_html = f'<div id="{_escape(auto_id)}_error" class="invalid-feedback d-block">{items}</div>'
    help_html = f'<div id="{_escape(auto_id)}_helptext" class="form-text">{_escape(help_text)}</div>' if help_text else ""
    if checkbox:
        return mark_safe(
            f'<div id="div_{_escape(auto_id)}" class="mb-3"><div class="form-check">{control}{label}</div>'
            f"{error_html}{help_html}</div>"
        )
    return mark_safe(f'<div id="div_{_escape(auto_id)}" class="mb-3">{label}{control}{error_html}{help_html}</div>')
