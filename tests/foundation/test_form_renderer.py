"""The portal's form renderer writes plain inputs and text areas itself: exactly the HTML of Django's templates."""

import pytest
from django import forms
from django.forms.renderers import Jinja2

from portal.forms import PortalFormRenderer

WIDGETS = [
    forms.TextInput(attrs={"class": "form-control", "maxlength": 20, "required": True, "disabled": False}),
    forms.NumberInput(attrs={"step": "any", "aria-describedby": "x_target"}),
    forms.HiddenInput(),
    forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    forms.EmailInput(),
    forms.Textarea(attrs={"rows": 5, "class": "form-control is-invalid", "aria-invalid": "true"}),
    forms.CheckboxInput(attrs={"class": "form-check-input"}),
]
VALUES = [None, "", "Kết quả \"năm\" <b>2026</b> & 'các' xã", "dòng 1\ndòng 2\n", 12.5, 0, True, False]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_widget_is_written_as_djangos_own_template_writes_it(widget, value):
    attrs = {"id": "id_t1-results"}
    stock = widget.render("t1-results", value, attrs=attrs, renderer=Jinja2())
    ours = widget.render("t1-results", value, attrs=attrs, renderer=PortalFormRenderer())
    assert ours == stock


def test_other_templates_still_go_to_jinja2():
    select = forms.Select(choices=[("a", "Đã hoàn thành"), ("b", "Đang triển khai")])
    assert select.render("s", "b", renderer=PortalFormRenderer()) == select.render("s", "b", renderer=Jinja2())


def test_jinja2_templates_show_times_in_hung_yen_time_as_django_templates_do():
    import datetime

    from django.template import engines

    from portal.jinja import environment

    late_evening_utc = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)
    jinja = environment().from_string('{{ at|date("H:i d/m/Y") }}').render(at=late_evening_utc)
    django = engines["django"].from_string('{{ at|date:"H:i d/m/Y" }}').render({"at": late_evening_utc})
    assert jinja == django == "06:30 02/12/2026"


def test_a_report_forms_fields_are_copied_as_deepcopy_copies_them():
    """Each form gets fields of its own (portal.forms.copy_field): changing one form's label, widget attributes or
    choices leaves the class and the other forms as they were, and the copies hold what deepcopy's would."""
    import copy

    from portal.forms import copy_field
    from reports.forms.sections import IndicatorValueForm, TaskAnswerForm

    first, second = TaskAnswerForm(), TaskAnswerForm()
    for name, field in TaskAnswerForm.base_fields.items():
        assert first.fields[name] is not field
        copied, deep = copy_field(field), copy.deepcopy(field)
        assert copied is not field and copied.widget is not field.widget
        assert copied.widget.attrs is not field.widget.attrs and copied.validators is not field.validators
        assert copied.error_messages is not field.error_messages
        for attribute in ("label", "required", "help_text", "show_hidden_initial", "error_messages", "validators"):
            assert getattr(copied, attribute) == getattr(deep, attribute), (name, attribute)
        assert copied.widget.attrs == deep.widget.attrs and type(copied.widget) is type(deep.widget)
        assert vars(copied).keys() == vars(deep).keys() and vars(copied.widget).keys() == vars(deep.widget).keys()
    status = first.fields["status"]
    assert status.choices == TaskAnswerForm.base_fields["status"].choices
    assert status.widget.choices is not TaskAnswerForm.base_fields["status"].widget.choices
    first.fields["results"].label = "Đổi nhãn"
    first.fields["results"].widget.attrs["rows"] = 99
    status.choices = [("x", "X")]
    assert second.fields["results"].label != "Đổi nhãn" and second.fields["results"].widget.attrs["rows"] == 5
    assert TaskAnswerForm.base_fields["results"].widget.attrs["rows"] == 5
    assert ("x", "X") not in second.fields["status"].choices and ("x", "X") not in second.fields["status"].widget.choices
    assert type(IndicatorValueForm.base_fields).__name__ == "CopiedFields"
