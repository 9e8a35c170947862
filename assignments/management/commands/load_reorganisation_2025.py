"""Record the 2025 reorganisation of Hưng Yên from assignments/data/reorg-2025 (safe to run again).

    python manage.py load_reorganisation_2025 [--dry-run]

The department mergers of 01/03/2025, the State Bank's branches, Thái Bình's departments and their merger with
Hưng Yên's on 01/07/2025, the ten district-level People's Committees abolished and the 104 commune-level ones
formed: each as an effective-dated succession with its source, through the reorganisation service. Afterwards the
task groups are derived again for the units that exist from 01/07/2025, the open years' reports follow, and a
year whose consolidating department no longer exists on its deadline passes to the one that took it over.
"""

from django.core.management import BaseCommand
from django.db import transaction

from assignments import reorg2025
from assignments.models import AgencySuccession, Directive, ReportingYear, TaskGroup
from assignments.services import assignments_sync
from assignments.signals import agencies_changed
from audit.models import Action
from audit.services import log_action


class Command(BaseCommand):
    help = "Record the 2025 reorganisation (department mergers, Thái Bình, the 104 communes) from its CSV files."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what the data says; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        specs, steps = reorg2025.plan()
        if dry_run:
            self._print_plan(specs, steps)
            return
        with transaction.atomic():
            result = reorg2025.apply()
            created = 0
            for directive in Directive.objects.filter(pk__in=TaskGroup.objects.values("directive")):
                created += assignments_sync(directive=directive, day=reorg2025.JULY).created
            self._follow_consolidating_agencies()
            agencies_changed.send(sender=AgencySuccession)
        self.stdout.write(
            f"{result.agencies_created} agencies and {result.successions_created} successions recorded, "
            f"{created} assignments created; gaps left for an administrator: {', '.join(result.gaps) or '–'}."
        )

    def _follow_consolidating_agencies(self):
        for year in ReportingYear.objects.filter(state=ReportingYear.State.OPEN).select_related("consolidating_agency"):
            agency = year.consolidating_agency.successor_on(year.deadline)
            if agency != year.consolidating_agency:
                log_action(
                    None,
                    Action.AGENCY_REORGANISED,
                    agency=agency,
                    message=f"{year}: {year.consolidating_agency} → {agency}",
                )
                year.consolidating_agency = agency
                year.save(update_fields=["consolidating_agency"])

    def _print_plan(self, specs, steps):
        self.stdout.write(f"{len(specs)} agencies to add besides the 104 communes:")
        for spec in specs:
            self.stdout.write(f"  {spec.short_name:<14} {spec.name}")
        for step in steps:
            mark = "" if step.confirmed else "  [chưa xác nhận]"
            links = "; ".join(f"{a} → {b} ({k})" for a, b, k in step.links) or step.action
            self.stdout.write(f"{step.row:>3}. {step.effective_on:%d/%m/%Y} {links}{mark}")
