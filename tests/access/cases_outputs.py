from outputs.models import GeneratedOutput
from reports.services import report_submit
from tests.access import LOGIN, Case
from tests.conftest import fill_report

# Reviewers, leaders and administrators read every year's consolidated report; agency users are refused.
VIEW_ALL = {
    "anonymous": LOGIN,
    "staff_a": 403,
    "head_a": 403,
    "staff_b": 403,
    "reviewer": 200,
    "leader": 200,
    "admin": 200,
}
# Only reviewers (and administrators) write the consolidated text.
COMPILE_POST = {
    "anonymous": LOGIN,
    "staff_a": 403,
    "head_a": 403,
    "staff_b": 403,
    "reviewer": 302,
    "leader": 403,
    "admin": 302,
}


def _submit_report_a(world):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)


def _queue_consolidated_pdf(world):
    world.job = GeneratedOutput.objects.create(
        kind=GeneratedOutput.Kind.CONSOLIDATED_PDF, reporting_year=world.year, fingerprint="0" * 64
    )


def _consolidated_text(world):
    return {
        "version": 0,
        "assessment": "Các đơn vị đã triển khai đầy đủ.",
        "difficulties": "",
        "proposals": "",
        "recipients": "UBND tỉnh;\nLưu: VT.",
        "signatory_name": "Nguyễn Văn B",
        "signatory_title": "Giám đốc",
        "number": "",
        "issued_on": "",
    }


CASES = [
    Case("outputs:index", VIEW_ALL),
    # Agency A's report as PDF: the same rule as its page; agency B gets 404.
    Case(
        "outputs:agency_pdf",
        {
            "anonymous": LOGIN,
            "staff_a": 200,
            "head_a": 200,
            "staff_b": 404,
            "reviewer": 200,
            "leader": 200,
            "admin": 200,
        },
        kwargs=lambda w: {"pk": w.report_a.pk},
        setup=_submit_report_a,
        id="GET outputs:agency_pdf of a submitted report",
    ),
    # Before any submission there is no PDF: back to the report page with a message (still 404 for agency B).
    Case(
        "outputs:agency_pdf",
        {
            "anonymous": LOGIN,
            "staff_a": 302,
            "head_a": 302,
            "staff_b": 404,
            "reviewer": 302,
            "leader": 302,
            "admin": 302,
        },
        kwargs=lambda w: {"pk": w.report_a.pk},
        id="GET outputs:agency_pdf before submission",
    ),
    Case("outputs:consolidated", VIEW_ALL, kwargs=lambda w: {"year": w.year.year}),
    Case(
        "outputs:consolidated",
        COMPILE_POST,
        kwargs=lambda w: {"year": w.year.year},
        method="post",
        data=_consolidated_text,
    ),
    # Ready: the file (200); not yet: the job starts and the page shows its progress (302).
    Case(
        "outputs:consolidated_pdf",
        {**VIEW_ALL, "reviewer": (200, 302), "leader": (200, 302), "admin": (200, 302)},
        kwargs=lambda w: {"year": w.year.year},
    ),
    Case("outputs:consolidated_xlsx", VIEW_ALL, kwargs=lambda w: {"year": w.year.year}),
    Case("outputs:consolidated_docx", VIEW_ALL, kwargs=lambda w: {"year": w.year.year}),
    # The Word file of an agency's report: the same rule as its PDF.
    Case(
        "outputs:agency_docx",
        {
            "anonymous": LOGIN,
            "staff_a": 200,
            "head_a": 200,
            "staff_b": 404,
            "reviewer": 200,
            "leader": 200,
            "admin": 200,
        },
        kwargs=lambda w: {"pk": w.report_a.pk},
        setup=_submit_report_a,
        id="GET outputs:agency_docx of a submitted report",
    ),
    Case(
        "outputs:agency_docx",
        {
            "anonymous": LOGIN,
            "staff_a": 302,
            "head_a": 302,
            "staff_b": 404,
            "reviewer": 302,
            "leader": 302,
            "admin": 302,
        },
        kwargs=lambda w: {"pk": w.report_a.pk},
        id="GET outputs:agency_docx before submission",
    ),
    Case("outputs:job_status", VIEW_ALL, kwargs=lambda w: {"pk": w.job.pk}, setup=_queue_consolidated_pdf),
]
