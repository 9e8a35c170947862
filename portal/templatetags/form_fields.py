"""One form field laid out as Bootstrap 5 does it (label, control, errors, help), drawn in Python.

crispy-forms lays fields out through several nested templates, about two milliseconds a field; the pages with
many fields (the report form, the consolidated report's text) use this filter instead and look the same.
"""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


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
    classes = [widget.attrs.get("class") or _control_class(widget)]
    attrs = {}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{auto_id}_helptext")
    if bound_field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described_by.append(f"{auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["class"] = " ".join(classes)
    control = bound_field.as_widget(attrs=attrs)
    if bound_field.field.show_hidden_initial:
        control += bound_field.as_hidden(only_initial=True)
    asterisk = mark_safe('<span class="asteriskField">*</span>') if bound_field.field.required else ""
    label = format_html(
        '<label for="{}" class="{}">{}{}</label>',
        bound_field.id_for_label,
        "form-check-label" if checkbox else "form-label",
        bound_field.label,
        asterisk,
    )
    errors = ""
    if bound_field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
            auto_id,
            format_html_join("", "<p class=\"mb-0\"><strong>{}</strong></p>", ((e,) for e in bound_field.errors)),
        )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', auto_id, bound_field.help_text)
        if bound_field.help_text
        else ""
    )
    if checkbox:
        return format_html(
            '<div id="div_{}" class="mb-3"><div class="form-check">{}{}</div>{}{}</div>',
            auto_id, control, label, errors, help_text,
        )
    return format_html('<div id="div_{}" class="mb-3">{}{}{}{}</div>', auto_id, label, control, errors, help_text)
