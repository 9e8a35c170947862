"""Pages of an agency's yearly report: read, write, submit, versions, history, evidence files.

Access is decided by `reports.access` in every view: members of the report's agency read and write it; users who
read every agency's report (reviewers, leaders, administrators) read its submitted versions; everyone else gets 404.
"""

import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assignments.roles import roles_for
from audit.models import Action
from portal.jinja import render_jinja
from portal.storage import private_file_response
from reports.access import get_own_report, get_report_for_user
from reports.copying import report_copy_previous, report_has_content
from reports.drafting import evidence_in_versions, report_draft_save
from reports.errors import IncompleteReportError, ReportError, StaleReportError
from reports.evidence import CONTENT_TYPES
from reports.forms import ReportEditForms, VersionForm
from reports.models import Report
from reports.policy import ReportPolicy
from reports.selectors import (
    activities_of,
    agency_history,
    documents_of,
    evidence_of,
    history_of,
    indicator_targets,
    latest_version,
    previous_reports_for,
    report_versions,
    reports_for_agencies,
    review_round,
    task_answers_for_editing,
    version_count,
    version_of,
)
from reports.services import report_submit
from reports.snapshots import report_snapshot, snapshot_diff

# Audit actions whose details are the agency's draft text: only the agency reads those details.
DRAFT_ACTIONS = {Action.REPORT_SAVED, Action.REPORT_COPIED, Action.EVIDENCE_ADDED, Action.EVIDENCE_REMOVED}


@login_required
def report_index(request):
    """The reports of the user's agencies, every year."""
    roles = roles_for(request.user)
    reports = list(reports_for_agencies(roles.agency_ids))
    for report in reports:
        report.may = ReportPolicy.for_user(request.user, report)
    return render(request, "reports/index.html", {"reports": reports})


# --- Reading ---------------------------------------------------------------------------------------------------


@login_required
def report_detail(request, pk: int):
    """The report as text: members see what their agency has written; the others its latest submitted version."""
    report, is_member = get_report_for_user(request.user, pk)
    policy = ReportPolicy.for_user(request.user, report)
    versions = report_versions(report)
    latest = versions[0] if versions else None
    if is_member:
        snapshot = report_snapshot(report)
    else:
        snapshot = latest.snapshot if latest else None
    context = {
        "report": report,
        "is_member": is_member,
        "snapshot": snapshot,
        "latest": latest,
        "versions": versions,
        "review": review_round(report, version=latest, ratings=True) if latest else None,
        "targets": indicator_targets(report.reporting_year),
        "may": policy,
        "can_edit": bool(policy.edit),
        # For the province's readers (leaders, reviewers): how the agency reported in earlier years, along its
        # lineage (an agency's own members read their own years under "Our reports").
        "history": agency_history(report) if policy.views_all else None,
        **_deadline(report),
    }
    return render(request, "reports/detail.html", context)


def _deadline(report: Report) -> dict:
    """The deadline banner, while the agency still has to hand the report in."""
    if report.first_submitted_at is not None:
        return {}
    return {"year": report.reporting_year, "days_left": report.reporting_year.days_to_deadline()}


# --- Writing ---------------------------------------------------------------------------------------------------


def _edit_forms(report: Report, data=None, files=None) -> ReportEditForms:
    return ReportEditForms(
        report,
        task_answers_for_editing(report),
        targets=indicator_targets(report.reporting_year),
        documents=documents_of(report.pk),
        activities=activities_of(report.pk),
        data=data,
        files=files,
    )


@login_required
def report_edit(request, pk: int):
    """The agency writes its report: one section per task, the documents issued, the communication activities."""
    report = get_own_report(request.user, pk)
    may_edit = ReportPolicy.for_user(request.user, report).edit
    if not may_edit:
        messages.info(request, may_edit.reason)
        return redirect("reports:detail", pk=report.pk)
    if request.method == "POST":
        return _save(request, report, then_submit=False)
    return _render_edit(request, report, _edit_forms(report))


@login_required
@require_POST
def report_submit_view(request, pk: int):
    """The head saves what is on the form, then hands the report in."""
    report = get_own_report(request.user, pk)
    may_submit = ReportPolicy.for_user(request.user, report).submit
    if may_submit.permission:
        raise PermissionDenied
    if not may_submit:
        messages.error(request, may_submit.reason)
        return redirect("reports:detail", pk=report.pk)
    return _save(request, report, then_submit=True)


def _save(request, report: Report, *, then_submit: bool):
    """Save the form (and submit when asked): invalid, stale, incomplete and refused saves each answer the
    form again with everything typed kept. Long because each of those outcomes is a branch of the same
    request, and each says what happened in its own words."""
    forms = _edit_forms(report, request.POST, request.FILES)
    if not forms.is_valid():
        forms.note_unsaved_uploads()
        return _render_edit(request, report, forms, invalid=True, status=200)
    version = forms.version
    saved = None
    try:
        if forms.has_changes():
            saved = report_draft_save(
                report=report, actor=request.user, expected_version=version, draft=forms.draft_input()
            )
            version = report.version
        elif not then_submit:
            if version != report.version:
                # Nothing typed, but the page was old: show the report as it is now.
                messages.info(request, _("Somebody saved this report in the meantime; it is shown as it is now."))
            else:
                messages.info(request, _("There was nothing to save: no field was changed."))
            return redirect("reports:edit", pk=report.pk)
        if then_submit:
            report_submit(report=report, actor=request.user, expected_version=version)
    except StaleReportError as error:
        report.refresh_from_db()
        merged = forms.after_stale(_edit_forms(report))
        return _render_edit(request, report, merged, stale=error, status=409)
    except IncompleteReportError as error:
        report.refresh_from_db()
        if saved and saved.changed_anything:
            messages.success(request, _("Your changes were saved as a draft."))
        return _render_edit(
            request, report, _edit_forms(report), incomplete={t.code for t in error.tasks}, error=error.message
        )
    except ReportError as error:
        report.refresh_from_db()
        if saved is not None:
            # The draft was saved before the submission was refused: show it as it is stored now.
            messages.success(request, _("Your changes were saved as a draft."))
            forms = _edit_forms(report)
        else:
            forms.note_unsaved_uploads()
        return _render_edit(request, report, forms, error=error.message)

    if then_submit:
        report.refresh_from_db()
        if report.days_late:
            timeliness = ngettext("%(days)d day late", "%(days)d days late", report.days_late) % {"days": report.days_late}
        else:
            timeliness = _("on time")
        messages.success(
            request,
            _("The report for %(year)s was submitted (%(timeliness)s). It is read-only now; the reviewers have been notified.")
            % {"year": report.reporting_year.year, "timeliness": timeliness},
        )
        return redirect("reports:detail", pk=report.pk)
    now = date_format(timezone.localtime(), "H:i d/m/Y")
    if saved.removed:
        messages.success(
            request,
            _("Draft saved at %(time)s; removed: %(files)s.") % {"time": now, "files": ", ".join(saved.removed)},
        )
    elif saved.added:
        messages.success(
            request,
            _("Draft saved at %(time)s; attached: %(files)s.") % {"time": now, "files": ", ".join(saved.added)},
        )
    else:
        messages.success(request, _("Draft saved at %(time)s.") % {"time": now})
    url = reverse("reports:edit", kwargs={"pk": report.pk})
    anchor = _evidence_anchor(forms)
    return redirect(f"{url}#{anchor}" if anchor else url)


def _evidence_anchor(forms: ReportEditForms) -> str:
    """After attaching or removing a file, come back to that task rather than to the top of a long page."""
    removals = set(forms.removals())
    for section in forms.sections:
        if removals & {e.pk for e in section.evidence} or (
            section.form.is_bound and section.form.cleaned_data.get("files")
        ):
            return section.anchor
    return ""


def _render_edit(
    request, report, forms, *, invalid=False, stale=None, incomplete=None, error="", status=200
):
    policy = ReportPolicy.for_user(request.user, report)
    previous_reports = []
    if report.state != Report.State.RETURNED and not report_has_content(report, [s.answer for s in forms.sections]):
        previous_reports = previous_reports_for(report)
    # The reviewers' reasons and ratings, beside the tasks, while the report is back with the agency.
    latest = latest_version(report) if report.is_returned else None
    review = review_round(report, version=latest, ratings=True) if latest else None
    incomplete = incomplete or set()
    deadline = _deadline(report)
    # The form itself, a card per task, the two lists and the submit dialog, is drawn by Jinja2 (portal/jinja.py).
    form_html = render_jinja(
        "reports/edit_form.html",
        {
            "forms": forms,
            "sections": forms.sections,
            "report": report,
            "incomplete": incomplete,
            "review": review,
            "may": policy,
            "membership": policy.membership,
            "user": request.user,
            "days_left": deadline.get("days_left"),
            "csrf_input": csrf_input(request),
        },
    )
    context = {
        "report": report,
        "forms": forms,
        "sections": forms.sections,
        "form_html": form_html,
        "invalid": invalid,
        "error_sections": forms.sections_with_errors() if invalid else [],
        "stale": stale,
        "incomplete": incomplete,
        "incomplete_sections": [s for s in forms.sections if s.code in incomplete],
        "error": error,
        "review": review,
        "previous_reports": previous_reports,
        "previous_year": previous_reports[0].reporting_year.year if previous_reports else None,
        "previous_from_others": [r.agency.name for r in previous_reports if r.agency_id != report.agency_id],
        **deadline,
    }
    return render(request, "reports/edit.html", context, status=status)


@login_required
@require_POST
def report_copy(request, pk: int):
    """Fill an empty report with last year's answers, task by task."""
    report = get_own_report(request.user, pk)
    version_form = VersionForm(request.POST)
    if not version_form.is_valid():
        messages.error(request, _("The form was incomplete; open the report again and retry."))
        return redirect("reports:edit", pk=report.pk)
    try:
        copied = report_copy_previous(
            report=report, actor=request.user, expected_version=version_form.cleaned_data["version"]
        )
    except ReportError as error:
        messages.error(request, error.message)
    else:
        if copied.other_agencies:
            text = _(
                "Copied the status, results, difficulties and proposals of tasks %(codes)s from the reports for "
                "%(year)s of %(agencies)s. Review and update them for this year before submitting."
            )
        else:
            text = _(
                "Copied the status, results, difficulties and proposals of tasks %(codes)s from the report for "
                "%(year)s. Review and update them for this year before submitting."
            )
        messages.success(
            request,
            text
            % {"codes": ", ".join(copied.task_codes), "year": copied.year, "agencies": ", ".join(copied.other_agencies)},
        )
    return redirect("reports:edit", pk=report.pk)


# --- Evidence --------------------------------------------------------------------------------------------------


@login_required
def evidence_download(request, pk: int, evidence_pk: int):
    """A file of the report, after the same check as the report's page.

    Outside the agency, only files that were part of a submitted version can be downloaded: a draft's files are
    the agency's own until it hands them in.
    """
    report, is_member = get_report_for_user(request.user, pk)
    evidence = evidence_of(report, evidence_pk)
    if evidence is None:
        raise Http404
    # A removed file is kept only because a version lists it; a draft's file only the agency may open.
    if (not is_member or evidence.removed_at is not None) and evidence.pk not in evidence_in_versions(report):
        raise Http404
    try:
        return private_file_response(
            evidence.file,
            content_type=CONTENT_TYPES.get(evidence.kind, "application/octet-stream"),
            disposition=_attachment(evidence.original_name),
            cache_control="private, no-store",
        )
    except (FileNotFoundError, ValueError):
        raise Http404 from None


def _attachment(name: str) -> str:
    """Content-Disposition with an ASCII name for old clients and the real one (RFC 5987) for the others."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "tep"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- Versions and history ---------------------------------------------------------------------------------------


@login_required
def version_list(request, pk: int):
    report, is_member = get_report_for_user(request.user, pk)
    versions = report_versions(report)
    return render(
        request,
        "reports/versions.html",
        {
            "report": report,
            "is_member": is_member,
            "versions": versions,
            "can_compare_draft": bool(ReportPolicy.for_user(request.user, report).edit),
        },
    )


def _version_or_404(report: Report, number: int):
    version = version_of(report, number)
    if version is None:
        raise Http404
    return version


@login_required
def version_detail(request, pk: int, number: int):
    report, is_member = get_report_for_user(request.user, pk)
    version = _version_or_404(report, number)
    context = {
        "report": report,
        "is_member": is_member,
        "version": version,
        "snapshot": version.snapshot,
        "review": review_round(report, version=version),
        "targets": indicator_targets(report.reporting_year),
        "version_count": version_count(report),
        "can_edit": bool(ReportPolicy.for_user(request.user, report).edit),
    }
    return render(request, "reports/version.html", context)


@login_required
def version_compare(request, pk: int):
    """What changed between two submitted versions; members may compare their current draft too (number 0)."""
    report, is_member = get_report_for_user(request.user, pk)
    versions = report_versions(report)
    numbers = [v.number for v in versions]
    allow_draft = bool(ReportPolicy.for_user(request.user, report).edit)

    def pick(name, default):
        raw = request.GET.get(name, "")
        if raw == "0" and allow_draft:
            return 0
        return int(raw) if raw.isdigit() and int(raw) in numbers else default

    newest = numbers[0] if numbers else None
    old = pick("a", numbers[1] if len(numbers) > 1 else newest)
    new = pick("b", 0 if allow_draft and numbers else newest)
    changes = None
    by_number = {v.number: v for v in versions}
    if old is not None and new is not None:
        old_snapshot = report_snapshot(report) if old == 0 else by_number[old].snapshot
        new_snapshot = report_snapshot(report) if new == 0 else by_number[new].snapshot
        changes = snapshot_diff(old_snapshot, new_snapshot)
    return render(
        request,
        "reports/compare.html",
        {
            "report": report,
            "is_member": is_member,
            "versions": versions,
            "allow_draft": allow_draft,
            "old": old,
            "new": new,
            "changes": changes,
        },
    )


@login_required
def report_history(request, pk: int):
    """Every save and change of state, newest first."""
    report, is_member = get_report_for_user(request.user, pk)
    entries = history_of(report)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.show_details = is_member or entry.action not in DRAFT_ACTIONS
    return render(
        request,
        "reports/history.html",
        {
            "report": report,
            "is_member": is_member,
            "page": page,
            "can_edit": bool(ReportPolicy.for_user(request.user, report).edit),
        },
    )
