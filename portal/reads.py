"""Reads a page makes on every visit, compiled once per process.

Turning a queryset into SQL costs Django about as much as PostgreSQL takes to answer it: the report form reads the
report with its agency and year, then its task answers, indicator values, evidence files, documents and activities
on every visit, and compiling those six queries was about a quarter of the form's time. A `CompiledRead` asks the
ORM once per process and database for the SQL, with a placeholder for the one value that changes (the report), and
for what the ORM would do with each row: the columns of each model, the database's converters, and where the
objects of select_related go. Each visit then runs that SQL and builds the instances the same way the queryset's
own iterator does (Model.from_db, the ORM's related populators), without compiling anything again.

On PostgreSQL each read is also prepared on the connection (PREPARE, then EXECUTE at each visit): the server then
skips parsing and planning it, which halved the database's CPU time for the form's six reads (0.9 ms to 0.4 ms a
visit). A prepared statement lives as long as the connection's session, whatever the transactions do; a new
connection prepares its reads again. A proxy that shares server sessions between connections (PgBouncer in
transaction mode) cannot keep them: DATABASE_PREPARED_READS=0 turns it off.

The SQL still comes from the ORM, so a field added to the model, a manager's filter or the model's ordering is in
it. A read of model instances qualifies, with select_related but no prefetch, annotation or extra, and exactly one
parameter: anything else is refused when the read is first compiled.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators

# The value the SQL is compiled with; it must be the query's only parameter.
PLACEHOLDER = -739_000_001
# Names of the prepared statements, one per read, unique in the process.
_numbers = itertools.count(1)
# What PostgreSQL answers for a prepared statement the session no longer has (a proxy reset it) or whose plan no
# longer fits the table: prepare it again and retry, outside a transaction.
_PREPARED_LOST = {"26000", "0A000"}


@dataclass(frozen=True)
class _Plan:
    """What the ORM's iterator works out before the first row, kept: the SQL and how a row becomes objects."""

    sql: str
    name: str | None  # the prepared statement's name on PostgreSQL; None where reads are not prepared
    model: type
    start: int  # the main model's columns are row[start:end]
    end: int
    init_list: list[str]  # their attribute names, in that order
    converters: list[tuple[int, tuple[list, object]]]  # (column, (converters, expression)), as the ORM applies them
    populators: list  # django.db.models.query.RelatedPopulator, one per select_related object


class CompiledRead:
    """`CompiledRead(lambda report_id: Model.objects.filter(report_id=report_id))`, then `read(report.pk)` gives
    the list the queryset would give."""

    def __init__(self, build: Callable[[int], QuerySet]):
        self.build = build
        self._plans: dict[str, _Plan] = {}

    def __call__(self, value: int, *, using: str = DEFAULT_DB_ALIAS) -> list:
        if not -(2**63) <= value < 2**63:
            # No row has a key past a 64-bit integer (the ORM's lookups answer so too); SQLite cannot even take it.
            return []
        plan = self._plans.get(using)
        if plan is None:
            plan = self._plans[using] = self._compile(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            if plan.name is None:
                cursor.execute(plan.sql, [value])
            else:
                self._execute_prepared(connection, cursor, plan, value)
            rows = cursor.fetchall()
        model, start, end, init_list = plan.model, plan.start, plan.end, plan.init_list
        objects = []
        for row in rows:
            if plan.converters:
                row = list(row)
                for position, (functions, expression) in plan.converters:
                    cell = row[position]
                    for convert in functions:
                        cell = convert(cell, expression, connection)
                    row[position] = cell
            instance = model.from_db(using, init_list, row[start:end])
            for populator in plan.populators:
                populator.populate(row, instance)
            objects.append(instance)
        return objects

    @staticmethod
    def _execute_prepared(connection, cursor, plan: _Plan, value) -> None:
        # The statements prepared in the session of the connection's current database connection: a new one (after
        # CONN_MAX_AGE, or a broken one replaced) starts with none.
        session = getattr(connection, "_portal_prepared_reads", None)
        if session is None or session[0] is not connection.connection:
            session = connection._portal_prepared_reads = (connection.connection, set())
        prepared = session[1]
        for attempt in (1, 2):
            if plan.name not in prepared:
                cursor.execute(f"PREPARE {plan.name} AS {plan.sql.replace('%s', '$1')}")
                prepared.add(plan.name)
            try:
                cursor.execute(f"EXECUTE {plan.name} (%s)", [value])
                return
            except DatabaseError as error:
                code = getattr(error.__cause__, "pgcode", None)
                if attempt == 2 or code not in _PREPARED_LOST or connection.in_atomic_block:
                    raise
                prepared.discard(plan.name)
                if code == "0A000":  # the session still has it, with a plan that no longer fits
                    cursor.execute(f"DEALLOCATE {plan.name}")

    def _compile(self, using: str) -> _Plan:
        queryset = self.build(PLACEHOLDER).using(using)
        query = queryset.query
        name = queryset.model.__name__
        if (
            query.annotations
            or query.extra
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
            or queryset._iterable_class is not ModelIterable
        ):
            raise ImproperlyConfigured(f"{name}: only a read of model instances (with select_related) is compiled")
        compiler = query.get_compiler(using)
        # as_sql() also works out compiler.select and klass_info, which the ORM's iterator reads after running it.
        sql, params = compiler.as_sql()
        if tuple(params) != (PLACEHOLDER,):
            raise ImproperlyConfigured(f"{name}: the read must take exactly one value, got parameters {params!r}")
        select, klass_info = compiler.select, compiler.klass_info
        columns = [column[0] for column in select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ImproperlyConfigured(f"{name}: a composite primary key is not compiled")
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        prepare = (
            connections[using].vendor == "postgresql" and getattr(settings, "PREPARED_READS", True) and "%%" not in sql
        )
        return _Plan(
            sql=sql,
            name=f"portal_read_{next(_numbers)}" if prepare else None,
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            converters=list(compiler.get_converters(columns).items()),
            populators=get_related_populators(klass_info, select, using),
        )
