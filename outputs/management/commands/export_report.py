"""Write an official output to a file, for automation:

    python manage.py export_report --year 2025 --format pdf --output bao-cao-tong-hop-2025.pdf
    python manage.py export_report --year 2025 --format xlsx --output bao-cao-tong-hop-2025.xlsx
    python manage.py export_report --year 2025 --format pdf --agency SCT --output bao-cao-sct-2025.pdf
    python manage.py export_report --year 2025 --format docx --agency SCT --output bao-cao-sct-2025.docx
    python manage.py export_report --year 2025 --format pdf --agency "so tai chinh" --output bao-cao-stc-2025.pdf

Without --agency: the consolidated report of the year. The agency is given by its code (short name) or by its
name, with or without diacritics, in any case. The stored copy is reused when the content is unchanged.
"""

from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assignments.models import Agency, ReportingYear
from outputs.selectors import agencies_matching, latest_version, output_reports
from outputs.services import agency_pdf, consolidated_pdf_now, consolidated_xlsx
from outputs.word import agency_docx, consolidated_docx


class Command(BaseCommand):
    help = "Write the consolidated report of a year (or one agency's report) as PDF, Word or Excel to a file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Reporting year, e.g. 2025.")
        parser.add_argument("--format", choices=["pdf", "xlsx", "docx"], required=True, dest="fmt")
        parser.add_argument(
            "--agency",
            help=(
                'Code of the agency (e.g. SCT, SKHDT) or its name, diacritics optional (e.g. "so tai chinh", '
                '"ubnd huyen van lam"); without it, the consolidated report.'
            ),
        )
        parser.add_argument("--output", required=True, help="Path of the file to write.")

    def handle(self, *args, year, fmt, agency, output, **options):
        years = list(
            ReportingYear.objects.filter(year=year).select_related(
                "directive__implements", "consolidating_agency"
            )
        )
        if not years:
            known = ", ".join(
                str(y) for y in ReportingYear.objects.order_by("year").values_list("year", flat=True)
            )
            raise CommandError(
                _("There is no reporting year %(year)s. Known years: %(known)s.")
                % {"year": year, "known": known or "—"}
            )
        if len(years) > 1:
            raise CommandError(_("Several documents have a reporting year %(year)s.") % {"year": year})
        reporting_year = years[0]
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": target.parent})

        if agency:
            found = _agency(agency)
            if fmt == "xlsx":
                raise CommandError(
                    _("An agency's report is exported as PDF or Word; Excel is for the consolidated report.")
                )
            report = output_reports().filter(reporting_year=reporting_year, agency=found).first()
            if report is None:
                raise CommandError(
                    _("%(agency)s owes no report for %(year)s.") % {"agency": found.name, "year": year}
                )
            version = latest_version(report)
            if version is None:
                raise CommandError(
                    _("%(agency)s has not submitted its report for %(year)s yet.")
                    % {"agency": found.name, "year": year}
                )
            if fmt == "docx":
                return self._write(target, *agency_docx(report=report, version=version))
            result = agency_pdf(report=report, version=version)
        elif fmt == "docx":
            return self._write(target, *consolidated_docx(reporting_year=reporting_year))
        elif fmt == "pdf":
            result = consolidated_pdf_now(reporting_year=reporting_year)
        else:
            result = consolidated_xlsx(reporting_year=reporting_year)

        with result.file.open("rb") as source:
            self._write(target, source.read())

    def _write(self, target: Path, content: bytes, _filename: str = "") -> None:
        target.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(_("Written %(path)s (%(size)s bytes).") % {"path": target, "size": len(content)})
        )


def _agency(text: str) -> Agency:
    found = agencies_matching(text)
    if len(found) == 1:
        return found[0]
    if found:
        message = _(
            "Several agencies match “%(text)s”. Give the code of the one you mean (--agency CODE):"
        ) % {"text": text}
        candidates = found
    else:
        message = _(
            "No agency matches “%(text)s”. Give the code or the name of one of these agencies (--agency CODE):"
        ) % {"text": text}
        candidates = list(Agency.objects.order_by("position", "name"))
    lines = [f"  {agency.short_name:<10} {agency.name}" for agency in candidates]
    raise CommandError("\n".join([message, *lines]))
