"""The province of the rush benchmark (benchmark_rush), built through the services in its own database.

    python manage.py benchmark_rush_data HEADS PASSWORD [--check]

Without --check: HEADS agencies with a report to write, a head each (rush-head-1 … rush-head-HEADS), one more
head with a draft (rush-head-draft), a leader and a reviewer. With --check: counts the submissions that are in
the database with their version, their audit entry and the reviewer's notice, as "N of HEADS".
"""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import BaseCommand, CommandError

from assignments.models import Membership
from assignments.roles import LEADERS, REVIEWERS, ensure_role_groups
from audit.models import Action, AuditEntry
from notifications.models import Notification
from outputs.management.commands.benchmark_outputs import Command as OutputsBenchmark
from reports.models import Report, ReportVersion


class Command(BaseCommand):
    help = "Build (or check) the province of the rush benchmark."

    def add_arguments(self, parser):
        parser.add_argument("heads", type=int)
        parser.add_argument("password")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, heads, password, check, **options):
        if check:
            return self._check(heads)
        User = get_user_model()
        OutputsBenchmark(stdout=io.StringIO())._province(heads + 1, drafts=heads + 1)
        hashed = make_password(password)  # one Argon2id hash for every account: the set-up is not what is timed
        memberships = list(
            Membership.objects.filter(role=Membership.Role.HEAD).select_related("user").order_by("agency__position")
        )
        if len(memberships) < heads + 1:
            raise CommandError(f"only {len(memberships)} heads were made")
        for n, membership in enumerate(memberships[: heads + 1], start=1):
            user = membership.user
            user.username = "rush-head-draft" if n == heads + 1 else f"rush-head-{n}"
            user.password = hashed
            user.save(update_fields=["username", "password"])
        groups = ensure_role_groups()
        leader = User.objects.create(username="rush-leader", password=hashed)
        leader.groups.add(groups[LEADERS])
        reviewer = User.objects.get(username="benchmark-reviewer")
        reviewer.username, reviewer.password = "rush-reviewer", hashed
        reviewer.save(update_fields=["username", "password"])
        reviewer.groups.add(groups[REVIEWERS])

    def _check(self, heads: int) -> str:
        ok = 0
        reviewer = get_user_model().objects.get(username="rush-reviewer")
        for n in range(1, heads + 1):
            membership = Membership.objects.get(user__username=f"rush-head-{n}")
            report = Report.objects.get(agency=membership.agency)
            if (
                report.state == Report.State.SUBMITTED
                and ReportVersion.objects.filter(report=report).exists()
                and AuditEntry.objects.filter(report=report, action=Action.REPORT_SUBMITTED).exists()
                and Notification.objects.filter(recipient=reviewer, title__contains=report.agency.name).exists()
            ):
                ok += 1
        self.stdout.write(f"{ok} of {heads} submissions with version, audit entry and notice")
