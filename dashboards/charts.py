"""What each chart draws, as plain data for `json_script`; static/js/dashboards.js turns it into Chart.js charts.

The numbers are the same objects the tables are built from (dashboards/tables.py), so the chart, its table view
and its CSV cannot disagree.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dashboards.selectors import (
    CATEGORY,
    PROGRESS_COLUMNS,
    Headline,
    IndicatorSummary,
    Progress,
    State,
    YearRate,
)

# Strong colours for the charts; each series also has a name in the legend and the table view.
COLOURS = {
    "completed": "#1b7340",
    "recurring": "#3d9bd1",
    "in_progress": "#e0a526",
    "not_started": "#c0392b",
    "not_handed_in": "#adb5bd",
    State.ACCEPTED: "#1b7340",
    State.SUBMITTED: "#2f6fdb",
    State.RETURNED: "#8e44ad",
    State.DRAFT: "#e0a526",
    "report_not_started": "#adb5bd",
    "total": "#1b7340",
    "target": "#343a40",
    "submitted_rate": "#2f6fdb",
    "on_time_rate": "#1b7340",
}


def _number(value):
    return None if value is None else float(value)


def states_chart(h: Headline) -> dict:
    codes = {State.NOT_STARTED: "report_not_started"}
    return {
        "kind": "bar",
        "labels": [str(label) for _code, label, _n in h.states()],
        "datasets": [
            {
                "label": _("Agencies"),
                "data": [n for _code, _label, n in h.states()],
                "colors": [COLOURS[codes.get(code, code)] for code, _label, _n in h.states()],
            }
        ],
    }


def progress_chart(progress: list[Progress]) -> dict:
    """Each group as one bar of 100%: groups differ too much in size (one agency or all of them) for counts."""
    groups = [p for p in progress if p.task is None]
    series = [
        (str(CATEGORY[code].label), [p.count(code) for p in groups], COLOURS[code])
        for code in PROGRESS_COLUMNS
    ]
    series.append((_("Report not handed in"), [p.not_handed_in for p in groups], COLOURS["not_handed_in"]))
    return {
        "kind": "bar",
        "horizontal": True,
        "stacked": True,
        "percent": True,
        "max": 100,
        "height": _bars_height(len(groups)),
        "labels": [_("Group %(number)s") % {"number": p.group.number} for p in groups],
        "titles": [Truncator(p.group.heading).chars(90) for p in groups],
        "datasets": [
            {
                "label": label,
                "data": [_share(n, p.total) for n, p in zip(counts, groups, strict=True)],
                "counts": counts,
                "color": colour,
            }
            for label, counts, colour in series
        ],
    }


def _bars_height(bars: int, per_bar: int = 34) -> str:
    """Horizontal bars keep their thickness: the chart grows with their number (plus room for axis and legend)."""
    return f"{max(180, per_bar * bars + 110)}px"


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0


def indicators_chart(summaries: list[IndicatorSummary]) -> dict:
    with_target = [s for s in summaries if s.current.percent_of_target is not None]
    return {
        "kind": "bar",
        "horizontal": True,
        "percent": True,
        "height": _bars_height(len(with_target), per_bar=46),
        "labels": [f"{s.indicator.task.code} · {Truncator(s.indicator.name).chars(48)}" for s in with_target],
        "titles": [s.indicator.name for s in with_target],
        "notes": [
            _("%(total)s of %(target)s %(unit)s")
            % {"total": _plain(s.current.total), "target": _plain(s.current.target), "unit": s.indicator.unit}
            for s in with_target
        ],
        "datasets": [
            {
                "label": _("Percent of target"),
                "data": [s.current.percent_of_target for s in with_target],
                "color": COLOURS["total"],
            }
        ],
        "targetLine": 100,
    }


def _plain(value) -> str:
    return number_format(value, decimal_pos=None, force_grouping=True) if value is not None else "—"


def indicator_trend_chart(summaries: list[IndicatorSummary], years: list[int]) -> dict:
    return {
        "kind": "indicatorTrend",
        "labels": [str(y) for y in years],
        "indicators": [
            {
                "id": s.indicator.pk,
                "name": f"{s.indicator.task.code} · {s.indicator.name}",
                "unit": s.indicator.unit,
                "datasets": [
                    {
                        "label": _("Provincial total (%(unit)s)") % {"unit": s.indicator.unit},
                        "data": [_number(v.total) for v in s.trend],
                        "color": COLOURS["total"],
                    },
                    {
                        "label": _("Target (%(unit)s)") % {"unit": s.indicator.unit},
                        "data": [_number(v.target) for v in s.trend],
                        "color": COLOURS["target"],
                        "line": True,
                    },
                ],
            }
            for s in summaries
            if s.sums
        ],
    }


def trend_chart(rates: list[YearRate]) -> dict:
    return {
        "kind": "bar",
        "percent": True,
        "max": 100,
        "labels": [str(r.year) for r in rates],
        "datasets": [
            {
                "label": _("Submission rate"),
                "data": [r.submitted_percent for r in rates],
                "color": COLOURS["submitted_rate"],
            },
            {
                "label": _("On-time rate"),
                "data": [r.on_time_percent for r in rates],
                "color": COLOURS["on_time_rate"],
            },
        ],
    }
