"""The report filled offline in Excel: download the workbook, upload it back, see what it changes, confirm.

Only the agency's own members, and only while the agency may write, reach these pages (others: 404, as for the
form). The read workbook waits in the user's session until confirmed or dropped; nothing is saved before.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports.access import get_own_report
from reports.errors import ReportError, StaleReportError
from reports.offline.changes import offline_apply, preview, upload_from_session, upload_to_session
from reports.offline.reader import read_workbook
from reports.offline.writer import CONTENT_TYPE, offline_filename, offline_workbook
from reports.policy import ReportPolicy

SESSION_KEY = "offline_uploads"


def _editable_report(request, pk: int):
    report = get_own_report(request.user, pk)
    if not ReportPolicy.for_user(request.user, report).edit:
        messages.info(request, _("This report cannot be changed now, so no workbook is taken for it."))
        return report, redirect("reports:detail", pk=report.pk)
    return report, None


def _stored(request, report):
    return request.session.get(SESSION_KEY, {}).get(str(report.pk))


def _store(request, report, data):
    uploads = request.session.get(SESSION_KEY, {})
    if data is None:
        uploads.pop(str(report.pk), None)
    else:
        uploads[str(report.pk)] = data
    request.session[SESSION_KEY] = uploads


@login_required
@require_GET
def offline_download(request, pk: int):
    """The current draft as a workbook to fill in Excel."""
    report, refused = _editable_report(request, pk)
    if refused:
        return refused
    response = HttpResponse(offline_workbook(report), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{offline_filename(report)}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def offline_upload(request, pk: int):
    """Read the filled workbook; list its problems, or keep it for the preview. The draft is not touched."""
    report, refused = _editable_report(request, pk)
    if refused:
        return refused
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, _("Choose the filled workbook (.xlsx) to upload."))
        return redirect("reports:edit", pk=report.pk)
    read = read_workbook(upload, report)
    if read.problems:
        _store(request, report, None)
        return render(
            request,
            "reports/offline_preview.html",
            {"report": report, "problems": read.problems, "file_name": upload.name},
            status=400,
        )
    _store(request, report, {"upload": upload_to_session(read), "file_name": upload.name})
    return redirect("reports:offline_preview", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def offline_preview(request, pk: int):
    """Task by task, what the workbook would change in the draft; saved only when the user confirms."""
    report, refused = _editable_report(request, pk)
    if refused:
        return refused
    stored = _stored(request, report)
    if stored is None:
        messages.info(request, _("There is no uploaded workbook waiting: upload it again from the report form."))
        return redirect("reports:edit", pk=report.pk)
    upload = upload_from_session(stored["upload"])
    status, error = 200, ""
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            _store(request, report, None)
            messages.info(request, _("The workbook was set aside; the draft was not changed."))
            return redirect("reports:edit", pk=report.pk)
        try:
            expected = int(request.POST.get("version", ""))
            saved = offline_apply(report=report, actor=request.user, upload=upload, expected_version=expected)
        except ValueError:
            error, status = _("The form was incomplete; check the changes and confirm again."), 400
        except StaleReportError as stale:
            error, status = stale.message, 409
            report.refresh_from_db()
        except ReportError as refusal:
            messages.error(request, refusal.message)
            return redirect("reports:detail", pk=report.pk)
        else:
            _store(request, report, None)
            if saved.changed_anything:
                messages.success(request, _("The workbook's values were saved in the draft."))
            else:
                messages.info(request, _("The workbook holds the same values as the draft: nothing changed."))
            return redirect("reports:edit", pk=report.pk)
    stale_entries = []
    if upload.version != report.version:
        stale_entries = StaleReportError(report, upload.version).entries
    return render(
        request,
        "reports/offline_preview.html",
        {
            "report": report,
            "file_name": stored["file_name"],
            "upload": upload,
            "preview": preview(report, upload),
            "stale_entries": stale_entries,
            "is_stale": upload.version != report.version,
            "error": error,
        },
        status=status,
    )
