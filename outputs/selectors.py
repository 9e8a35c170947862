"""Reads behind the official outputs: reports with their latest submitted version, targets, headings."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import OuterRef, Subquery

from assignments.models import Agency, Indicator, ReportingYear, TaskGroup
from outputs.models import GeneratedOutput
from reports.figures import aggregates
from reports.models import Report, ReportVersion


def _latest_version_id():
    return Subquery(ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number").values("pk")[:1])


def output_reports():
    """Reports with everything a document header needs, in two joins."""
    return Report.objects.select_related(
        "agency",
        "reporting_year__directive__implements",
        "reporting_year__consolidating_agency",
    )


def latest_version(report: Report) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def latest_version_info(report: Report) -> ReportVersion | None:
    """The latest version without its (large) content, for buttons and labels."""
    return report.versions.order_by("-number").defer("snapshot").first()


def year_reports_with_versions(reporting_year: ReportingYear) -> list[tuple[Report, ReportVersion | None]]:
    """Every report of the year in the agencies' order, each with its latest submitted version: two queries."""
    reports = list(
        Report.objects.filter(reporting_year=reporting_year)
        .select_related("agency")
        .annotate(latest_version_id=_latest_version_id())
        .order_by("agency__position", "agency__name")
    )
    versions = ReportVersion.objects.in_bulk([r.latest_version_id for r in reports if r.latest_version_id])
    return [(r, versions.get(r.latest_version_id)) for r in reports]


def indicators_of(directive) -> list[Indicator]:
    return list(
        Indicator.objects.filter(task__group__directive=directive).select_related("task", "task__group")
    )


def groups_of(directive) -> dict[int, TaskGroup]:
    return {g.number: g for g in TaskGroup.objects.filter(directive=directive).prefetch_related("tasks")}


def years_with_figures():
    """Every reporting year with its counts and consolidated text, newest first, in one query."""
    return (
        ReportingYear.objects.select_related("directive", "consolidating_agency", "consolidated_report")
        .annotate(**aggregates("expected", "submitted", "accepted", "late", through="reports__"))
        .order_by("-year")
    )


# Abbreviations that people type for the words of agency names (UBND huyện Văn Lâm, TP Hưng Yên).
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "nhnn": "ngan hang nha nuoc",
}


def folded(text: str) -> str:
    """Text compared the way people type it: without diacritics (đ as d), lower case, words only."""
    text = (text or "").replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def agencies_matching(text: str) -> list[Agency]:
    """The agencies someone means by a code (SCT, skhdt) or a name typed with or without diacritics.

    The closest kind of match wins: the code, then the whole name, then a name holding the words typed in that
    order, then a name holding all of them. Several agencies at the same level are all returned.
    """
    wanted = folded(text)
    if not wanted:
        return []
    # Ministries are addressees, never authors of a report.
    agencies = list(Agency.objects.exclude(kind=Agency.Kind.MINISTRY).order_by("position", "name"))
    code = wanted.replace(" ", "")
    names = {agency.pk: folded(agency.name) for agency in agencies}
    words = wanted.split()
    for matches in (
        lambda a: folded(a.short_name).replace(" ", "") == code,
        lambda a: names[a.pk] == wanted,
        lambda a: f" {wanted} " in f" {names[a.pk]} ",
        lambda a: all(word in names[a.pk].split() for word in words),
    ):
        found = [agency for agency in agencies if matches(agency)]
        if found:
            return found
    return []


def year_for_outputs(year: int) -> ReportingYear | None:
    """The reporting year with what its documents' header needs (directive, consolidating agency)."""
    return (
        ReportingYear.objects.select_related("directive__implements", "consolidating_agency").filter(year=year).first()
    )


def consolidated_job(pk: int):
    """A consolidated document being prepared or prepared (not an agency's report), with its year."""
    return GeneratedOutput.objects.select_related("reporting_year").filter(pk=pk, report__isnull=True).first()
