"""Comparing two versions stays fast whatever an agency types, at the largest size a field accepts."""

import time

import pytest
from django.urls import reverse

from reports.forms.fields import TEXT_MAX
from reports.models import Report
from reports.services import report_return, report_submit
from reports.snapshots import inline_diff
from reports.worddiff import word_opcodes
from tests.conftest import fill_report

pytestmark = pytest.mark.django_db

BEFORE = ("x " * (TEXT_MAX // 2)).strip()
AFTER = ("x y " * (TEXT_MAX // 4)).strip()


def test_hostile_repetitive_text_of_the_largest_size_is_compared_within_a_second():
    assert len(BEFORE) < TEXT_MAX and len(AFTER) < TEXT_MAX
    for old, new in ((BEFORE, AFTER), (AFTER, BEFORE), ("x " * 1000, "x y " * 500), (BEFORE[:4000], AFTER[:4000])):
        started = time.perf_counter()
        html = inline_diff(old, new)
        assert time.perf_counter() - started < 1
        assert "x" in html


def test_texts_too_long_to_compare_are_shown_side_by_side_with_a_notice():
    html = inline_diff(BEFORE, AFTER)
    assert "Quá dài để so sánh từng từ; hiển thị hai phiên bản cạnh nhau." in html
    assert f"<del class=\"d-block\">{BEFORE}</del>" in html and f"<ins class=\"d-block\">{AFTER}</ins>" in html


def test_ordinary_edits_are_still_marked_word_by_word():
    old = "Sở đã tổ chức 3 hội nghị tập huấn về tăng trưởng xanh cho cán bộ."
    new = "Sở đã tổ chức 5 hội nghị tập huấn về tăng trưởng xanh cho cán bộ và doanh nghiệp."
    html = str(inline_diff(old, new))
    assert "<del>3</del> <ins>5</ins>" in html
    assert "<del>bộ.</del> <ins>bộ và doanh nghiệp.</ins>" in html


def test_the_word_alignment_rebuilds_both_texts_exactly():
    import random

    rng = random.Random(7)
    for _ in range(500):
        a = [rng.choice("abcdx") for _ in range(rng.randint(0, 40))]
        b = [rng.choice("abcdy") for _ in range(rng.randint(0, 40))]
        rebuilt_a, rebuilt_b = [], []
        for tag, i1, i2, j1, j2 in word_opcodes(a, b):
            if tag == "equal":
                assert a[i1:i2] == b[j1:j2]
            rebuilt_a += a[i1:i2]
            rebuilt_b += b[j1:j2]
        assert (rebuilt_a, rebuilt_b) == (a, b)


def _every_field(report, text):
    report.task_reports.update(results=text, difficulties=text, proposals=text)


def test_history_comparison_and_review_pages_open_within_a_second_on_hostile_versions(world, client_for):
    fill_report(world.report_a)
    _every_field(world.report_a, BEFORE)
    report_submit(report=world.report_a, actor=world.head_a)
    report_return(report=world.report_a, actor=world.reviewer, reason="Bổ sung.")
    report = Report.objects.get(pk=world.report_a.pk)
    _every_field(report, AFTER)
    report_submit(report=report, actor=world.head_a)
    pages = [
        (world.staff_a, reverse("reports:history", kwargs={"pk": report.pk})),
        (world.staff_a, reverse("reports:compare", kwargs={"pk": report.pk}) + "?a=1&b=2"),
        (world.reviewer, reverse("review:report", kwargs={"pk": report.pk})),
    ]
    for user, url in pages:
        client = client_for(user)
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, url
        assert elapsed < 1, (url, elapsed)
