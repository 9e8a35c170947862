"""Who may open an agency's report, write it, submit it, download its files and read its versions and history."""

import hashlib

from django.core.files.base import ContentFile

from reports.models import Evidence, Report
from reports.services import report_submit
from tests.access import LOGIN, Case
from tests.conftest import fill_report

# Agency A's report: its members write it; reviewers, leaders and administrators read it; agency B gets 404.
READ_A = {"anonymous": LOGIN, "staff_a": 200, "head_a": 200, "staff_b": 404, "reviewer": 200, "leader": 200, "admin": 200}
# Writing is for agency A's members only; readers from outside do not write and get 404 like strangers.
WRITE_A = {"anonymous": LOGIN, "staff_a": 200, "head_a": 200, "staff_b": 404, "reviewer": 404, "leader": 404, "admin": 404}
POST_A = {**WRITE_A, "staff_a": 302, "head_a": 302}


def report_a(world):
    return {"pk": world.report_a.pk}


def current_version(world):
    return {"version": str(Report.objects.get(pk=world.report_a.pk).version)}


def _evidence(world):
    content = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = Evidence(
        task_report=world.report_a.task_reports.first(),
        original_name="Biên bản.pdf",
        kind=Evidence.Kind.PDF,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=world.staff_a,
    )
    evidence.file.save("minh-chung", ContentFile(content), save=False)
    evidence.save()
    world.evidence = evidence


def draft_evidence(world):
    _evidence(world)


def submitted_evidence(world):
    _evidence(world)
    submitted(world)


def submitted(world):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)


def evidence_kwargs(world):
    return {"pk": world.report_a.pk, "evidence_pk": world.evidence.pk}


CASES = [
    Case(
        "reports:index",
        {"anonymous": LOGIN, "staff_a": 200, "head_a": 200, "staff_b": 200, "reviewer": 200, "leader": 200, "admin": 200},
    ),
    Case("reports:detail", READ_A, kwargs=report_a),
    Case("reports:edit", WRITE_A, kwargs=report_a),
    # Saving with nothing changed answers with a redirect back to the form, for members only.
    Case("reports:edit", POST_A, kwargs=report_a, method="post", data=current_version, id="POST reports:edit"),
    # Only the head submits; staff of the same agency are refused, everyone else does not see the report at all.
    Case(
        "reports:submit",
        {**POST_A, "staff_a": 403},
        kwargs=report_a,
        method="post",
        data=current_version,
        setup=lambda w: fill_report(w.report_a),
    ),
    # With no earlier report the copy is refused politely (a message and a redirect); outsiders get 404.
    Case("reports:copy_previous", POST_A, kwargs=report_a, method="post", data=current_version),
    # The workbook to fill offline is the agency's own draft: outsiders, reviewers included, get 404.
    Case("reports:offline_download", WRITE_A, kwargs=report_a),
    Case(
        "reports:offline_download",
        {**WRITE_A, "staff_a": 302, "head_a": 302},
        kwargs=report_a,
        setup=submitted,
        id="GET reports:offline_download of a submitted report",
    ),
    # Without a file the upload goes back to the form with a message; with nothing uploaded, so does the preview.
    Case("reports:offline_upload", POST_A, kwargs=report_a, method="post", data=lambda w: {}),
    Case("reports:offline_preview", {**WRITE_A, "staff_a": 302, "head_a": 302}, kwargs=report_a),
    Case(
        "reports:offline_preview",
        POST_A,
        kwargs=report_a,
        method="post",
        data=lambda w: {"action": "cancel"},
        id="POST reports:offline_preview",
    ),
    # A draft's file stays inside the agency.
    Case("reports:evidence_download", WRITE_A, kwargs=evidence_kwargs, setup=draft_evidence, id="draft evidence"),
    # Once submitted, readers of every report may open it too; another agency still may not.
    Case("reports:evidence_download", READ_A, kwargs=evidence_kwargs, setup=submitted_evidence, id="submitted evidence"),
    Case("reports:versions", READ_A, kwargs=report_a, setup=submitted),
    Case("reports:version", READ_A, kwargs=lambda w: {"pk": w.report_a.pk, "number": 1}, setup=submitted),
    Case("reports:compare", READ_A, kwargs=report_a, setup=submitted),
    Case("reports:history", READ_A, kwargs=report_a),
]
