"""reports.policy is the one answer to "may this user do this with this report": the pages offer exactly what the
policy allows, and the services refuse with the policy's own words."""

import pytest
from django.urls import reverse

from assignments.models import ReportingYear
from reports.errors import ReportError, ReportPermissionError
from reports.models import Report
from reports.policy import ReportPolicy
from reports.services import report_accept, report_reopen, report_return, report_submit
from review.reminders import ReminderRefused, reminder_send
from tests.conftest import fill_report

pytestmark = pytest.mark.django_db

S = Report.State
Y = ReportingYear.State

ACTIONS = ("edit", "submit", "review", "remind", "reopen", "download")

# Who may do what, for a report of agency A in each state while its year is open.
#                         edit   submit review remind reopen download
OPEN_YEAR = {
    ("staff_a", S.DRAFT): (True, False, False, False, False, True),
    ("head_a", S.DRAFT): (True, True, False, False, False, True),
    ("head_a", S.SUBMITTED): (False, False, False, False, False, True),
    ("head_a", S.RETURNED): (True, True, False, False, False, True),
    ("staff_b", S.DRAFT): (False, False, False, False, False, False),
    ("reviewer", S.DRAFT): (False, False, False, True, False, True),
    ("reviewer", S.SUBMITTED): (False, False, True, False, False, True),
    ("reviewer", S.ACCEPTED): (False, False, False, False, False, True),
    ("leader", S.SUBMITTED): (False, False, False, False, False, True),
}


def _in_state(report: Report, state: str, *, year_state: str = Y.OPEN, reopened: bool = False) -> Report:
    Report.objects.filter(pk=report.pk).update(state=state, reopened=reopened)
    ReportingYear.objects.filter(pk=report.reporting_year_id).update(state=year_state)
    return Report.objects.select_related("agency", "reporting_year").get(pk=report.pk)


@pytest.mark.parametrize(("who", "state"), list(OPEN_YEAR))
def test_each_role_may_do_what_the_table_says(world, who, state):
    report = _in_state(world.report_a, state)
    user = getattr(world, who)
    for build in (ReportPolicy.for_user, ReportPolicy.for_actor):
        policy = build(user, report)
        decided = tuple(bool(getattr(policy, action)) for action in ACTIONS)
        assert decided == OPEN_YEAR[(who, state)], (build.__name__, dict(zip(ACTIONS, decided, strict=True)))
        for action in ACTIONS:
            decision = getattr(policy, action)
            assert decision or decision.reason, f"{action} refused without a reason"


def test_a_closed_year_stops_the_agency_until_its_report_is_reopened(world):
    report = _in_state(world.report_a, S.DRAFT, year_state=Y.CLOSED)
    head = ReportPolicy.for_user(world.head_a, report)
    assert not head.edit and "2026" in head.edit.reason and not head.submit
    reviewer = ReportPolicy.for_user(world.reviewer, report)
    assert reviewer.reopen and not reviewer.remind

    report = _in_state(world.report_a, S.RETURNED, year_state=Y.CLOSED, reopened=True)
    assert ReportPolicy.for_user(world.head_a, report).submit
    reviewer = ReportPolicy.for_user(world.reviewer, report)
    assert not reviewer.reopen and reviewer.remind


def test_an_archived_year_is_read_only_for_the_reviewers(world):
    report = _in_state(world.report_a, S.SUBMITTED, year_state=Y.ARCHIVED)
    policy = ReportPolicy.for_user(world.reviewer, report)
    assert not policy.review and "lưu trữ" in policy.review.reason
    assert policy.download and policy.review_note


def test_the_services_refuse_with_the_policys_words(world):
    fill_report(world.report_a)
    report = _in_state(world.report_a, S.DRAFT)
    refusal = ReportPolicy.for_actor(world.staff_a, report).submit
    with pytest.raises(ReportPermissionError) as raised:
        report_submit(report=report, actor=world.staff_a)
    assert raised.value.message == refusal.reason

    report = report_submit(report=report, actor=world.head_a)
    for service, kwargs in ((report_accept, {}), (report_return, {"reason": "Thiếu số liệu."})):
        refusal = ReportPolicy.for_actor(world.head_a, report).review
        with pytest.raises(ReportPermissionError) as raised:
            service(report=report, actor=world.head_a, **kwargs)
        assert raised.value.message == refusal.reason

    refusal = ReportPolicy.for_actor(world.reviewer, report).remind
    with pytest.raises(ReminderRefused) as raised:
        reminder_send(report=report, kind="manual", actor=world.reviewer)
    assert raised.value.message == refusal.reason

    refusal = ReportPolicy.for_actor(world.reviewer, report).reopen
    with pytest.raises(ReportError) as raised:
        report_reopen(report=report, actor=world.reviewer, reason="Bổ sung số liệu.")
    assert raised.value.message == refusal.reason


def test_the_pages_offer_what_the_policy_allows_and_say_what_it_says(world, client_for):
    report = _in_state(world.report_a, S.DRAFT)
    staff, head = client_for(world.staff_a), client_for(world.head_a)

    home = staff.get(reverse("home")).content.decode()
    assert ReportPolicy.for_user(world.staff_a, report).next_step in home.replace("&#x27;", "'")
    assert reverse("reports:edit", args=[report.pk]) in home

    edit = head.get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert reverse("reports:submit", args=[report.pk]) in edit
    edit = staff.get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert reverse("reports:submit", args=[report.pk]) not in edit

    report = _in_state(world.report_a, S.SUBMITTED)
    detail = head.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert ReportPolicy.for_user(world.head_a, report).read_only_note in detail
    refused = head.get(reverse("reports:edit", args=[report.pk]), follow=True).content.decode()
    assert ReportPolicy.for_user(world.head_a, report).edit.reason in refused
