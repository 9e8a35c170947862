"""Every figure of a reporting year, defined once, with the one Vietnamese word every page and document uses for it.

The status board, the dashboard (cards, bars, CSV), the home page, the consolidated page, its PDF and its
workbook all count reports through this module, so they cannot disagree:

- expected: every report the year owes;
- submitted (handed in): submitted and awaiting review, or accepted. A returned report is back with its agency
  and is not handed in until it is submitted again;
- on time / late: handed-in reports by their first submission (`Report.days_late`);
- not submitted (not handed in): expected − handed in = not started + drafting + returned;
- awaiting review, returned, accepted, drafting, not started: the reports in that state.

So expected = handed in + not handed in; handed in = on time + late = awaiting review + accepted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import pgettext_lazy

from reports.models import Report

State = Report.State

# The one label of each set, wherever it is shown or printed.
LABELS = {
    "expected": pgettext_lazy("figure", "Expected to report"),
    "submitted": pgettext_lazy("figure", "Handed in"),
    "on_time": pgettext_lazy("figure", "On time"),
    "late": pgettext_lazy("figure", "Late"),
    "not_submitted": pgettext_lazy("figure", "Not handed in"),
    "awaiting_review": pgettext_lazy("figure", "Awaiting review"),
    "returned": pgettext_lazy("figure", "Returned"),
    "accepted": pgettext_lazy("figure", "Accepted"),
    "drafting": pgettext_lazy("figure", "Drafting"),
    "not_started": pgettext_lazy("figure", "Not started"),
}
# What each figure is a share of when a page gives its percentage.
PERCENT_OF_EXPECTED = ("submitted", "on_time", "late", "not_submitted", "accepted")
# The figures pages show side by side, in this order (templates/includes/figures.html).
HEADLINE = ("expected", "submitted", "on_time", "late", "not_submitted", "awaiting_review", "accepted")
# The reports of the year by state, in the order of the cycle from the end: they add up to `expected`.
BY_STATE = (
    (State.ACCEPTED, "accepted"),
    (State.SUBMITTED, "awaiting_review"),
    (State.RETURNED, "returned"),
    (State.DRAFT, "drafting"),
    (State.NOT_STARTED, "not_started"),
)
COUNTED = (
    "expected",
    "submitted",
    "on_time",
    "late",
    "accepted",
    "awaiting_review",
    "returned",
    "drafting",
    "not_started",
)


def percent(part, whole) -> int | None:
    """A whole-number percentage, rounded half up; None when there is nothing to divide by."""
    if part is None or not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def aggregates(*names: str, through: str = "") -> dict:
    """The figures as aggregates over reports; `through` is the path to them ("reports__" from ReportingYear)."""
    p = through
    handed_in = Q(**{f"{p}state__in": Report.SUBMITTED_STATES})
    counts = {
        "expected": Count(f"{p}pk"),
        "submitted": Count(f"{p}pk", filter=handed_in),
        "on_time": Count(f"{p}pk", filter=handed_in & Q(**{f"{p}days_late": 0})),
        "late": Count(f"{p}pk", filter=handed_in & Q(**{f"{p}days_late__gt": 0})),
        "accepted": Count(f"{p}pk", filter=Q(**{f"{p}state": State.ACCEPTED})),
        "awaiting_review": Count(f"{p}pk", filter=Q(**{f"{p}state": State.SUBMITTED})),
        "returned": Count(f"{p}pk", filter=Q(**{f"{p}state": State.RETURNED})),
        "drafting": Count(f"{p}pk", filter=Q(**{f"{p}state": State.DRAFT})),
        "not_started": Count(f"{p}pk", filter=Q(**{f"{p}state": State.NOT_STARTED})),
    }
    return {name: counts[name] for name in names} if names else counts


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    percent: int | None = None


@dataclass
class YearFigures:
    """The counts of one set of reports (a year, or a year narrowed by kind of agency or task group)."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    accepted: int = 0
    awaiting_review: int = 0
    returned: int = 0
    drafting: int = 0
    not_started: int = 0

    @property
    def not_submitted(self) -> int:
        return self.expected - self.submitted

    @property
    def submitted_percent(self) -> int | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.on_time, self.expected)

    @property
    def late_percent(self) -> int | None:
        return percent(self.late, self.expected)

    @property
    def not_submitted_percent(self) -> int | None:
        return percent(self.not_submitted, self.expected)

    @property
    def accepted_percent(self) -> int | None:
        return percent(self.accepted, self.expected)

    def figure(self, key: str) -> Figure:
        value = getattr(self, key)
        return Figure(
            key,
            str(LABELS[key]),
            value,
            percent(value, self.expected) if key in PERCENT_OF_EXPECTED else None,
        )

    def headline(self) -> list[Figure]:
        return [self.figure(key) for key in HEADLINE]

    def not_handed_in_parts(self) -> list[tuple[str, str, int]]:
        """What the reports not handed in are doing, leaving out the states no report is in."""
        return [
            (key, str(LABELS[key]), getattr(self, key))
            for key in ("returned", "drafting", "not_started")
            if getattr(self, key)
        ]

    def states(self) -> list[tuple[str, str, int]]:
        """(state, label, count) of every state, in the order of BY_STATE; they add up to `expected`."""
        return [(state, str(LABELS[key]), getattr(self, key)) for state, key in BY_STATE]

    def counts(self) -> dict:
        return {**asdict(self), "not_submitted": self.not_submitted}


def of_reports(reports: QuerySet[Report]) -> YearFigures:
    """The figures of these reports, in one query."""
    return YearFigures(**reports.aggregate(**aggregates()))


def from_counts(counts: dict) -> YearFigures:
    """The figures from counts already made (a row annotated with `aggregates()`, a document's figures)."""
    return YearFigures(**{key: counts.get(key, 0) for key in COUNTED})


def for_year(reporting_year) -> YearFigures:
    return of_reports(Report.objects.filter(reporting_year=reporting_year))


def of_rows(reports) -> YearFigures:
    """The figures of reports already read (each with `state` and `days_late`), counted the same way."""
    figures = YearFigures()
    by_state = dict(BY_STATE)
    for report in reports:
        figures.expected += 1
        key = by_state[report.state]
        setattr(figures, key, getattr(figures, key) + 1)
        if report.state in Report.SUBMITTED_STATES:
            figures.submitted += 1
            if report.days_late == 0:
                figures.on_time += 1
            elif report.days_late and report.days_late > 0:
                figures.late += 1
    return figures


def is_handed_in(report: Report) -> bool:
    return report.state in Report.SUBMITTED_STATES
