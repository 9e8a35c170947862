"""The report form reads the directive's tasks, indicators and targets from the catalogue (assignments.catalogue):
kept between requests, read again as soon as an administrator changes any of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import catalogue as catalogue_module
from assignments.catalogue import catalogue
from assignments.models import IndicatorTarget, Task
from reports.models import IndicatorValue

pytestmark = pytest.mark.django_db


def form_of(world, client):
    return client.get(reverse("reports:edit", args=[world.report_a.pk])).content.decode()


def test_the_form_reads_no_task_indicator_or_target_once_the_catalogue_is_kept(world, client_for):
    client = client_for(world.staff_a)
    form_of(world, client)
    with CaptureQueriesContext(connection) as queries:
        form_of(world, client)
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("assignments_task", "assignments_taskgroup", "assignments_indicator", "assignments_indicatortarget"):
        assert f'FROM "{table}"' not in read and f'JOIN "{table}"' not in read, table


def test_a_target_set_or_changed_shows_at_the_next_request(world, client_for):
    client = client_for(world.staff_a)
    value = IndicatorValue.objects.filter(task_report__report=world.report_a).select_related("indicator").first()
    indicator = value.indicator
    assert "1.234" not in form_of(world, client)

    target = IndicatorTarget.objects.create(indicator=indicator, year=world.year.year, value=1234)
    assert f"1.234 {indicator.unit}" in form_of(world, client)

    target.value = 5678
    target.save()
    page = form_of(world, client)
    assert f"5.678 {indicator.unit}" in page and "1.234" not in page

    target.delete()
    assert "5.678" not in form_of(world, client)


def test_a_task_corrected_shows_at_the_next_request(world, client_for):
    client = client_for(world.staff_a)
    task = Task.objects.get(code="3.1")
    assert task.text in form_of(world, client)
    task.text = "Văn bản nhiệm vụ đã được đính chính."
    task.save()
    assert "Văn bản nhiệm vụ đã được đính chính." in form_of(world, client)


def test_a_change_inside_a_transaction_is_read_again_after_the_commit(world, django_capture_on_commit_callbacks):
    before = catalogue()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        task = Task.objects.get(code="3.1")
        task.save()
    assert catalogue() is not before  # replaced at once
    read_in_between = catalogue()
    for callback in callbacks:
        callback()  # the commit replaces it again: what another request read in between is dropped
    assert catalogue() is not read_in_between


def test_each_process_keeps_its_copy_while_the_generation_stays(world, django_assert_num_queries):
    first = catalogue()
    with django_assert_num_queries(0):
        assert catalogue() is first
    catalogue_module._last = None  # another process: reads the shared cache, not the database
    with django_assert_num_queries(0):
        assert catalogue().tasks.keys() == first.tasks.keys()
