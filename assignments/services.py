"""Writes on the directive's data: deriving who carries which task, and reorganising agencies."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Agency, AgencySuccession, Assignment, Directive, Task, TaskGroup
from audit.models import Action
from audit.services import log_action

# "Thủ trưởng các sở, ban, ngành của tỉnh; Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố": the kinds of
# agency that a group addressed to every agency reaches.
# From 01/07/2025 the district level is abolished and the commune-level committees carry its tasks.
ALL_AGENCY_KINDS = (
    Agency.Kind.DEPARTMENT,
    Agency.Kind.BOARD,
    Agency.Kind.BANK,
    Agency.Kind.DISTRICT,
    Agency.Kind.COMMUNE,
    Agency.Kind.WARD,
)


class ReorganisationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def active_agencies(day: datetime.date):
    return Agency.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


@dataclass
class SyncResult:
    created: int
    total: int


def assignments_sync(*, directive: Directive, day: datetime.date | None = None, actor=None) -> SyncResult:
    """Create the assignment rows that the task groups imply for the agencies existing on `day`.

    A group naming an agency gives that agency its tasks; a group addressed to every agency gives its tasks to
    every active department, board or sector, bank branch and district-level People's Committee. Existing rows
    (including ended ones, kept for history, and ones passed on by a reorganisation) are left alone, so running
    it again creates nothing. Run it once after loading the directive, and again when agencies change.
    """
    day = day or timezone.localdate()
    groups = list(TaskGroup.objects.filter(directive=directive).prefetch_related("tasks"))
    active = list(active_agencies(day).filter(kind__in=ALL_AGENCY_KINDS))
    active_ids = {a.pk for a in active}
    wanted: list[tuple[Task, int, str]] = []
    for group in groups:
        if group.scope == TaskGroup.Scope.ALL_AGENCIES:
            agency_ids, source = [a.pk for a in active], Assignment.Source.ALL_AGENCIES
        elif group.agency_id in active_ids or (group.agency and group.agency.is_active_on(day)):
            agency_ids, source = [group.agency_id], Assignment.Source.NAMED
        else:
            agency_ids, source = [], Assignment.Source.NAMED  # the named agency is gone: its successor inherited
        wanted += [(task, agency_id, source) for task in group.tasks.all() for agency_id in agency_ids]

    existing = set(
        Assignment.objects.filter(task__group__directive=directive).values_list("task_id", "agency_id")
    )
    new_rows = [
        Assignment(task=task, agency_id=agency_id, source=source)
        for task, agency_id, source in wanted
        if (task.pk, agency_id) not in existing
    ]
    with transaction.atomic():
        Assignment.objects.bulk_create(new_rows)
        if new_rows:
            log_action(
                actor,
                Action.ASSIGNMENTS_SYNCED,
                message=_("%(count)d assignments created from the task groups of %(document)s")
                % {"count": len(new_rows), "document": directive},
            )
    total = Assignment.objects.filter(task__group__directive=directive).count()
    return SyncResult(created=len(new_rows), total=total)


def agency_reorganise(
    *,
    predecessor: Agency,
    successor: Agency,
    kind: str,
    effective_on: datetime.date,
    actor=None,
    confirmed: bool = False,
    source: str = "",
) -> AgencySuccession:
    """Record that `predecessor` was merged into, renamed to, or had functions moved to `successor`.

    History is never rewritten: the predecessor keeps its reports and its ended assignments. A merger or a
    renaming ends the predecessor the day before `effective_on`; its open assignments pass to the successor from
    `effective_on` (marked as inherited from the predecessor). A transfer of functions (SPLIT_INTO) only links
    the two: which tasks move is for an administrator to decide.
    """
    if predecessor.pk == successor.pk:
        raise ReorganisationError(_("An agency cannot succeed itself."))
    if not successor.is_active_on(effective_on):
        raise ReorganisationError(
            _("%(agency)s does not exist on %(date)s.") % {"agency": successor, "date": effective_on.strftime("%d/%m/%Y")}
        )
    last_day = effective_on - datetime.timedelta(days=1)
    with transaction.atomic():
        link, created = AgencySuccession.objects.get_or_create(
            predecessor=predecessor,
            successor=successor,
            defaults={"kind": kind, "effective_on": effective_on, "confirmed": confirmed, "source": source},
        )
        if kind in (AgencySuccession.Kind.MERGED_INTO, AgencySuccession.Kind.RENAMED_TO):
            if predecessor.valid_to is None or predecessor.valid_to > last_day:
                predecessor.valid_to = last_day
                predecessor.save(update_fields=["valid_to"])
            assignments_pass_on(predecessor, successor, effective_on)
        if created:
            log_action(
                actor,
                Action.AGENCY_REORGANISED,
                agency=predecessor,
                message=f"{predecessor} – {link.get_kind_display()} – {successor} ({effective_on:%d/%m/%Y})",
            )
    return link


def assignments_pass_on(predecessor: Agency, successor: Agency, effective_on: datetime.date) -> None:
    """The predecessor's open assignments end the day before `effective_on` and pass to the successor."""
    last_day = effective_on - datetime.timedelta(days=1)
    open_rows = list(Assignment.objects.filter(agency=predecessor).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=last_day)))
    successor_tasks = set(Assignment.objects.filter(agency=successor).values_list("task_id", flat=True))
    for row in open_rows:
        row.ended_on = last_day
        row.save(update_fields=["ended_on"])
        if row.task_id not in successor_tasks:
            Assignment.objects.create(
                task_id=row.task_id,
                agency=successor,
                source=Assignment.Source.INHERITED,
                inherited_from=predecessor,
                started_on=effective_on,
            )
            successor_tasks.add(row.task_id)
