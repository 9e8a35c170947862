"""Measure the server time and the size of the busiest pages at 30, 150 and 3,000 agencies, and the documents
against the bare libraries.

    python manage.py benchmark_pages [--sizes 30,150,3000] [--repeat 9]

Each size is built through the services (agencies, heads, reports written, submitted and accepted) inside one
transaction that is rolled back afterwards: the database is left as it was. Pages are requested in-process
through Django's test client, as the leader, the reviewer and an agency head open them; the time is the
median of repeated requests (the first one, which fills the dashboard's cache, is shown apart).
"""

from __future__ import annotations

import io
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from assignments.models import Membership
from assignments.roles import LEADERS, REVIEWERS, ensure_role_groups
from outputs.documents import consolidated_document
from outputs.management.commands.benchmark_outputs import BENCHMARK_YEAR, Rollback
from outputs.management.commands.benchmark_outputs import Command as OutputsBenchmark
from outputs.pdf import render_pdf
from outputs.xlsx import consolidated_workbook
from portal import cache as dashboard_cache
from reports.models import Report

TARGET_MS = {150: 25, 3000: 150}


def bare_workbook(document) -> bytes:
    """openpyxl writing the same rows with no styles at all (`ws.append`): the floor the portal's workbook is
    measured against."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append([document.summary, document.year])
    for group in document.groups:
        ws = wb.create_sheet(f"Group {group.number}")
        number = 0
        for task in group.tasks:
            for entry in task.entries:
                number += 1
                ws.append(
                    [number, task.code, task.text, entry.agency, str(entry.status), "\n".join(entry.results),
                     "\n".join(entry.difficulties), "\n".join(entry.proposals)]
                )
    ws = wb.create_sheet("Indicators")
    for number, total in enumerate(document.totals, start=1):
        ws.append([number, total.task_code, total.name, total.unit, total.reporting, total.raw_total, total.raw_target])
    ws = wb.create_sheet("Values")
    for group in document.groups:
        for task in group.tasks:
            for entry in task.entries:
                for ind in entry.indicators:
                    ws.append([task.code, ind.name, ind.unit, entry.agency, ind.number, ind.note])
    ws = wb.create_sheet("Timeliness")
    for number, row in enumerate(document.timeliness, start=1):
        ws.append([number, row.agency, str(row.state), row.first_submitted_date, row.days_late, str(row.timeliness)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bare_pdf(document) -> bytes:
    """WeasyPrint on the very HTML the portal prints, with nothing of the portal's around it."""
    from django.conf import settings
    from weasyprint import HTML

    from outputs.pdf import document_html

    return HTML(string=document_html(document), base_url=settings.BASE_DIR.as_uri() + "/").write_pdf()


def timed(function, *args, runs: int = 3) -> tuple[object, float, float]:
    """(result, median seconds of `runs` calls, 0): one call first warms up, since whichever of two writers runs
    first would otherwise also pay for loading the library's code."""
    function(*args)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - started)
    return result, statistics.median(times), 0.0


def peak_memory_mb(function, *args) -> tuple[object, float, float]:
    """(result, seconds, peak traced memory in MB) of one call."""
    import tracemalloc

    tracemalloc.start()
    started = time.perf_counter()
    result = function(*args)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 1e6


class Command(BaseCommand):
    help = "Time the dashboard, the review board, the consolidated page and the report form at several sizes."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="30,150,3000", help="Numbers of agencies (default 30,150,3000).")
        parser.add_argument("--repeat", type=int, default=9, help="Requests per page (median taken).")
        parser.add_argument("--profile", default="", help="Print a cProfile of this page (e.g. 'Report form').")
        parser.add_argument("--no-documents", action="store_true", help="Skip the workbook and PDF comparison.")

    def handle(self, *args, sizes, repeat, no_documents, profile, **options):
        self.profile = profile
        rows, documents = [], []
        for size in [int(s) for s in sizes.split(",") if s.strip()]:
            try:
                with transaction.atomic():
                    rows += self._pages(size, repeat)
                    if not no_documents and size in (150, 3000):
                        documents += self._documents(size)
                    raise Rollback
            except Rollback:
                pass
            dashboard_cache.bump()
        self._print(rows, documents)
        self.stdout.write("Everything created for the benchmark was rolled back.")

    def _pages(self, size: int, repeat: int) -> list[tuple]:
        started = time.perf_counter()
        builder = OutputsBenchmark(stdout=io.StringIO())
        year = builder._province(size, drafts=1)
        self.stdout.write(f"{size} agencies prepared in {time.perf_counter() - started:.0f} s")
        User = get_user_model()
        groups = ensure_role_groups()
        leader = User.objects.create_user("benchmark-leader", password=None)
        leader.groups.add(groups[LEADERS])
        reviewer = User.objects.get(username="benchmark-reviewer")
        reviewer.groups.add(groups[REVIEWERS])
        draft = Report.objects.filter(reporting_year=year, state=Report.State.DRAFT).select_related("agency").first()
        head = Membership.objects.filter(agency=draft.agency, role=Membership.Role.HEAD).first().user
        pages = [
            ("Dashboard", leader, reverse("dashboards:index") + f"?year={BENCHMARK_YEAR}"),
            ("Review board", reviewer, reverse("review:board", args=[BENCHMARK_YEAR])),
            ("Consolidated page", reviewer, reverse("outputs:consolidated", args=[BENCHMARK_YEAR])),
            ("Report form", head, reverse("reports:edit", args=[draft.pk])),
        ]
        rows = []
        with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False):
            for label, user, url in pages:
                client = Client()
                client.force_login(user)
                times, size_bytes, queries = [], 0, 0
                for _ in range(repeat + 1):
                    connection.queries_log.clear()
                    with CaptureQueriesContext(connection) as captured:
                        t = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - t) * 1000)
                    assert response.status_code == 200, (label, response.status_code)
                    size_bytes, queries = len(response.content), len(captured)
                rows.append((label, size, times[0], statistics.median(times[1:]), size_bytes, queries))
                if label == self.profile:
                    import cProfile
                    import pstats

                    profiler = cProfile.Profile()
                    profiler.runcall(client.get, url)
                    report = io.StringIO()
                    pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(60)
                    self.stdout.write(report.getvalue())
        cache.clear()
        return rows

    def _documents(self, size: int) -> list[tuple]:
        year = Report.objects.filter(reporting_year__year=BENCHMARK_YEAR).first().reporting_year
        document = consolidated_document(year)
        # Timed without tracing (tracing memory slows Python down), then traced once for the peak.
        workbook, workbook_s, _mb = timed(consolidated_workbook, document)
        bare, bare_s, _mb = timed(bare_workbook, document)
        _wb, _s, workbook_mb = peak_memory_mb(consolidated_workbook, document)
        _wb, _s, bare_mb = peak_memory_mb(bare_workbook, document)
        out = [
            ("Workbook", size, workbook_s, bare_s, f"{len(workbook) // 1024} KB, peak {workbook_mb:.0f} MB "
             f"(bare {len(bare) // 1024} KB, {bare_mb:.0f} MB)")
        ]
        if size <= 150:
            t = time.perf_counter()
            content, pages = render_pdf(document)
            pdf_s = time.perf_counter() - t
            t = time.perf_counter()
            bare_pdf(document)
            out.append(("PDF", size, pdf_s, time.perf_counter() - t, f"{pages} pages, {len(content) // 1024} KB"))
        return out

    def _print(self, rows, documents) -> None:
        w = self.stdout.write
        w("")
        w("| Page | Agencies | First request | Median | Target | HTML | Queries |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for label, size, first, median, size_bytes, queries in rows:
            target = f"≤ {TARGET_MS[size]} ms" if size in TARGET_MS else ""
            w(f"| {label} | {size:,} | {first:.0f} ms | {median:.1f} ms | {target} | {size_bytes / 1024:,.0f} KB | {queries} |")
        if documents:
            w("")
            w("| Document | Agencies | Portal | Bare library | Ratio | Size |")
            w("|---|---:|---:|---:|---:|---|")
            for label, size, portal_s, bare_s, detail in documents:
                w(f"| {label} | {size:,} | {portal_s:.2f} s | {bare_s:.2f} s | {portal_s / bare_s:.2f}× | {detail} |")
        w("")
