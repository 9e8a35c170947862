from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from assignments.models import Agency, ReportingYear, TaskGroup


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, group: TaskGroup) -> str:
        return _("Group %(number)s – %(heading)s") % {
            "number": group.number,
            "heading": Truncator(group.heading).chars(60),
        }


class DashboardFilterForm(forms.Form):
    """Year, kind of agency and task group, read from the address so that a filtered view can be bookmarked."""

    year = forms.TypedChoiceField(label=_("Reporting year"), coerce=int, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of agency"), required=False, choices=[("", _("All kinds of agency")), *Agency.Kind.choices]
    )
    group = GroupChoiceField(
        label=_("Task group"), required=False, queryset=TaskGroup.objects.none(), empty_label=_("All task groups")
    )

    def __init__(self, data, *, years: list[ReportingYear], **kwargs):
        super().__init__(data, **kwargs)
        self.years = {y.year: y for y in years}
        self.fields["year"].choices = [
            (y.year, _("%(year)s (%(state)s)") % {"year": y.year, "state": y.get_state_display().lower()})
            for y in sorted(years, key=lambda y: -y.year)
        ]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "There is no reporting year %(value)s. Choose one of the years in the list."
        )
        directive_ids = {y.directive_id for y in years}
        self.fields["group"].queryset = TaskGroup.objects.filter(directive_id__in=directive_ids).order_by("number")
        self.fields["group"].error_messages["invalid_choice"] = _("Choose a task group from the list.")
        self.fields["kind"].error_messages["invalid_choice"] = _("Choose a kind of agency from the list.")

    def value_or_default(self, name: str, default):
        """The cleaned value of a valid field, else the default: one bad filter does not blank the dashboard."""
        if not self.is_bound or name in self.errors:
            return default
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value
