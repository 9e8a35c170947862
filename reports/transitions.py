"""The one way a report changes state: `report_transition`.

Submit, return, accept, reopen and the reviewer's review all go through it: inside `transaction.atomic()` it
locks the report row, asks the caller's permission check, checks the transition against `TRANSITIONS` and the
version the form was drawn from, hands the locked report to the caller to change, then saves only the fields
that changed (with the new state and version), writes the audit entry and the notices the caller queued, whose
e-mails leave once the transaction has committed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action
from reports.errors import ReportError, StaleReportError
from reports.models import Report
from reports.policy import ReportPolicy

State = Report.State

# The reporting cycle: which states each transition may start from, and the state it leads to (None: unchanged).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "submit": ((State.DRAFT, State.RETURNED), State.SUBMITTED),
    "return": ((State.SUBMITTED,), State.RETURNED),
    "accept": ((State.SUBMITTED,), State.ACCEPTED),
    # Reopening keeps a draft a draft; a submitted or accepted report goes back to the agency (set by the caller).
    "reopen": (tuple(State.values), None),
    # The reviewer's ratings and comments on a submitted report, before or without a decision.
    "review": ((State.SUBMITTED,), None),
}


def lock_report(report_id: int) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("reporting_year__directive__implements", "reporting_year__consolidating_agency", "agency")
        .get(pk=report_id)
    )


def check_transition(report: Report, name: str) -> str:
    """The state the transition leads to; `ReportError` when the report's state does not allow it."""
    allowed_from, to_state = TRANSITIONS[name]
    if report.state not in allowed_from:
        raise ReportError(
            _("This cannot be done while the report is “%(state)s”.") % {"state": report.get_state_display()}
        )
    return to_state or report.state


def check_version(report: Report, expected_version: int | None) -> None:
    if expected_version is not None and report.version != expected_version:
        raise StaleReportError(report, expected_version)


@dataclass
class Transition:
    """A transition in progress: the locked report, and what the caller adds to the save and the audit entry."""

    report: Report
    actor: object
    policy: ReportPolicy
    at: datetime.datetime
    from_state: str
    to_state: str
    action: str
    message: str = ""
    changes: list[dict] | None = None
    fields: set[str] = field(default_factory=set)
    notices: list[Callable[[], None]] = field(default_factory=list)
    bump_version: bool = True

    def set(self, **values) -> None:
        """Change fields of the report; only these (and the state and version) are saved."""
        for name, value in values.items():
            setattr(self.report, name, value)
            self.fields.add(name)

    def notify(self, send: Callable[[], None]) -> None:
        """A notice to send after the change is saved: written in the same transaction (so a change rolled back
        leaves no notice), its e-mails leaving once the transaction has committed (`notifications.services`)."""
        self.notices.append(send)


@contextmanager
def report_transition(
    report: Report,
    name: str,
    *,
    actor,
    action: str,
    may: str,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> Iterator[Transition]:
    """Lock → check who (the decision `may` of reports.policy on the locked report), the state and the version →
    let the caller change the report → save the changed fields, audit, notify on commit. Nested in an outer
    transaction (the review page's), the notices wait for the outermost commit."""
    with transaction.atomic():
        locked = lock_report(report.pk)
        policy = ReportPolicy.for_actor(actor, locked)
        getattr(policy, may).check()
        to_state = check_transition(locked, name)
        check_version(locked, expected_version)
        step = Transition(
            report=locked,
            actor=actor,
            at=at or timezone.now(),
            from_state=locked.state,
            to_state=to_state,
            action=action,
            policy=policy,
        )
        yield step
        if not step.bump_version and step.to_state == step.from_state and not step.fields:
            return
        locked.state = step.to_state
        locked.version += 1
        locked.updated_by = actor
        locked.save(update_fields=sorted({"state", "version", "updated_by", "updated_at", *step.fields}))
        # A review that leaves the state as it was records no change of state.
        records_states = step.from_state != locked.state or name != "review"
        log_action(
            actor,
            action,
            report=locked,
            from_state=step.from_state if records_states else "",
            to_state=locked.state if records_states else "",
            version=locked.version,
            message=step.message,
            changes=step.changes,
            at=step.at,
        )
        for send in step.notices:
            send()
