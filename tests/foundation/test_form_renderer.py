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


@pytest.mark.parametrize(
    "initial",
    [
        {},
        {"status": "done", "results": 'Đã ban hành "Kế hoạch" <số 12> & triển khai', "difficulties": "", "proposals": None},
        {"status": "in_progress", "results": "0", "difficulties": "  ", "proposals": "=SUM(A1)"},
    ],
)
def test_the_hidden_copy_of_a_value_is_what_django_writes(initial):
    """portal.forms.hidden_initial writes a stored form's hidden copies directly: the same HTML as
    BoundField.as_hidden(only_initial=True), help text described and all; a form drawn from what was sent goes
    Django's way."""
    from decimal import Decimal
    from types import SimpleNamespace

    from portal.forms import hidden_initial
    from reports.forms.sections import IndicatorValueForm, TaskAnswerForm

    form = TaskAnswerForm(prefix="t12", initial=initial)
    for name in form.fields:
        assert hidden_initial(form[name]) == form[name].as_hidden(only_initial=True), name
    indicator = SimpleNamespace(name="Diện tích rừng", unit="ha", position=1)
    for value in (None, "1.500,5", Decimal("12.5")):
        values = IndicatorValueForm(
            prefix="v3", initial={"value": value, "note": 'ghi "chú"'}, indicator_value=SimpleNamespace(indicator=indicator)
        )
        for name in values.fields:
            assert hidden_initial(values[name]) == values[name].as_hidden(only_initial=True), (name, value)
    sent = TaskAnswerForm({"t12-results": "mới", "initial-t12-results": "cũ"}, prefix="t12", initial=initial)
    assert hidden_initial(sent["results"]) == sent["results"].as_hidden(only_initial=True)
    assert 'value="cũ"' in hidden_initial(sent["results"])


def test_a_formsets_management_inputs_are_what_django_writes():
    from django import forms as django_forms

    from portal.forms import management_inputs

    class Row(django_forms.Form):
        title = django_forms.CharField(required=False)

    rows = django_forms.formset_factory(Row, extra=1, max_num=200)
    for formset in (
        rows(prefix="doc"),
        rows(prefix="act", initial=[{"title": "Hội nghị"}, {"title": "Tập huấn"}]),
        rows({"doc-TOTAL_FORMS": "2", "doc-INITIAL_FORMS": "0", "doc-0-title": "x"}, prefix="doc"),
    ):
        assert management_inputs(formset) == "".join(str(field) for field in formset.management_form)
