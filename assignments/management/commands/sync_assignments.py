from django.core.management import BaseCommand

from assignments.models import Directive, TaskGroup
from assignments.services import assignments_sync


class Command(BaseCommand):
    help = "Derive the assignment rows from the task groups again (after agencies were added or changed)."

    def handle(self, *args, **options):
        directives = Directive.objects.filter(pk__in=TaskGroup.objects.values("directive"))
        for directive in directives:
            result = assignments_sync(directive=directive)
            self.stdout.write(f"{directive}: {result.created} created, {result.total} in all.")
