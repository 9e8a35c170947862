from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from assignments.models import ReportingYear, TaskGroup, kind_filter_choices


def group_label(group: TaskGroup) -> str:
    return _("Group %(number)s – %(heading)s") % {
        "number": group.number,
        "heading": Truncator(group.heading).chars(60),
    }


class DashboardFilterForm(forms.Form):
    """Year, kind of agency (or group of kinds), former district and task group, read from the address so that a
    filtered view can be bookmarked."""

    year = forms.TypedChoiceField(label=_("Reporting year"), coerce=int, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of agency"),
        required=False,
        choices=[("", _("All kinds of agency")), *kind_filter_choices()],
    )
    district = forms.ChoiceField(label=_("Former district"), required=False)
    group = forms.TypedChoiceField(label=_("Task group"), coerce=int, required=False)

    def __init__(
        self,
        data,
        *,
        years: list[ReportingYear],
        groups: list[TaskGroup],
        districts: list[str] = (),
        choices: dict | None = None,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.years = {y.year: y for y in years}
        self.groups = {g.pk: g for g in groups}
        choices = choices if choices is not None else self.choices_for(years, groups, districts)
        for name in ("year", "group", "district"):
            self.fields[name].choices = choices[name]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "There is no reporting year %(value)s. Choose one of the years in the list."
        )
        self.fields["group"].error_messages["invalid_choice"] = _("Choose a task group from the list.")
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose a kind of agency from the list.")
        self.fields["district"].error_messages["invalid_choice"] = _("Choose a former district from the list.")

    @staticmethod
    def choices_for(years: list[ReportingYear], groups: list[TaskGroup], districts: list[str]) -> dict:
        """The lists the year, task group and former district filters offer, in the active language."""
        return {
            "year": [
                (y.year, _("%(year)s (%(state)s)") % {"year": y.year, "state": y.get_state_display().lower()})
                for y in sorted(years, key=lambda y: -y.year)
            ],
            "group": [("", str(_("All task groups"))), *((g.pk, str(group_label(g))) for g in groups)],
            "district": [("", str(_("All former districts"))), *((d, d) for d in districts)],
        }

    def value_or_default(self, name: str, default):
        """The cleaned value of a valid field, else the default: one bad filter does not blank the dashboard."""
        if not self.is_bound or name in self.errors:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    def reporting_year(self, default: ReportingYear) -> ReportingYear:
        return self.years.get(self.value_or_default("year", default.year), default)

    def task_group(self) -> TaskGroup | None:
        return self.groups.get(self.value_or_default("group", None))
