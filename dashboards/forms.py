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
        self, data, *, years: list[ReportingYear], groups: list[TaskGroup], districts: list[str] = (), **kwargs
    ):
        super().__init__(data, **kwargs)
        self.years = {y.year: y for y in years}
        self.groups = {g.pk: g for g in groups}
        self.fields["year"].choices = [
            (y.year, _("%(year)s (%(state)s)") % {"year": y.year, "state": y.get_state_display().lower()})
            for y in sorted(years, key=lambda y: -y.year)
        ]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "There is no reporting year %(value)s. Choose one of the years in the list."
        )
        self.fields["group"].choices = [("", _("All task groups")), *((g.pk, group_label(g)) for g in groups)]
        self.fields["group"].error_messages["invalid_choice"] = _("Choose a task group from the list.")
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose a kind of agency from the list.")
        self.fields["district"].choices = [("", _("All former districts")), *((d, d) for d in districts)]
        self.fields["district"].error_messages["invalid_choice"] = _("Choose a former district from the list.")

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
