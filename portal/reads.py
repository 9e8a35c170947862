"""Reads a page makes on every visit, compiled once per process.

Turning a queryset into SQL costs Django about as much as PostgreSQL takes to answer it: the report form reads a
report's task answers, indicator values, evidence files, documents and activities on every visit, and compiling
those five plain queries was about a sixth of the form's time. A `CompiledRead` asks the ORM for the SQL once per
process and database, with a placeholder for the one value that changes (the report), and then runs that SQL
through `Model.objects.raw()`, which turns the rows into model instances as the queryset would.

The SQL still comes from the ORM, so a field added to the model, a manager's filter or the model's ordering is in
it. Only a plain read of one model qualifies (no select_related, prefetch, annotation or deferred field), with
exactly one parameter: anything else is refused when the read is first compiled.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

# The value the SQL is compiled with; it must be the query's only parameter.
PLACEHOLDER = -739_000_001


class CompiledRead:
    """`CompiledRead(lambda report_id: Model.objects.filter(report_id=report_id))`, then `read(report.pk)` gives
    the list the queryset would give."""

    def __init__(self, build: Callable[[int], QuerySet]):
        self.build = build
        self._compiled: dict[str, tuple[type, str]] = {}

    def __call__(self, value: int, *, using: str = DEFAULT_DB_ALIAS) -> list:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        model, sql = compiled
        return list(model._base_manager.raw(sql, [value], using=using))

    def _compile(self, using: str) -> tuple[type, str]:
        queryset = self.build(PLACEHOLDER).using(using)
        query = queryset.query
        if (
            query.select_related
            or query.annotations
            or query.extra
            or query.deferred_loading != (frozenset(), True)
            or queryset._prefetch_related_lookups
            or queryset._iterable_class is not ModelIterable
        ):
            raise ImproperlyConfigured(f"{queryset.model.__name__}: only a plain read of model instances is compiled")
        sql, params = query.get_compiler(using).as_sql()
        if tuple(params) != (PLACEHOLDER,):
            raise ImproperlyConfigured(
                f"{queryset.model.__name__}: the read must take exactly one value, got parameters {params!r}"
            )
        return queryset.model, sql
