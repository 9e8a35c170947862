"""`manage.py clear_cache`: after a backup is restored or rows are corrected by hand in SQL (no signal reaches the
portal), the pages show the database as it is once the cache is emptied, and nobody is logged out."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assignments.models import Task

pytestmark = pytest.mark.django_db


def test_a_task_changed_behind_the_portals_back_shows_once_the_cache_is_emptied(world, client_for, capsys):
    client = client_for(world.staff_a)
    url = reverse("reports:edit", args=[world.report_a.pk])
    task = Task.objects.get(code="3.1")
    assert task.text in client.get(url).content.decode()

    # As a restored backup would: the row changes, nothing tells the portal.
    Task.objects.filter(pk=task.pk).update(text="Văn bản nhiệm vụ trong bản sao lưu.")
    assert task.text in client.get(url).content.decode(), "the cache still answers with what it read before"

    call_command("clear_cache")
    assert "default" in capsys.readouterr().out
    page = client.get(url)
    assert page.status_code == 200, "the session is kept: nobody is logged out"
    assert "Văn bản nhiệm vụ trong bản sao lưu." in page.content.decode()
