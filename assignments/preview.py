"""What recording a succession would do, shown before anything is recorded.

The preview runs the real reorganisation (`agency_reorganise`, then the `agencies_changed` signal the reports app
answers by bringing the open years' reports in line) inside a transaction that is always rolled back, and
describes the difference: which assignments end and which pass to the successor, which agencies start or stop
owing a report in an open year. Being the same code as the real thing, the preview cannot promise anything the
recording would not do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from assignments.models import Agency, AgencySuccession, Assignment
from assignments.services import agency_reorganise
from assignments.signals import agencies_changed


@dataclass
class SuccessionPreview:
    """What the succession changes, each line a sentence for the administrator."""

    agency_ends: str = ""
    assignments_end: list[str] = field(default_factory=list)
    assignments_pass: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)

    @property
    def changes_nothing(self) -> bool:
        return not (self.agency_ends or self.assignments_end or self.assignments_pass or self.reports)


class _RollBack(Exception):
    pass


def _assignments_of(agency_ids: list[int]) -> dict[int, tuple]:
    rows = Assignment.objects.filter(agency_id__in=agency_ids).select_related("task", "agency")
    return {row.pk: (row.task.code, row.agency.name, row.started_on, row.ended_on) for row in rows}


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def succession_preview(
    *, predecessor: Agency, successor: Agency, kind: str, effective_on: datetime.date
) -> SuccessionPreview:
    """What `agency_reorganise` with these arguments would change; nothing is kept."""
    preview = SuccessionPreview()
    try:
        with transaction.atomic():
            before = _assignments_of([predecessor.pk, successor.pk])
            valid_to = predecessor.valid_to
            agency_reorganise(predecessor=predecessor, successor=successor, kind=kind, effective_on=effective_on)
            after = _assignments_of([predecessor.pk, successor.pk])
            predecessor.refresh_from_db(fields=["valid_to"])
            if predecessor.valid_to != valid_to:
                preview.agency_ends = _("%(agency)s ends on %(date)s: it stays in the records as history.") % {
                    "agency": predecessor.name,
                    "date": _day(predecessor.valid_to),
                }
            for pk, (task, agency, _started, ended) in sorted(after.items(), key=lambda item: item[1]):
                if pk not in before:
                    preview.assignments_pass.append(
                        _("Task %(task)s passes to %(agency)s from %(date)s.")
                        % {"task": task, "agency": agency, "date": _day(effective_on)}
                    )
                elif before[pk][3] != ended:
                    preview.assignments_end.append(
                        _("Task %(task)s of %(agency)s ends on %(date)s.")
                        % {"task": task, "agency": agency, "date": _day(ended)}
                    )
            for _receiver, lines in agencies_changed.send(sender=AgencySuccession, describe=True):
                preview.reports.extend(lines or [])
            raise _RollBack
    except _RollBack:
        pass
    return preview
