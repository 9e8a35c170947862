"""The reviewers' writes on reports: reviewing a submitted report (ratings, comments, a decision) and accepting
several at once. Reminders are in review/reminders.py, the reporting year's life in reports/years.py.

The review goes through `reports.transitions.report_transition` like every change of a report; the decisions
themselves (return, accept) are the functions of reports/services.py, never made here.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import ReportingYear
from assignments.roles import REVIEW, holds_role_permission
from audit.models import Action
from audit.services import log_action
from notifications.services import in_portal_language
from reports.errors import ReportError, ReportPermissionError
from reports.models import Report, ReviewComment, TaskReport
from reports.services import report_accept, report_return
from reports.transitions import report_transition

logger = logging.getLogger(__name__)

State = Report.State


class Decision:
    SAVE = "save"
    RETURN = "return"
    ACCEPT = "accept"
    ALL = (SAVE, RETURN, ACCEPT)


def ensure_reviewer(actor) -> None:
    """Refuse anyone who is not a reviewer of the consolidating department (reports.policy's words)."""
    if not holds_role_permission(actor, REVIEW):
        raise ReportPermissionError(_("Only reviewers of the consolidating department can do this."))


# --- Reviewing one report ----------------------------------------------------------------------------------


@dataclass
class ReviewOutcome:
    report: Report
    ratings_changed: int = 0
    comments_added: int = 0
    decision: str = Decision.SAVE


def report_review(
    *,
    report: Report,
    actor,
    decision: str = Decision.SAVE,
    ratings: dict[int, str] | None = None,
    task_comments: dict[int, str] | None = None,
    comment: str = "",
    reason: str = "",
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> ReviewOutcome:
    """Record a reviewer's ratings and comments on a submitted report, then return it, accept it, or neither.

    `ratings` and `task_comments` are keyed by TaskReport id. Everything happens in one transaction: a return
    without a reason, a report another reviewer changed meanwhile, or a report that is no longer submitted
    saves nothing at all. On a return the task comments and the reason go to the agency with the return; on an
    acceptance the overall comment is the acceptance note.
    """
    if decision not in Decision.ALL:
        raise ValueError(decision)
    reason, comment = (reason or "").strip(), (comment or "").strip()
    at = at or timezone.now()

    with transaction.atomic():
        with report_transition(
            report, "review", actor=actor, action=Action.TASK_RATED, may="review",
            expected_version=expected_version, at=at,
        ) as step:
            report = step.report
            if decision == Decision.RETURN and not reason:
                raise ReportError(_("Give the reason for returning the report; the agency will see it."))
            rating_changes, comment_changes, comments = _record_review(
                step, ratings or {}, task_comments or {}, comment, decision
            )
            step.bump_version = bool(rating_changes or comment_changes)
        if decision == Decision.RETURN:
            report = report_return(
                report=report,
                actor=actor,
                reason=reason,
                task_comments={answer.task: text for answer, text in comments.items()},
                at=at,
            )
        elif decision == Decision.ACCEPT:
            report = report_accept(report=report, actor=actor, comment=comment, at=at)
    return ReviewOutcome(
        report=report,
        ratings_changed=len(rating_changes),
        comments_added=len(comments) + (1 if comment and decision != Decision.ACCEPT else 0),
        decision=decision,
    )


def _record_review(step, ratings: dict, task_comments: dict, comment: str, decision: str):
    """The ratings and comments of one review, written on the locked report; the audit entries say what changed.

    Long because each rating and each comment is compared with what was there and audited."""
    report, actor, at = step.report, step.actor, step.at
    answers = {
        tr.pk: tr
        for tr in TaskReport.objects.filter(report=report).select_related("task").order_by(
            "task__group__number", "task__position"
        )
    }
    latest = report.versions.order_by("-number").first()
    # The history is written once for everybody, in the portal's language, whatever the reviewer's.
    with in_portal_language():
        labels = {code: str(label) for code, label in TaskReport.Rating.choices}
        whole_report = str(_("Whole report"))
    rating_changes = []
    for answer_id, rating in ratings.items():
        answer = answers.get(answer_id)
        rating = rating or ""
        if answer is None or (rating and rating not in labels) or answer.review_rating == rating:
            continue
        rating_changes.append(
            {"field": answer.task.code, "old": labels.get(answer.review_rating, ""), "new": labels.get(rating, "")}
        )
        answer.review_rating = rating
        answer.save(update_fields=["review_rating"])
    comments = {
        answers[answer_id]: text.strip()
        for answer_id, text in task_comments.items()
        if answer_id in answers and text and text.strip()
    }
    comment_changes = []
    for answer, text in comments.items():
        if decision != Decision.RETURN:
            # A return files the task comments itself, with the reason (reports.services.report_return).
            ReviewComment.objects.create(
                report=report, version=latest, task=answer.task, body=text, author=actor, created_at=at
            )
        comment_changes.append({"field": answer.task.code, "old": "", "new": text})
    if comment and decision != Decision.ACCEPT:
        # On acceptance the overall comment is filed as the acceptance note instead.
        ReviewComment.objects.create(report=report, version=latest, body=comment, author=actor, created_at=at)
        comment_changes.append({"field": whole_report, "old": "", "new": comment})
    with in_portal_language():
        rated = ngettext("%(count)d task rated", "%(count)d tasks rated", len(rating_changes)) % {
            "count": len(rating_changes)
        }
        commented = ngettext("%(count)d comment", "%(count)d comments", len(comment_changes)) % {
            "count": len(comment_changes)
        }
    if rating_changes:
        step.changes, step.message = rating_changes, rated
        if comment_changes:
            # Two entries, as two things happened: the ratings (the transition's) and the comments.
            step.notify(
                lambda: log_action(
                    actor, Action.REVIEW_COMMENTED, report=report, version=report.version, message=commented,
                    changes=comment_changes, at=at,
                )
            )
    elif comment_changes:
        step.action, step.changes, step.message = Action.REVIEW_COMMENTED, comment_changes, commented
    return rating_changes, comment_changes, comments


# --- Several reports at once -------------------------------------------------------------------------------


@dataclass
class BulkResult:
    done: list[Report] = field(default_factory=list)
    refused: list[tuple[Report, str]] = field(default_factory=list)


def reports_accept_selected(*, reporting_year: ReportingYear, report_ids, actor) -> BulkResult:
    """Accept each chosen report of the year on its own: one transaction, one check and one audit entry each."""
    ensure_reviewer(actor)
    result = BulkResult()
    reports = (
        Report.objects.filter(reporting_year=reporting_year, pk__in=list(report_ids))
        .select_related("agency", "reporting_year")
        .order_by("agency__position", "agency__name")
    )
    for report in reports:
        try:
            result.done.append(report_accept(report=report, actor=actor))
        except ReportError as error:
            result.refused.append((report, error.message))
    return result


