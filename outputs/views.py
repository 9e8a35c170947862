import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assignments.models import ReportingYear
from assignments.roles import COMPILE, VIEW_ALL
from outputs.documents import consolidated_document, empty_sections
from outputs.forms import ConsolidatedReportForm
from outputs.models import GeneratedOutput
from outputs.selectors import (
    consolidated_job,
    latest_version,
    output_reports,
    year_for_outputs,
    years_with_figures,
)
from outputs.services import (
    CONTENT_TYPES,
    StaleConsolidatedError,
    agency_pdf,
    cached_output,
    consolidated_report_for,
    consolidated_report_save,
    consolidated_xlsx,
    document_key,
)
from outputs.tasks import (
    active_job,
    consolidated_pdf_request,
    estimated_seconds,
    last_failure,
    requeue_abandoned,
    shown_progress,
)
from portal.storage import private_file_response
from reports.access import get_report_for_user
from reports.errors import ReportError
from reports.figures import from_counts

Kind = GeneratedOutput.Kind


def _file_response(output: GeneratedOutput) -> HttpResponse:
    # Documents may hold what agencies have not published: no shared cache keeps a copy.
    return private_file_response(
        output.file,
        content_type=CONTENT_TYPES[output.kind],
        disposition=content_disposition_header(True, output.filename),
        cache_control="private, no-cache",
    )


def _year(year: int) -> ReportingYear:
    reporting_year = year_for_outputs(year)
    if reporting_year is None:
        raise Http404
    return reporting_year


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_GET
def output_index(request):
    """Every reporting year with its reporting figures, its consolidated report and the downloads."""
    return render(request, "outputs/index.html", {"years": list(years_with_figures())})


@login_required
@require_GET
def agency_report_pdf(request, pk: int):
    """One agency's report as a Decree 30 document, from its latest submitted version (same access as the page)."""
    report, _is_member = get_report_for_user(request.user, pk, queryset=output_reports())
    version = latest_version(report)
    if version is None:
        messages.info(
            request, _("This report has not been submitted yet: its PDF is made from the submitted version.")
        )
        return redirect("reports:detail", pk=report.pk)
    return _file_response(agency_pdf(report=report, version=version, actor=request.user))


def _consolidated_page_parts(reporting_year: ReportingYear, saved) -> tuple:
    """What the consolidated page shows of the year's document, computed once per change of the data.

    Compiling every agency's answers is most of the page's cost, and at a province's size so is drawing its
    tables: the page keeps in the cache the document without the agencies' texts, its tables already rendered,
    the warnings of empty sections and the document's fingerprint, under the generation that any change of
    reports, years or agencies replaces (portal.cache) and the saved text's version. A visit then costs one
    cache read of a size that does not grow with the agencies' texts."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from portal.cache import PIECE_TIMEOUT, generation

    cache_key = ":".join(
        str(part)
        for part in (
            "outputs:consolidated-page",
            generation(),
            reporting_year.pk,
            reporting_year.state,
            saved.pk or 0,
            saved.version if saved.pk else 0,
            saved.updated_at.isoformat() if saved.pk and saved.updated_at else "",
            timezone.localdate().isoformat(),
            translation.get_language(),
        )
    )
    found = cache.get(cache_key)
    if found is None:
        document = consolidated_document(reporting_year, saved if saved.pk else None)
        key = document_key(Kind.CONSOLIDATED_PDF, document)
        tables_html = render_to_string("outputs/includes/consolidated_tables.html", {"document": document})
        warnings = empty_sections(document)
        # The texts of every agency are in the rendered tables; the page itself needs none of them.
        slim = dataclasses.replace(document, groups=[], timeliness=[], totals=[])
        found = (slim, key, tables_html, warnings)
        cache.set(cache_key, found, PIECE_TIMEOUT)
    return found


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_http_methods(["GET", "POST"])
def consolidated_page(request, year: int):
    """The consolidated report of a year: reviewers write its text, everyone with access reads and downloads it."""
    reporting_year = _year(year)
    archived = reporting_year.state == ReportingYear.State.ARCHIVED
    can_compile = request.user.has_perm(COMPILE)
    current = consolidated_report_for(reporting_year)
    form, stale = None, None
    if request.method == "POST":
        if not can_compile:
            raise PermissionDenied
        form = ConsolidatedReportForm(request.POST, instance=current, reporting_year=reporting_year)
        if form.is_valid():
            try:
                consolidated_report_save(
                    reporting_year=reporting_year,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.values(),
                )
            except StaleConsolidatedError as error:
                messages.error(request, error.message)
                form, stale = form.after_stale(consolidated_report_for(reporting_year), error.entries)
            except ReportError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The text of the consolidated report was saved."))
                return redirect("outputs:consolidated", year=reporting_year.year)
        else:
            messages.error(request, _("The text was not saved: correct the fields marked below."))
    elif can_compile and not archived:
        form = ConsolidatedReportForm(instance=current, reporting_year=reporting_year)

    saved = consolidated_report_for(reporting_year) if request.method == "POST" else current
    document, key, tables_html, warnings = _consolidated_page_parts(reporting_year, saved)
    pdf = cached_output(Kind.CONSOLIDATED_PDF, reporting_year, None, key)
    job = None if pdf else active_job(reporting_year)
    if job is not None:
        if requeue_abandoned():
            job.refresh_from_db()
        job.progress = shown_progress(job)
    return render(
        request,
        "outputs/consolidated.html",
        {
            "year": reporting_year,
            "consolidated": saved,
            "document": document,
            "tables_html": tables_html,
            "figures": from_counts(document.figures),
            "empty_sections": warnings,
            "form": form,
            "stale": stale,
            "can_compile": can_compile,
            "archived": archived,
            "pdf": pdf,
            "job": job,
            "job_seconds": round(estimated_seconds(job)) if job else None,
            "failure": None if (pdf or job) else last_failure(reporting_year),
        },
    )


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_GET
def consolidated_pdf_download(request, year: int):
    """The PDF if it is ready for the current content; otherwise start preparing it and show the progress."""
    reporting_year = _year(year)
    output = consolidated_pdf_request(reporting_year=reporting_year, actor=request.user)
    if output.is_ready:
        return _file_response(output)
    messages.info(
        request,
        _(
            "The PDF of the consolidated report is being prepared; its progress is shown below. You may leave this "
            "page: a notice tells you when it is ready."
        ),
    )
    return redirect(reverse("outputs:consolidated", kwargs={"year": reporting_year.year}) + "#downloads")


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_GET
def consolidated_xlsx_download(request, year: int):
    reporting_year = _year(year)
    return _file_response(consolidated_xlsx(reporting_year=reporting_year, actor=request.user))


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_GET
def job_status(request, pk: int):
    """Progress of a consolidated PDF being prepared, for the progress bar (polled every few seconds)."""
    job = consolidated_job(pk)
    if job is None:
        raise Http404
    if job.is_active:
        requeue_abandoned()
        job.refresh_from_db()
    return JsonResponse(
        {
            "state": job.state,
            "label": str(job.get_state_display()),
            "progress": shown_progress(job),
            "ready": job.is_ready,
            "failed": job.state == GeneratedOutput.State.FAILED,
            "download_url": reverse("outputs:consolidated_pdf", kwargs={"year": job.reporting_year.year}),
        }
    )
