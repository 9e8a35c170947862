"""The reviewers' pages: the status board of a year, the review of one report, reminders, and the years."""

import functools
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from assignments.models import ReportingYear
from assignments.roles import MANAGE_YEARS, REVIEW, role_permission_required
from portal.cache import PIECE_TIMEOUT
from portal.cache import generation as dashboard_generation
from portal.spreadsheets import csv_document, inert
from reports.access import get_report_for_user
from reports.errors import ReportError, StaleReportError
from reports.models import Report
from reports.policy import ReportPolicy
from reports.selectors import agency_history, current_year
from reports.services import report_reopen
from reports.years import (
    OtherYearsStillOpen,
    reporting_year_archive,
    reporting_year_close,
    reporting_year_open_next,
)
from review import selectors
from review.forms import (
    BoardFilterForm,
    ReopenForm,
    ReviewDecisionForm,
    SelectedReportsForm,
    TaskReviewForm,
    YearCreateForm,
)
from review.models import Reminder
from review.reminders import reminder_send, reminders_send_to_unsubmitted
from review.services import Decision, report_review, reports_accept_selected

# --- Board -------------------------------------------------------------------------------------------------


@login_required
@role_permission_required(REVIEW)
def board_current(request):
    year = current_year()
    if year is None:
        return render(request, "review/board.html", {"year": None})
    return redirect("review:board", year=year.year)


def _year_or_404(year: int) -> ReportingYear:
    reporting_year = selectors.reporting_year_by_number(year)
    if reporting_year is None:
        raise Http404
    return reporting_year


# The board shows this many agencies a page; its figures and its CSV cover the whole year and every filtered row.
BOARD_PAGE_SIZE = 50
BOARD_FILTERS = ("state", "kind", "district", "group", "q")


class _Rows:
    """The board's rows, counted from the cache and only fetched when the cached rows are missing.

    A slice (a page of the Paginator) is just as lazy: it is only fetched when the page's cached rows are missing."""

    def __init__(self, compute, count: int | None):
        self._compute, self._count, self._rows = compute, count, None

    def _all(self) -> list:
        if self._rows is None:
            self._rows = list(self._compute())
            self._count = len(self._rows)
        return self._rows

    def __len__(self) -> int:
        return self._count if self._count is not None else len(self._all())

    def __iter__(self):
        return iter(self._all())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _Rows(lambda: self._all()[index], len(range(len(self))[index]))
        return self._all()[index]


def _board_rows(reporting_year: ReportingYear, values: dict, compute) -> tuple[str, _Rows, dict]:
    """The key of the board's cached rows (same data, filters, sort, day and language), the rows, the figures.

    The rows and the figures are computed once per change of the data (portal.cache generation); the figures are
    the whole year's, whatever the filters and the page."""
    filters = "&".join(f"{name}={values.get(name) or ''}" for name in (*BOARD_FILTERS, "sort", "desc"))
    digest = hashlib.sha256(filters.encode()).hexdigest()[:24]
    key = f"review:board:{dashboard_generation()}:{reporting_year.pk}:{reporting_year.state}:{digest}"
    cached = cache.get_many([f"{key}:count", f"{key}:summary"])
    summary = cached.get(f"{key}:summary")
    if summary is None:
        summary = selectors.board_summary(reporting_year)
    rows = _Rows(compute, cached.get(f"{key}:count"))
    if f"{key}:count" not in cached or f"{key}:summary" not in cached:
        cache.set_many({f"{key}:count": len(rows), f"{key}:summary": summary}, PIECE_TIMEOUT)
    return key, rows, summary


def _former_districts(reporting_year: ReportingYear) -> list[str]:
    """The former districts of the year's agencies, for the filter; read once per change of the data."""
    return cache.get_or_set(
        f"review:districts:{dashboard_generation()}:{reporting_year.pk}",
        lambda: selectors.former_districts(reporting_year),
        PIECE_TIMEOUT,
    )


def _board_year(year: int) -> tuple[ReportingYear, list, list[int]]:
    """The board's year, its task groups and the year numbers to switch to, read once per change of the data."""

    def read():
        reporting_year = _year_or_404(year)
        return reporting_year, selectors.task_groups_of(reporting_year), selectors.year_numbers()

    return cache.get_or_set(f"review:board-year:{dashboard_generation()}:{year}", read, PIECE_TIMEOUT)


def _board_filters(request, reporting_year: ReportingYear, groups: list):
    """The filter form bound to the address, its valid values, the sort, and how to compute the rows."""
    filters = BoardFilterForm(request.GET or None, groups=groups, districts=_former_districts(reporting_year))
    values = filters.values() if request.GET else {}
    group_number = values.get("group")
    sort = values.get("sort") or "agency"
    compute = functools.partial(
        selectors.board_reports,
        reporting_year,
        state=values.get("state") or "",
        kind=values.get("kind") or "",
        district=values.get("district") or "",
        group=next((g for g in groups if g.number == group_number), None),
        search=(values.get("q") or "").strip(),
        sort=sort,
        descending=bool(values.get("desc")),
    )
    return filters, values, sort, compute


@login_required
@role_permission_required(REVIEW)
@require_safe
def board(request, year: int):
    reporting_year, groups, year_numbers = _board_year(year)
    filters, values, sort, compute = _board_filters(request, reporting_year, groups)
    board_key, reports, summary = _board_rows(reporting_year, values, compute)
    page = Paginator(reports, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(values.get(name) for name in BOARD_FILTERS)
    query = request.GET.copy()
    query.pop("page", None)
    # The page links keep the filters and the sort; the sort links and the CSV keep the filters only.
    page_query = query.urlencode()
    for name in ("sort", "desc"):
        query.pop(name, None)
    return render(
        request,
        "review/board.html",
        {
            "year": reporting_year,
            "years": year_numbers,
            "summary": summary,
            "board_key": board_key,
            "piece_timeout": PIECE_TIMEOUT,
            "filters": filters,
            "filtered": filtered,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "reports": page.object_list,
            "sort": sort,
            "descending": bool(values.get("desc")),
            "filter_query": query.urlencode(),
            "page_query": page_query,
            "today": timezone.localdate(),
            "days_left": reporting_year.days_to_deadline(),
            "can_remind": reporting_year.is_open,
            "can_decide": not reporting_year.is_archived,
        },
    )


@login_required
@role_permission_required(REVIEW)
@require_safe
def board_csv(request, year: int):
    """The board's rows for the filters and the sort in the address, every one of them (not only a page), as CSV:
    UTF-8 with a byte-order mark so that Excel opens the Vietnamese names correctly."""
    reporting_year, groups, _year_numbers = _board_year(year)
    _filters, _values, _sort, compute = _board_filters(request, reporting_year, groups)
    header = [
        _("No."),
        _("Agency"),
        _("Short name"),
        _("Group"),
        _("Kind"),
        _("Former district"),
        _("Reorganisation data confirmed"),
        _("State"),
        _("Submitted at"),
        _("Days late"),
        _("Submissions"),
        _("Last reminder"),
    ]

    def row(number, report):
        agency = report.agency
        submitted = timezone.localtime(report.submitted_at) if report.submitted_at else None
        return [
            number,
            inert(agency.name),
            inert(agency.short_name),
            report.heading_group,
            agency.get_kind_display(),
            inert(agency.former_district),
            _("yes") if agency.confirmed else _("no"),
            report.get_state_display(),
            submitted.strftime("%d/%m/%Y %H:%M") if submitted else "",
            report.days_late,
            report.submissions or 0,
            report.last_reminder_day.strftime("%d/%m/%Y") if report.last_reminder_day else "",
        ]

    text = csv_document(header, (row(number, report) for number, report in enumerate(compute(), start=1)))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bang-theo-doi_{reporting_year.year}.csv"'
    return response


@login_required
@role_permission_required(REVIEW)
@require_POST
def accept_selected(request, year: int):
    reporting_year = _year_or_404(year)
    # Any report of this year may be ticked; one no longer awaiting review is refused by the service, by name.
    form = SelectedReportsForm(request.POST, report_ids=selectors.report_ids_of(reporting_year))
    if not form.is_valid():
        messages.error(request, _("Tick at least one report that is awaiting review (state “Submitted”)."))
        return _back(request, reporting_year)
    try:
        result = reports_accept_selected(
            reporting_year=reporting_year, report_ids=form.cleaned_data["reports"], actor=request.user
        )
    except ReportError as error:
        messages.error(request, error.message)
        return _back(request, reporting_year)
    if result.done:
        messages.success(
            request,
            ngettext("%(count)d report accepted.", "%(count)d reports accepted.", len(result.done))
            % {"count": len(result.done)},
        )
    for report, message in result.refused:
        messages.error(request, f"{report.agency.name}: {message}")
    return _back(request, reporting_year)


def _back(request, reporting_year: ReportingYear):
    """To the page the form was on (the board with its filters, or a review page), else the board."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("review:board", year=reporting_year.year)


# --- Reminders ---------------------------------------------------------------------------------------------


@login_required
@role_permission_required(REVIEW)
@require_POST
def remind(request, pk: int):
    report, _member = get_report_for_user(request.user, pk)
    try:
        reminder = reminder_send(
            report=report, kind=Reminder.Kind.MANUAL, actor=request.user, base_url=_site_url(request)
        )
    except ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _reminder_message(report, reminder))
    return _back(request, report.reporting_year)


def _site_url(request) -> str:
    """The scheme and host the reviewer reached the portal by, so the link in a reminder opens there too."""
    return request.build_absolute_uri("/").rstrip("/")


def _reminder_message(report: Report, reminder: Reminder) -> str:
    if reminder.recipients:
        return ngettext(
            "Reminder sent to %(agency)s: %(count)d e-mail and a notice in the portal.",
            "Reminder sent to %(agency)s: %(count)d e-mails and a notice in the portal.",
            len(reminder.recipients),
        ) % {"agency": report.agency.name, "count": len(reminder.recipients)}
    return _(
        "Reminder sent to %(agency)s as a notice in the portal only: none of its users has an e-mail address."
    ) % {"agency": report.agency.name}


@login_required
@role_permission_required(REVIEW)
@require_POST
def remind_all(request, year: int):
    reporting_year = _year_or_404(year)
    if not reporting_year.is_open:
        messages.error(
            request,
            _("The reporting year %(year)s is closed: agencies can no longer submit.") % {"year": year},
        )
        return _back(request, reporting_year)
    run = reminders_send_to_unsubmitted(
        reporting_year=reporting_year,
        kind=Reminder.Kind.MANUAL,
        actor=request.user,
        base_url=_site_url(request),
    )
    if run.sent:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d agency that has not submitted (%(emails)d e-mails).",
                "Reminder sent to %(count)d agencies that have not submitted (%(emails)d e-mails).",
                len(run.sent),
            )
            % {"count": len(run.sent), "emails": run.emails},
        )
    elif not run.skipped:
        messages.info(request, _("Every agency has submitted: nobody to remind."))
    if run.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)d agency was not reminded: %(reasons)s",
                "%(count)d agencies were not reminded: %(reasons)s",
                len(run.skipped),
            )
            % {"count": len(run.skipped), "reasons": " ".join(message for _report, message in run.skipped)},
        )
    return _back(request, reporting_year)


# --- Review of one report ----------------------------------------------------------------------------------


def _task_forms(data, post=None):
    forms = []
    for task in data.tasks:
        if task.answer is None:
            task.form = None
            continue
        task.form = TaskReviewForm(
            post, prefix=f"t{task.answer.pk}", initial={"rating": task.answer.review_rating}
        )
        forms.append(task.form)
    return forms


def _compare_with(request) -> int | None:
    try:
        return int(request.GET.get("compare", ""))
    except ValueError:
        return None


def _render_review(
    request, report, *, decision_form=None, reopen_form=None, post=None, stale=None, status=200
):
    data = selectors.review_data(report, compare_with=_compare_with(request))
    _task_forms(data, post)
    if stale is not None and post is not None:
        # The reviewer's text stays in the form, now against the current version: sending again saves it.
        fresh = post.copy()
        fresh["version"] = report.version
        decision_form = ReviewDecisionForm(fresh)
    decision_form = decision_form or ReviewDecisionForm(
        initial={"version": report.version, "decision": "save"}
    )
    may = ReportPolicy.for_user(request.user, report)
    next_report = selectors.next_to_review(report)
    return render(
        request,
        "review/report.html",
        {
            "report": report,
            "review": data,
            "decision_form": decision_form,
            "reopen_form": reopen_form or ReopenForm(),
            "stale": stale,
            "may": may,
            "history": agency_history(report),
            # Refused and no longer reviewable: the form is gone, so show what the reviewer typed.
            "unsaved": _unsaved_text(data, post) if (post is not None and not may.review) else [],
            "reminded_today": any(r.day == timezone.localdate() for r in data.reminders),
            "next_report": next_report,
            # Pages of the reports app, linked only where that app provides them.
            "history_url": reverse("reports:history", kwargs={"pk": report.pk}),
        },
        status=status,
    )


def _unsaved_text(data, post) -> list[tuple[str, str]]:
    """What the reviewer typed in a refused review: the reason, the overall comment, the task comments."""
    typed = [
        (_("Reason for returning"), post.get("reason", "")),
        (_("Comment on the whole report"), post.get("comment", "")),
    ]
    typed += [
        (_("Comment on task %(code)s") % {"code": task.code}, post.get(f"t{task.answer.pk}-comment", ""))
        for task in data.tasks
        if task.answer is not None
    ]
    return [(label, text.strip()) for label, text in typed if text and text.strip()]


def _report_for_review(request, pk: int) -> Report:
    report, _member = get_report_for_user(
        request.user,
        pk,
        queryset=selectors.reports_for_review(),
    )
    return report


@login_required
@role_permission_required(REVIEW)
def review_report(request, pk: int):
    report = _report_for_review(request, pk)
    if request.method != "POST":
        return _render_review(request, report)

    decision_form = ReviewDecisionForm(request.POST)
    task_forms = {
        answer_id: TaskReviewForm(request.POST, prefix=f"t{answer_id}")
        for answer_id in selectors.answer_ids(report)
    }
    tasks_valid = [f.is_valid() for f in task_forms.values()]  # each form checked, so each shows its errors
    if not (decision_form.is_valid() and all(tasks_valid)):
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return _render_review(request, report, decision_form=decision_form, post=request.POST, status=400)
    decision = decision_form.cleaned_data["decision"]
    try:
        outcome = report_review(
            report=report,
            actor=request.user,
            decision=decision,
            ratings={pk: f.cleaned_data["rating"] for pk, f in task_forms.items()},
            task_comments={pk: f.cleaned_data["comment"] for pk, f in task_forms.items()},
            comment=decision_form.cleaned_data["comment"],
            reason=decision_form.cleaned_data["reason"],
            expected_version=decision_form.cleaned_data["version"],
        )
    except StaleReportError as error:
        messages.error(request, error.message)
        report.refresh_from_db()
        return _render_review(
            request, report, decision_form=decision_form, post=request.POST, stale=error, status=409
        )
    except ReportError as error:
        messages.error(request, error.message)
        report.refresh_from_db()
        return _render_review(request, report, decision_form=decision_form, post=request.POST, status=409)

    if decision == Decision.RETURN:
        messages.success(
            request,
            _("The report of %(agency)s was returned with your reason.") % {"agency": report.agency.name},
        )
    elif decision == Decision.ACCEPT:
        messages.success(
            request,
            _("The report of %(agency)s was accepted; it can no longer be changed.")
            % {"agency": report.agency.name},
        )
    elif outcome.ratings_changed or outcome.comments_added:
        messages.success(request, _("Your ratings and comments were saved."))
    else:
        messages.info(request, _("Nothing had changed: there was nothing to save."))
    return redirect("review:report", pk=report.pk)


@login_required
@permission_required(MANAGE_YEARS, raise_exception=True)
@require_POST
def reopen(request, pk: int):
    report = _report_for_review(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The report was not reopened: give the reason."))
        return _render_review(request, report, reopen_form=form, status=400)
    try:
        report_reopen(report=report, actor=request.user, reason=form.cleaned_data["reason"])
    except ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The report of %(agency)s was reopened: the agency can edit and submit it again.")
            % {"agency": report.agency.name},
        )
    return redirect("review:report", pk=report.pk)


# --- Reporting years ---------------------------------------------------------------------------------------


def _render_years(request, *, create_form=None, still_open: OtherYearsStillOpen | None = None, status=200):
    years = selectors.years_with_counts()
    latest = years[0] if years else None
    directive = selectors.directive_for_new_year(latest)
    create_form = create_form or YearCreateForm(
        initial=YearCreateForm.initial_for(latest), directive=directive
    )
    return render(
        request,
        "review/years.html",
        {
            "years": years,
            "open_years": [y.year for y in years if y.state == ReportingYear.State.OPEN],
            "create_form": create_form,
            "directive": directive,
            "still_open": still_open,
        },
        status=status,
    )


@login_required
@permission_required(MANAGE_YEARS, raise_exception=True)
def years(request):
    return _render_years(request)


@login_required
@permission_required(MANAGE_YEARS, raise_exception=True)
@require_POST
def year_create(request):
    directive = selectors.directive_for_new_year(selectors.latest_year())
    form = YearCreateForm(request.POST, directive=directive)
    if directive is None:
        messages.error(request, _("No directive with tasks has been loaded yet."))
        return redirect("review:years")
    if not form.is_valid():
        messages.error(request, _("The reporting year was not created: correct the fields marked below."))
        return _render_years(request, create_form=form, status=400)
    try:
        reporting_year = reporting_year_open_next(
            actor=request.user,
            directive=directive,
            year=form.cleaned_data["year"],
            deadline=form.cleaned_data["deadline"],
            consolidating_agency=form.cleaned_data["consolidating_agency"],
            confirmed_open_years=[y for y in request.POST.getlist("open_years_seen") if y.isdigit()],
        )
    except OtherYearsStillOpen as warning:
        # Not an error: the page asks the reviewer to confirm, with everything typed kept.
        return _render_years(request, create_form=form, still_open=warning)
    except ReportError as error:
        messages.error(request, error.message)
        return _render_years(request, create_form=form, status=409)
    count = selectors.reports_owed(reporting_year)
    messages.success(
        request,
        ngettext(
            "Reporting year %(year)d opened: %(count)d agency owes a report.",
            "Reporting year %(year)d opened: %(count)d agencies owe a report.",
            count,
        )
        % {"year": reporting_year.year, "count": count},
    )
    return redirect("review:years")


@login_required
@permission_required(MANAGE_YEARS, raise_exception=True)
@require_POST
def year_close(request, pk: int):
    return _change_year(
        request,
        pk,
        reporting_year_close,
        _("Reporting year %(year)d closed: agencies can no longer edit or submit, unless you reopen a report."),
    )


@login_required
@permission_required(MANAGE_YEARS, raise_exception=True)
@require_POST
def year_archive(request, pk: int):
    return _change_year(
        request, pk, reporting_year_archive, _("Reporting year %(year)d archived: its reports stay readable.")
    )


def _change_year(request, pk: int, service, done: str):
    """Close or archive a year through its service; the years page says what happened or why it could not."""
    reporting_year = get_object_or_404(ReportingYear, pk=pk)
    try:
        service(reporting_year=reporting_year, actor=request.user)
    except ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"year": reporting_year.year})
    return redirect("review:years")
