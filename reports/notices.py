"""The notices a report's changes send: short letters to the agency, a notice to the reviewers on submission."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Membership
from assignments.roles import REVIEW, users_holding
from notifications.services import in_portal_language, letter_text, notify
from reports.models import Report


def letter_facts(report: Report) -> dict:
    year = report.reporting_year
    return {
        "agency": report.agency.name,
        "year": year.year,
        "document": (year.directive.implements or year.directive).reference,
        "consolidator": year.consolidating_agency.name,
    }


def notify_agency(
    report: Report,
    *,
    title: str,
    happened: str,
    body: str = "",
    details: str = "",
    details_label: str = "",
    next_step: str = "",
    at=None,
) -> None:
    """The agency's members get a notice in the portal and a letter by e-mail (notifications.services.letter_text)."""
    users = [m.user for m in Membership.objects.filter(agency=report.agency).select_related("user")]
    url = reverse("reports:detail", kwargs={"pk": report.pk})
    letter = letter_text(
        addressee=report.agency.name,
        happened=happened,
        details_label=details_label,
        details=details,
        next_step=next_step,
        url=url,
        sender=report.reporting_year.consolidating_agency.name,
    )
    notify(users, title=title, body=body, url=url, letter=letter, at=at)


def notify_reviewers_of_submission(report: Report, number: int, days_late: int, at=None) -> None:
    reviewers = users_holding(REVIEW)
    facts = letter_facts(report)
    url = reverse("review:report", kwargs={"pk": report.pk})
    with in_portal_language():
        title = _("%(agency)s submitted its report for %(year)s") % facts
        body = _("Submission number %(number)d.") % {"number": number}
        timeliness = (
            _("on time")
            if days_late == 0
            else ngettext("%(days)d day late", "%(days)d days late", days_late) % {"days": days_late}
        )
        letter = letter_text(
            addressee=_("The reviewers of %(consolidator)s") % facts,
            happened=_(
                "%(agency)s has submitted its %(year)s report on the implementation of %(document)s "
                "(submission number %(number)d, %(timeliness)s)."
            )
            % {**facts, "number": number, "timeliness": timeliness},
            next_step=_("Please review it and accept it or return it to the agency with your reasons."),
            url=url,
            sender=facts["consolidator"],
        )
    notify(reviewers, title=title, body=body, url=url, letter=letter, at=at)
