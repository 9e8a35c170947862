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
