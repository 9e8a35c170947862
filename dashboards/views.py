"""Read-only dashboards for provincial leaders and reviewers: nothing here changes data."""

import functools
import hashlib
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assignments.models import kind_filter_choices
from assignments.roles import VIEW_DASHBOARD
from dashboards import charts, selectors, tables
from dashboards.forms import DashboardFilterForm
from portal import cache as dashboard_cache
from review.selectors import former_districts

# The heat map shows this many agencies a page: its HTML stays the same size whatever the province has.
HEAT_PAGE_SIZE = 50
# The values per agency shown on the page (one row per agency and indicator; the downloads hold every one).
VALUES_SHOWN = 200


@dataclass(frozen=True)
class FilterOffer:
    """What the filters offer for one generation of the data and one language."""

    default: object  # the year shown first (ReportingYear), None before the first year is opened
    years: list
    groups: list
    districts: list
    choices: dict | None


# Each process keeps the offer of the current generation: the shared cache holds its pieces for the others, and
# a change of the data (a new generation) makes the next visit read them again.
_offers: dict[tuple[str, str], FilterOffer] = {}


def _offer(generation: str) -> FilterOffer:
    key = (generation, translation.get_language() or "")
    found = _offers.get(key)
    if found is not None:
        return found
    # What the filters offer (years, task groups, former districts), read once per generation of the data.
    all_years, task_groups = cache.get_or_set(
        f"dashboards:years:{generation}", selectors.years_and_task_groups, dashboard_cache.PIECE_TIMEOUT
    )
    default, years = selectors.reporting_years(all_years)
    if default is None:
        found = FilterOffer(None, [], [], [], None)
    else:
        groups = task_groups.get(default.directive_id, [])
        districts = cache.get_or_set(
            f"dashboards:districts:{generation}:{','.join(str(y.pk) for y in years)}",
            lambda: former_districts(*years),
            dashboard_cache.PIECE_TIMEOUT,
        )
        found = FilterOffer(default, years, groups, districts, DashboardFilterForm.choices_for(years, groups, districts))
    if len(_offers) >= 8:
        _offers.clear()
    _offers[key] = found
    return found


def _filters(request) -> tuple[DashboardFilterForm | None, selectors.Scope | None, list]:
    """The filter form bound to the address, the scope it selects, and every year of the same document."""
    offer = _offer(dashboard_cache.generation())
    default, years = offer.default, offer.years
    if default is None:
        return None, None, []
    data = request.GET.copy()
    data.setdefault("year", str(default.year))
    form = DashboardFilterForm(
        data, years=years, groups=offer.groups, districts=offer.districts, choices=offer.choices
    )
    form.is_valid()
    scope = selectors.Scope(
        reporting_year=form.reporting_year(default),
        kind=form.value_or_default("kind", ""),
        group=form.task_group(),
        district=form.value_or_default("district", ""),
    )
    return form, scope, years


def kind_label(kind: str) -> str:
    return str(dict(kind_filter_choices()).get(kind, "")) if kind else ""


@require_safe
@login_required
@permission_required(VIEW_DASHBOARD, raise_exception=True)
def dashboard(request):
    form, scope, years = _filters(request)
    if scope is None:
        return render(request, "dashboards/index.html", {"form": None})

    # The links of the page (and the cached body's key) carry the filters in use, nothing else from the address.
    query = QueryDict(mutable=True)
    query["year"] = scope.reporting_year.year
    for name in form.fields:
        value = form.data.get(name, "")
        if name != "year" and value and name not in form.errors:
            query[name] = value
    heat_page_number = request.GET.get("heat_page", "")
    heat_page_number = int(heat_page_number) if heat_page_number.isdigit() else 1

    @functools.cache
    def figures() -> dict:
        # Only computed when the cached page body (dashboards/cache.py) is missing or out of date.
        return _figures(scope, years, heat_page_number)

    def lazy(name):
        return SimpleLazyObject(lambda: figures()[name])

    context = {
        "form": form,
        "scope": scope,
        "kind_label": kind_label(scope.kind),
        "filter_query": query.urlencode(),
        "heat_page_number": heat_page_number,
        **{
            name: lazy(name)
            for name in ("headline", "heat", "heat_page", "legend", "rating_legend", "tables", "charts")
        },
    }
    if form.errors:
        # A filter that could not be used is drawn each time: its message names the value given.
        return render(request, "dashboards/index.html", {**context, "body_slot": None})
    # The body, the filters included, is kept in the cache as the bytes sent: per generation of the data, filters
    # used, page of the heat map, day (deadlines pass) and language. A visit draws only the page around it (the
    # navigation bar is the user's own) and puts the body in its place; a leader's visit costs one cache read.
    key = (
        f"dashboards:body:{dashboard_cache.generation()}:{timezone.localdate().isoformat()}:"
        f"{translation.get_language()}:{heat_page_number}:{hashlib.sha256(query.urlencode().encode()).hexdigest()[:32]}"
    )
    body = cache.get(key)
    if body is None:
        body = render_to_string("dashboards/includes/body.html", context, request).encode()
        cache.set(key, body, dashboard_cache.PIECE_TIMEOUT)
    response = render(request, "dashboards/index.html", {**context, "body_slot": BODY_SLOT})
    response.content = response.content.replace(BODY_SLOT.encode(), body, 1)
    return response


# Where dashboards/index.html leaves the body's place: a comment no escaped value can contain.
BODY_SLOT = "<!-- dashboard body -->"


def _figures(scope: selectors.Scope, years: list, heat_page_number=None) -> dict:
    headline = selectors.headline(scope)
    heat = selectors.heat_map(scope)
    progress = selectors.task_progress(heat)  # every agency, not only the page shown
    shown, heat_page = heat.page(heat_page_number, HEAT_PAGE_SIZE)
    summaries = selectors.indicator_summaries(scope, years)
    rates = selectors.year_rates(scope, years)
    year_numbers = [y.year for y in years]
    return {
        "headline": headline,
        "heat": shown,
        "heat_page": heat_page,
        "legend": heat.categories_used() or selectors.CATEGORIES[:4],
        "rating_legend": [
            (code, label, selectors.RATING_SHORT[code], selectors.RATING_ICONS[code])
            for code, label in selectors.Rating.choices
        ],
        "tables": {
            "states": tables.states_table(headline),
            "heatmap": tables.heat_map_table(shown),  # the page's agencies; the downloads hold every one
            "progress": tables.progress_table(progress),
            "indicators": tables.indicators_table(summaries, scope.reporting_year.year),
            "indicator_trend": tables.indicator_trend_table(summaries, year_numbers),
            # One row per agency and indicator: the page shows the first ones, the downloads every one.
            "indicator_values": tables.indicator_values_table(summaries, scope.reporting_year.year).first(
                VALUES_SHOWN
            ),
            "trend": tables.trend_table(rates),
        },
        "charts": {
            "states": charts.states_chart(headline),
            "progress": charts.progress_chart(progress),
            "indicators": charts.indicators_chart(summaries),
            "indicator_trend": charts.indicator_trend_chart(summaries, year_numbers),
            "trend": charts.trend_chart(rates),
        },
    }


# Each CSV holds the numbers of one chart or table of the page, for the same filters.
DATASETS = {
    "headline": lambda scope, years: tables.headline_table(selectors.headline(scope)),
    "states": lambda scope, years: tables.states_table(selectors.headline(scope)),
    "heatmap": lambda scope, years: tables.heat_map_table(selectors.heat_map(scope)),
    "progress": lambda scope, years: tables.progress_table(
        selectors.task_progress(selectors.heat_map(scope))
    ),
    "indicators": lambda scope, years: tables.indicators_table(
        selectors.indicator_summaries(scope, years), scope.reporting_year.year
    ),
    "indicator-trend": lambda scope, years: tables.indicator_trend_table(
        selectors.indicator_summaries(scope, years), [y.year for y in years]
    ),
    "indicator-values": lambda scope, years: tables.indicator_values_table(
        selectors.indicator_summaries(scope, years), scope.reporting_year.year
    ),
    "trend": lambda scope, years: tables.trend_table(selectors.year_rates(scope, years)),
}


@require_safe
@login_required
@permission_required(VIEW_DASHBOARD, raise_exception=True)
def download_csv(request, dataset: str):
    return _download(request, dataset, "csv")


@require_safe
@login_required
@permission_required(VIEW_DASHBOARD, raise_exception=True)
def download_xlsx(request, dataset: str):
    return _download(request, dataset, "xlsx")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, dataset: str, file_format: str) -> HttpResponse:
    """The numbers of one chart, for the filters in the address, as CSV or as an Excel workbook."""
    build = DATASETS.get(dataset)
    if build is None:
        raise Http404
    form, scope, years = _filters(request)
    if scope is None:
        raise Http404
    if form.errors:
        # A download never silently answers for other filters than the ones asked for.
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(
            _("The filters are not valid: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    table = build(scope, years)
    if file_format == "xlsx":
        response = HttpResponse(tables.as_xlsx(table, subtitle=_scope_description(scope)), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(tables.as_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(dataset, scope, file_format)}"'
    return response


def _scope_description(scope: selectors.Scope) -> str:
    parts = [_("Reporting year %(year)s") % {"year": scope.reporting_year.year}]
    if scope.kind:
        parts.append(kind_label(scope.kind))
    else:
        parts.append(_("all agencies"))
    if scope.district:
        parts.append(_("formerly %(district)s") % {"district": scope.district})
    if scope.group is not None:
        parts.append(_("agencies carrying tasks of group %(number)s") % {"number": scope.group.number})
    return " · ".join(parts)


def _filename(dataset: str, scope: selectors.Scope, extension: str) -> str:
    parts = ["tang-truong-xanh", dataset, str(scope.reporting_year.year)]
    if scope.kind:
        parts.append(scope.kind)
    if scope.district:
        parts.append(slugify(scope.district) or "huyen")
    if scope.group is not None:
        parts.append(f"nhom-{scope.group.number}")
    return "_".join(parts) + "." + extension
