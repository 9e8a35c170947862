"""The directive's tasks, indicators and targets, read once and kept while they do not change.

The report form draws every task answer with its task and every indicator value with its indicator and this
year's target. Those rows are the text of the letter and the province's targets: an administrator changes them a
few times a year, while the form is opened thousands of times around the deadline. Reading them with each
report (three joins and a query of their own) cost the form about a sixth of its time.

They are kept under a *catalogue generation* in the shared cache (portal.cache), replaced by receivers
(assignments/apps.py) whenever a directive, task group, task, indicator or target is saved or deleted, so every
server reads the change at its next request. Each process also keeps the last catalogue it read with its
generation, so a request costs one cache read, not the unpickling of every task.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from portal import cache as generations

GENERATION_KEY = "assignments:catalogue:generation"
TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class Catalogue:
    tasks: dict  # Task by id, with its group
    indicators: dict  # Indicator by id
    targets: dict  # year -> {indicator id: IndicatorTarget}

    def targets_of(self, year: int) -> dict:
        return self.targets.get(year, {})


def _read() -> Catalogue:
    from assignments.models import Indicator, IndicatorTarget, Task

    targets: dict = {}
    for target in IndicatorTarget.objects.order_by():
        targets.setdefault(target.year, {})[target.indicator_id] = target
    return Catalogue(
        tasks={task.pk: task for task in Task.objects.select_related("group").order_by()},
        indicators={indicator.pk: indicator for indicator in Indicator.objects.order_by()},
        targets=targets,
    )


_last: tuple[str, Catalogue] | None = None


def catalogue(*, task_ids=(), indicator_ids=()) -> Catalogue:
    """The catalogue as it is now: this process's copy while the generation is the same, else from the cache.
    Given the tasks and indicators a caller is about to look up, a catalogue that lacks one of them (a row added
    while it was kept) is read again from the database under a new generation."""
    found = _current()
    if any(pk not in found.tasks for pk in task_ids) or any(pk not in found.indicators for pk in indicator_ids):
        generations.renew(GENERATION_KEY)
        found = _current()
    return found


def _current() -> Catalogue:
    global _last
    generation = generations.current(GENERATION_KEY)
    last = _last
    if last is not None and last[0] == generation:
        return last[1]
    found = cache.get_or_set(f"assignments:catalogue:{generation}", _read, TIMEOUT)
    _last = (generation, found)
    return found


def catalogue_changed(sender=None, using=None, **kwargs) -> None:
    """Signal receiver: a directive, task group, task, indicator or target was saved or deleted."""
    generations.changed(GENERATION_KEY, using)
