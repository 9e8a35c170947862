"""What the portal's own forms share: the form renderer of their widgets, and a quicker copy of their fields."""

import copy

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.renderers import Jinja2
from django.forms.widgets import ChoiceWidget
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
# The widgets whose template is nothing but Django's input.html (a check box's is that too: `checked` is one of its
# attributes).
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in ("text", "number", "hidden", "date", "email", "url", "tel", "search", "checkbox")
}
TEXTAREA = f"{WIDGETS}textarea.html"


def escape_html(value) -> str:
    """What Jinja2's autoescape writes for a value (markupsafe.escape), without making a Markup of each piece:
    a widget has a dozen attributes and the report page a hundred widgets."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return (
        str(value)
        .replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {name}" if value is True else f' {name}="{escape_html(value)}"' for name, value in attrs.items() if value is not False
    )


class PortalFormRenderer(Jinja2):
    """Django's Jinja2 form renderer, with the plain inputs and text areas written straight from their context.

    The report page draws about a hundred widgets and the status board a select of every task. Django's Jinja2
    renderer draws the same built-in widget templates as the default renderer, several times faster than the
    Django template engine; the text boxes and text areas, most of the report's widgets, are written here without
    a template at all, to exactly the HTML of Django's templates (tests/foundation/test_form_renderer.py compares
    them). Every other template (selects, radios, error lists, the formsets' management form) goes to Jinja2.
    Only the portal's own forms use it (as their `default_renderer`): the admin's widgets have Django templates
    only."""

    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            widget = context["widget"]
            value = "" if widget["value"] is None else f' value="{escape_html(widget["value"])}"'
            return f'<input type="{escape_html(widget["type"])}" name="{escape_html(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
        if template_name == TEXTAREA:
            widget = context["widget"]
            text = escape_html(widget["value"]) if widget["value"] else ""
            return f'<textarea name="{escape_html(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'
        return super().render(template_name, context, request)


# One instance keeps its compiled templates.
JINJA2_FORM_RENDERER = PortalFormRenderer()


# Each form copies its class's fields (Django deep-copies them in BaseForm.__init__), so that a form may change its
# own labels and widget attributes. The report page makes a form per task and per indicator, and Python's deepcopy
# machinery (its memo, the dispatch on each object) took longer than the copies themselves. `copy_field` makes the
# same copies Django's __deepcopy__ methods make, directly; a field or widget with a copy of its own kind (several
# subwidgets or subfields, a queryset) goes through deepcopy as before.
_PLAIN_FIELD_COPIES = {forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__}
_PLAIN_WIDGET_COPIES = {forms.Widget.__deepcopy__, ChoiceWidget.__deepcopy__}


def _shallow(instance):
    # copy.copy() of an object with a plain __dict__ (fields and widgets), without the pickle protocol it goes through.
    result = object.__new__(type(instance))
    result.__dict__.update(instance.__dict__)
    return result


def copy_field(field: forms.Field) -> forms.Field:
    """What copy.deepcopy(field) gives: the field, its widget, its attributes, messages, validators and choices
    copied; the choices' labels (immutable) shared."""
    if type(field).__deepcopy__ not in _PLAIN_FIELD_COPIES or type(field.widget).__deepcopy__ not in _PLAIN_WIDGET_COPIES:
        return copy.deepcopy(field)
    result = _shallow(field)
    widget = result.widget = _shallow(field.widget)
    widget.attrs = field.widget.attrs.copy()
    if isinstance(widget, ChoiceWidget):
        widget.choices = copy.copy(field.widget.choices)
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if isinstance(field, forms.ChoiceField):
        result._choices = copy.copy(field._choices)
    return result


class CopiedFields(dict):
    """A form class's fields, copied for each form with `copy_field`."""

    def __deepcopy__(self, memo):
        return {name: copy_field(field) for name, field in self.items()}


class QuickCopyMetaclass(DeclarativeFieldsMetaclass):
    """The metaclass of a form whose fields are copied with `copy_field`."""

    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = CopiedFields(new_class.base_fields)
        return new_class


def hidden_initial(bound_field) -> str:
    """What `bound_field.as_hidden(only_initial=True)` writes (the copy of the value a field was drawn from, by which
    a save tells what somebody else changed meanwhile), written directly for a form drawn from stored values: the
    report page has one for each of its fields, and Django's way builds a widget's whole context for each. A form
    drawn again from what was typed, or a field with anything else about it, goes Django's way."""
    form, field = bound_field.form, bound_field.field
    if form.is_bound or field.localize or field.disabled or field.hidden_widget is not forms.HiddenInput:
        return bound_field.as_hidden(only_initial=True)
    value = field.prepare_value(bound_field.initial)
    value = "" if value is None or value == "" else f' value="{escape_html(value)}"'
    attributes = ""
    # BoundField.build_widget_attrs: the field's help text described, even on its hidden copy; then the id.
    described = None if field.widget.use_fieldset else bound_field.aria_describedby
    if described:
        attributes += f' aria-describedby="{escape_html(described)}"'
    if bound_field.auto_id:
        attributes += f' id="{escape_html(bound_field.html_initial_id)}"'
    return mark_safe(f'<input type="hidden" name="{escape_html(bound_field.html_initial_name)}"{value}{attributes}>')


def management_inputs(formset) -> str:
    """The hidden inputs of a formset's management form, as Django draws them, written directly for a formset drawn
    from stored rows (two on every report page); a formset drawn again from what was sent goes Django's way."""
    if formset.is_bound:
        return mark_safe("".join(str(field) for field in formset.management_form))
    prefix = escape_html(formset.prefix)
    values = (
        ("TOTAL_FORMS", formset.total_form_count()),
        ("INITIAL_FORMS", formset.initial_form_count()),
        ("MIN_NUM_FORMS", formset.min_num),
        ("MAX_NUM_FORMS", formset.max_num),
    )
    return mark_safe(
        "".join(f'<input type="hidden" name="{prefix}-{name}" value="{value}" id="id_{prefix}-{name}">' for name, value in values)
    )
