from reports.services import report_submit
from tests.access import LOGIN, Case
from tests.conftest import fill_report

# Reviewers only; agency users, leaders and administrators not made reviewers are refused.
REVIEWERS_ONLY = {"anonymous": LOGIN, "staff_a": 403, "head_a": 403, "staff_b": 403, "leader": 403, "admin": 403}
# An action that ends in a redirect back to a page, whether it succeeded or was refused with a message.
ACTION = {**REVIEWERS_ONLY, "reviewer": 302}
# Managing reporting years: reviewers and administrators.
YEAR_ACTION = {**ACTION, "admin": 302}


def _submit_a(world):
    fill_report(world.report_a)
    report_submit(report=world.report_a, actor=world.head_a)


def _version(report):
    report.refresh_from_db(fields=["version"])
    return report.version


def _close_year(world):
    world.year.state = world.year.State.CLOSED
    world.year.save(update_fields=["state"])


CASES = [
    Case("review:index", {**REVIEWERS_ONLY, "reviewer": 302}),
    Case(
        "review:board",
        {**REVIEWERS_ONLY, "reviewer": 200},
        kwargs=lambda w: {"year": w.year.year},
    ),
    Case(
        "review:board",
        {**REVIEWERS_ONLY, "reviewer": 404},
        kwargs=lambda w: {"year": w.year.year + 50},
        id="GET review:board of a year that does not exist",
    ),
    Case(
        "review:board_csv",
        {**REVIEWERS_ONLY, "reviewer": 200},
        kwargs=lambda w: {"year": w.year.year},
    ),
    Case(
        "review:board_csv",
        {**REVIEWERS_ONLY, "reviewer": 404},
        kwargs=lambda w: {"year": w.year.year + 50},
        id="GET review:board_csv of a year that does not exist",
    ),
    Case(
        "review:report",
        {**REVIEWERS_ONLY, "reviewer": 200},
        kwargs=lambda w: {"pk": w.report_a.pk},
    ),
    Case(
        "review:report",
        {**REVIEWERS_ONLY, "reviewer": 200},
        kwargs=lambda w: {"pk": w.report_a.pk},
        setup=_submit_a,
        id="GET review:report of a submitted report",
    ),
    Case(
        "review:report",
        ACTION,
        kwargs=lambda w: {"pk": w.report_a.pk},
        method="post",
        data=lambda w: {
            "version": _version(w.report_a),
            "decision": "save",
            "comment": "Đề nghị bổ sung số liệu.",
        },
        setup=_submit_a,
        id="POST review:report (save a comment)",
    ),
    Case(
        "review:accept_selected",
        ACTION,
        kwargs=lambda w: {"year": w.year.year},
        method="post",
        data=lambda w: {"reports": [w.report_a.pk]},
        setup=_submit_a,
    ),
    Case("review:remind_all", ACTION, kwargs=lambda w: {"year": w.year.year}, method="post"),
    Case("review:remind", ACTION, kwargs=lambda w: {"pk": w.report_a.pk}, method="post"),
    Case(
        "review:reopen",
        YEAR_ACTION,
        kwargs=lambda w: {"pk": w.report_a.pk},
        method="post",
        data=lambda w: {"reason": "Đơn vị xin nộp muộn do sự cố mạng."},
        setup=_close_year,
    ),
    Case("review:years", {**REVIEWERS_ONLY, "reviewer": 200, "admin": 200}),
    Case(
        "review:year_create",
        YEAR_ACTION,
        method="post",
        data=lambda w: {
            "year": w.year.year + 1,
            "deadline": f"02/12/{w.year.year + 1}",
            "consolidating_agency": w.year.consolidating_agency_id,
            "open_years_seen": w.year.year,  # confirmed: the current year stays open beside it
        },
    ),
    Case("review:year_close", YEAR_ACTION, kwargs=lambda w: {"pk": w.year.pk}, method="post"),
    Case("review:year_archive", YEAR_ACTION, kwargs=lambda w: {"pk": w.year.pk}, method="post", setup=_close_year),
]
