"""The people and the open year of the multi-server test, written to its own database by a separate process."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from assignments.models import Agency, Membership
from assignments.roles import LEADERS, REVIEWERS, ensure_role_groups
from reports.years import reporting_year_create
from tests.conftest import load_letter

PASSWORD = "HungYen@2026"


def main() -> None:
    letter = load_letter()
    groups = ensure_role_groups()
    users = get_user_model().objects
    agency = Agency.objects.get(short_name="SCT")
    staff = users.create_user("staff_a", password=PASSWORD, first_name="Nguyễn Thị", last_name="Lan")
    head = users.create_user("head_a", password=PASSWORD, first_name="Trần Văn", last_name="Minh")
    Membership.objects.create(user=staff, agency=agency, role=Membership.Role.STAFF)
    Membership.objects.create(user=head, agency=agency, role=Membership.Role.HEAD, position_title="Giám đốc")
    reviewer = users.create_user("reviewer", password=PASSWORD)
    reviewer.groups.add(groups[REVIEWERS])
    leader = users.create_user("leader", password=PASSWORD)
    leader.groups.add(groups[LEADERS])
    admin = users.create_superuser("admin", password=PASSWORD)
    today = timezone.localdate()
    reporting_year_create(directive=letter, year=today.year, deadline=today + datetime.timedelta(days=7), actor=admin)
