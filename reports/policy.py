"""What a user may do with a report, and why not: the portal's one answer to the question.

`ReportPolicy` gives, for one user and one report, a `Decision` for each action: edit, submit, review (rate,
return, accept), remind, reopen and download. A decision is true when the action is allowed; otherwise it
carries the reason, in the user's language, that the page shows and the service raises. Views and templates
ask the policy (templates through `{% report_policy report as may %}`); the services ask the same policy on
the locked row and raise `decision.check()`, so a button is never offered for what the service would refuse,
and a refusal reads the same wherever it comes from.

A request builds the policy from the user's roles (`ReportPolicy.for_user`, no query beyond the roles the
request already holds); a service builds it for the actor it was given (`ReportPolicy.for_actor`, one query for
the actor's membership of the report's agency).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments.models import Membership, ReportingYear
from assignments.roles import MANAGE_YEARS, REVIEW, VIEW_ALL, holds_role_permission, roles_for
from reports.errors import ReportError, ReportPermissionError
from reports.models import Report

State = Report.State
YearState = ReportingYear.State


@dataclass(frozen=True)
class Decision:
    """Allowed, or refused with the reason; `permission` when the refusal is about who asks, not the report."""

    allowed: bool
    reason: str = ""
    permission: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    def check(self, error: type[ReportError] | None = None) -> None:
        """Raise the refusal: `ReportPermissionError` for who asks, else `error` (default `ReportError`)."""
        if self.allowed:
            return
        if self.permission:
            raise ReportPermissionError(self.reason)
        raise (error or ReportError)(self.reason)


ALLOWED = Decision(True)


def _refused(reason: str, *, permission: bool = False) -> Decision:
    return Decision(False, str(reason), permission)


def year_allows_agency_edit(report: Report) -> bool:
    """The agency writes while its year is open, or after the year closed when its report was reopened."""
    return report.reporting_year.state == YearState.OPEN or report.reopened


def _closed_reason(report: Report) -> str:
    return _("The reporting year %(year)s is closed. Ask the reviewers to reopen your report.") % {
        "year": report.reporting_year.year
    }


def agency_edit_state(report: Report) -> Decision:
    """Whether the report's state and its year's let its agency write, whoever asks."""
    if report.state == State.ACCEPTED:
        return _refused(_("This report has been accepted and can no longer be changed."))
    if report.state == State.SUBMITTED:
        return _refused(_("This report has been submitted and is read-only until the reviewer returns it."))
    if not year_allows_agency_edit(report):
        return _refused(_closed_reason(report))
    return ALLOWED


def remind_state(report: Report) -> Decision:
    """Whether the report's agency can still be reminded (by a reviewer or by the daily run)."""
    if report.state in Report.SUBMITTED_STATES:
        return _refused(_("%(agency)s has already submitted its report.") % {"agency": report.agency.name})
    if not year_allows_agency_edit(report):
        return _refused(
            _("The reporting year %(year)s is closed: agencies can no longer submit.")
            % {"year": report.reporting_year.year}
        )
    return ALLOWED


class ReportPolicy:
    """What one user may do with one report. Build it with `for_user` (a request) or `for_actor` (a service)."""

    def __init__(
        self,
        report: Report,
        *,
        membership,
        reviewer,
        manages_years,
        views_all,
    ):
        # Who asks is worked out only as far as a decision needs it (an agency's page never asks whether its
        # user manages the years): each argument is the answer or a function giving it.
        self.report = report
        self._roles = {
            "membership": membership,
            "reviewer": reviewer,
            "manages_years": manages_years,
            "views_all": views_all,
        }

    def _role(self, name: str):
        value = self._roles[name]
        if callable(value):
            value = self._roles[name] = value()
        return value

    @property
    def membership(self) -> Membership | None:
        return self._role("membership")

    @property
    def reviewer(self) -> bool:
        return bool(self._role("reviewer"))

    @property
    def manages_years(self) -> bool:
        return bool(self._role("manages_years"))

    @property
    def views_all(self) -> bool:
        return bool(self._role("views_all"))

    @classmethod
    def for_user(cls, user, report: Report) -> ReportPolicy:
        roles = roles_for(user)
        return cls(
            report,
            membership=roles.membership_for(report.agency_id),
            reviewer=lambda: roles.is_reviewer,
            manages_years=lambda: user.is_authenticated and user.has_perm(MANAGE_YEARS),
            views_all=lambda: roles.can_view_all,
        )

    @classmethod
    def for_actor(cls, actor, report: Report) -> ReportPolicy:
        authenticated = actor is not None and actor.is_authenticated
        return cls(
            report,
            membership=lambda: (
                Membership.objects.filter(user=actor, agency_id=report.agency_id).first() if authenticated else None
            ),
            reviewer=lambda: holds_role_permission(actor, REVIEW),
            manages_years=lambda: authenticated and actor.has_perm(MANAGE_YEARS),
            views_all=lambda: authenticated and actor.has_perm(VIEW_ALL),
        )

    # --- The agency ----------------------------------------------------------------------------------------

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def is_head(self) -> bool:
        return self.membership is not None and self.membership.role == Membership.Role.HEAD

    @cached_property
    def edit(self) -> Decision:
        """Write the report: a member of its agency, while the report is with the agency and its year open."""
        if not self.is_member:
            return _refused(
                _("Only members of %(agency)s can change this report.") % {"agency": self.report.agency},
                permission=True,
            )
        return agency_edit_state(self.report)

    @cached_property
    def submit(self) -> Decision:
        """Hand the report in: the head of its agency, whenever the agency may write it."""
        if not self.is_head:
            return _refused(_("Only the head of the agency can submit the report."), permission=True)
        return agency_edit_state(self.report)

    @cached_property
    def download(self) -> Decision:
        """Read and download the report and its documents: its agency, reviewers and leaders."""
        if self.is_member or self.views_all:
            return ALLOWED
        return _refused(_("Only the agency, the reviewers and the leaders can read this report."), permission=True)

    # --- The consolidating department ------------------------------------------------------------------------

    @cached_property
    def review(self) -> Decision:
        """Rate, return or accept: a reviewer, while the report awaits review and its year is not archived."""
        if not self.reviewer:
            return _refused(_("Only reviewers of the consolidating department can do this."), permission=True)
        if self.report.reporting_year.state == YearState.ARCHIVED:
            return _refused(
                _("The reporting year %(year)s is archived: its reports can be read but no longer reviewed.")
                % {"year": self.report.reporting_year.year}
            )
        if self.report.state != State.SUBMITTED:
            return _refused(
                _("The report is “%(state)s”: only a submitted report can be reviewed.")
                % {"state": self.report.get_state_display()}
            )
        return ALLOWED

    @cached_property
    def remind(self) -> Decision:
        """Remind the agency: a reviewer, while the report is not handed in and the agency can still submit."""
        if not self.reviewer:
            return _refused(_("Only reviewers of the consolidating department can do this."), permission=True)
        return remind_state(self.report)

    @cached_property
    def reopen(self) -> Decision:
        """Let the agency write again after its year closed: a reviewer who manages the years."""
        if not self.manages_years:
            return _refused(_("Only reviewers can reopen a report."), permission=True)
        if self.report.reporting_year.state != YearState.CLOSED:
            return _refused(_("Only reports of a closed year need reopening; this year is not closed."))
        if self.report.reopened:
            return _refused(
                _("%(agency)s can already write this report: it was reopened.") % {"agency": self.report.agency.name}
            )
        return ALLOWED

    @property
    def read_only_note(self) -> str:
        """Why the agency's report pages show the report without a way to write it (empty when it can write)."""
        if self.edit or not self.is_member:
            return ""
        if self.report.state == State.ACCEPTED:
            return _("Accepted by the reviewers: the report is final and read-only.")
        if self.report.state == State.SUBMITTED:
            return _("Submitted: the report is read-only for your agency until the reviewers return it.")
        return _(
            "The reporting year %(year)s is closed: the report is read-only. Ask the reviewers to reopen it if it "
            "must still be changed."
        ) % {"year": self.report.reporting_year.year}

    @property
    def review_note(self) -> str:
        """What the review page says in place of the review form when the report cannot be reviewed now."""
        if self.review or not self.reviewer:
            return ""
        report = self.report
        if report.state == State.ACCEPTED:
            who = report.accepted_by.get_full_name() or report.accepted_by.get_username() if report.accepted_by else ""
            return _("Accepted at %(when)s by %(who)s. The report is frozen.") % {
                "when": date_format(timezone.localtime(report.accepted_at), "H:i d/m/Y") if report.accepted_at else "",
                "who": who,
            }
        if report.state == State.RETURNED:
            return _("Returned to the agency: waiting for it to correct and submit again.")
        if report.reporting_year.state == YearState.ARCHIVED:
            return _("The year is archived: this report can be read but no longer reviewed.")
        return _("The agency is working on a new version; the last submitted one is shown.")

    # --- What the agency does next ----------------------------------------------------------------------------

    @property
    def next_step(self) -> str:
        """One sentence for the agency: what to do with the report now."""
        state = self.report.state
        if state == State.ACCEPTED:
            return _("Accepted. Nothing more to do for this year.")
        if state == State.SUBMITTED:
            return _("Submitted. The consolidating department is reviewing it.")
        if not year_allows_agency_edit(self.report):
            return _closed_reason(self.report)
        if state == State.RETURNED:
            return _(
                "Next: the reviewers returned the report. Read their reasons beside the tasks, correct, and submit "
                "again."
            )
        if state == State.NOT_STARTED:
            return _("Next: open the report and fill in each assigned task. You can save a draft at any time.")
        if self.is_head:
            return _("Next: finish the draft; when every task has a status and results, submit it from the form.")
        return _("Next: finish the draft; the head of the agency then submits it.")
