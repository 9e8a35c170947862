"""What the portal's own forms share: the form renderer of their widgets."""

from django.forms.renderers import Jinja2

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
