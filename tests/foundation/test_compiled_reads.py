"""The reads the report form makes on every visit are compiled to SQL once per process and give what the ORM gives."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models.sql.compiler import SQLCompiler

from portal.reads import CompiledRead
from reports.models import CommunicationActivity, Evidence, IndicatorValue, IssuedDocument, Report, TaskReport
from reports.selectors import activities_of, documents_of, task_answers_for_editing

pytestmark = pytest.mark.django_db


def fields_of(objects) -> list[dict]:
    return [{f.attname: getattr(o, f.attname) for f in type(o)._meta.concrete_fields} for o in objects]


def test_a_compiled_read_gives_the_rows_the_queryset_gives_in_its_order(world):
    report = world.report_a
    for position, number in ((2, "9/CV-SCT"), (1, "3/KH-SCT")):
        IssuedDocument.objects.create(
            report=report, position=position, number_symbol=number, issuer="Sở Công Thương", title="Kế hoạch",
            issued_on=datetime.date(2026, 3, position),
        )
    CommunicationActivity.objects.create(report=report, position=1, description="Hội nghị", participants=120)
    IssuedDocument.objects.create(report=world.report_b, position=1, number_symbol="1/KH-STC", issuer="Sở", title="X")

    assert fields_of(documents_of(report.pk)) == fields_of(report.issued_documents.all())
    assert [d.number_symbol for d in documents_of(report.pk)] == ["3/KH-SCT", "9/CV-SCT"]
    assert documents_of(report.pk)[0].issued_on == datetime.date(2026, 3, 1)  # a date, as the ORM gives it
    assert fields_of(activities_of(report.pk)) == fields_of(report.communication_activities.all())
    assert documents_of(Report.objects.order_by("-pk").first().pk + 1) == []


def test_the_answers_for_the_form_match_the_orm_and_leave_removed_files_out(world):
    from django.utils import timezone

    answer = world.report_a.task_reports.order_by("pk").first()
    kept = Evidence.objects.create(
        task_report=answer, file="a.pdf", original_name="a.pdf", kind="pdf", size=10, sha256="0" * 64,
        uploaded_by=world.staff_a,
    )
    Evidence.all_objects.create(
        task_report=answer, file="b.pdf", original_name="b.pdf", kind="pdf", size=10, sha256="1" * 64,
        uploaded_by=world.staff_a, removed_at=timezone.now(), removed_by=world.staff_a,
    )
    found = task_answers_for_editing(world.report_a)
    assert fields_of(a.answer for a in found) == fields_of(
        sorted(TaskReport.objects.filter(report=world.report_a), key=lambda a: (a.task.group.number, a.task.position))
    )
    values = [v for a in found for v in a.values]
    assert sorted(v.pk for v in values) == sorted(
        IndicatorValue.objects.filter(task_report__report=world.report_a).values_list("pk", flat=True)
    )
    assert [e.pk for a in found for e in a.evidence] == [kept.pk]


def test_the_sql_is_built_once_per_process(world):
    read = CompiledRead(lambda report_id: IssuedDocument.objects.filter(report_id=report_id))
    real = SQLCompiler.as_sql
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=real) as compiled:
        for report in (world.report_a, world.report_b, world.report_a):
            read(report.pk)
    assert compiled.call_count == 1


def test_a_read_with_select_related_gives_the_related_objects_without_another_query(
    world, django_assert_num_queries
):
    read = CompiledRead(lambda pk: Report.objects.select_related("agency", "reporting_year").filter(pk=pk))
    read(world.report_b.pk)  # compiled here
    expected = Report.objects.select_related("agency", "reporting_year").get(pk=world.report_a.pk)
    with django_assert_num_queries(1):
        (report,) = read(world.report_a.pk)
        assert fields_of([report]) == fields_of([expected])
        assert fields_of([report.agency]) == fields_of([expected.agency])
        assert fields_of([report.reporting_year]) == fields_of([expected.reporting_year])
        assert report.agency.name == expected.agency.name
    assert report._state.db == "default" and not report._state.adding
    assert read(Report.objects.order_by("-pk").first().pk + 1) == []
    assert read(2**63) == [] and read(-(2**63) - 1) == []  # past any key, and past what SQLite takes


def test_a_read_converts_values_as_the_orm_does(world):
    """Times come back aware (SQLite stores text), decimals as Decimal: the ORM's converters are applied."""
    from django.utils import timezone

    Report.objects.filter(pk=world.report_a.pk).update(first_submitted_at=timezone.now())
    read = CompiledRead(lambda pk: Report.objects.filter(pk=pk))
    (report,) = read(world.report_a.pk)
    assert report.first_submitted_at == Report.objects.get(pk=world.report_a.pk).first_submitted_at
    assert timezone.is_aware(report.first_submitted_at)


def test_only_a_read_of_model_instances_with_one_value_is_compiled(world):
    with pytest.raises(ImproperlyConfigured, match="read of model instances"):
        CompiledRead(lambda pk: Report.objects.filter(pk=pk).values("pk"))(world.report_a.pk)
    with pytest.raises(ImproperlyConfigured, match="read of model instances"):
        CompiledRead(lambda pk: Report.objects.prefetch_related("task_reports").filter(pk=pk))(world.report_a.pk)
    with pytest.raises(ImproperlyConfigured, match="exactly one value"):
        CompiledRead(lambda pk: Report.objects.filter(pk=pk, version__gte=2))(world.report_a.pk)


postgres_only = pytest.mark.skipif(
    "postgresql" not in __import__("django.conf").conf.settings.DATABASES["default"]["ENGINE"],
    reason="prepared reads are PostgreSQL's",
)


@postgres_only
def test_on_postgresql_a_read_is_prepared_once_per_connection(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    read = CompiledRead(lambda report_id: IssuedDocument.objects.filter(report_id=report_id))
    IssuedDocument.objects.create(report=world.report_a, position=1, number_symbol="5/KH-SCT", issuer="Sở", title="K")
    with CaptureQueriesContext(connection) as first:
        assert [d.number_symbol for d in read(world.report_a.pk)] == ["5/KH-SCT"]
    assert [q["sql"].split()[0] for q in first.captured_queries] == ["PREPARE", "EXECUTE"]
    with django_assert_num_queries(1):
        assert read(world.report_b.pk) == []


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_or_a_lost_session_prepares_the_read_again(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    read = CompiledRead(lambda report_id: Report.objects.filter(pk=report_id))
    assert read(world.report_a.pk)[0].pk == world.report_a.pk
    connection.close()  # CONN_MAX_AGE passed: the next request opens a new connection
    with CaptureQueriesContext(connection) as again:
        assert read(world.report_a.pk)[0].pk == world.report_a.pk
    assert [q["sql"].split()[0] for q in again.captured_queries] == ["PREPARE", "EXECUTE"]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a proxy resetting the server session does
    assert read(world.report_b.pk)[0].pk == world.report_b.pk


@postgres_only
def test_prepared_reads_can_be_turned_off(world, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PREPARED_READS = False
    read = CompiledRead(lambda report_id: IssuedDocument.objects.filter(report_id=report_id))
    with CaptureQueriesContext(connection) as queries:
        read(world.report_a.pk)
    assert queries.captured_queries[0]["sql"].startswith("SELECT")
