"""Who a user is in the portal.

Agency staff and heads are `Membership` rows (they belong to one agency). Reviewers, leaders and administrators
are Django groups holding permissions, so an administrator can grant a role in the admin and one person can hold
several. Views ask for permissions, never for group names; the names are only used to create the groups.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

REVIEWERS = "Chuyên viên tổng hợp"
LEADERS = "Lãnh đạo tỉnh"
ADMINISTRATORS = "Quản trị viên"

# Permissions ("app_label.codename") that make up each role.
REVIEW = "reports.review_report"
VIEW_ALL = "reports.view_all_reports"
VIEW_DASHBOARD = "reports.view_dashboard"
MANAGE_YEARS = "assignments.manage_reportingyear"
COMPILE = "outputs.compile_consolidatedreport"

ROLE_PERMISSIONS = {
    REVIEWERS: [REVIEW, VIEW_ALL, VIEW_DASHBOARD, MANAGE_YEARS, COMPILE],
    LEADERS: [VIEW_ALL, VIEW_DASHBOARD],
}
ADMIN_APPS = ["assignments", "reports", "audit", "notifications", "outputs", "review", "auth"]


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups with their permissions; safe to run again."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(perms))
        groups[name] = group
    admins, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    admins.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    groups[ADMINISTRATORS] = admins
    return groups


def _permissions(dotted: list[str]):
    query = Q(pk__in=[])
    for item in dotted:
        app_label, codename = item.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query))
    if len(found) != len(dotted):
        missing = set(dotted) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
        raise LookupError(f"Permissions missing (run migrate first): {sorted(missing)}")
    return found


@dataclass
class Roles:
    """What one user may do, computed once per request (see `roles_for`)."""

    user: object
    memberships: list = field(default_factory=list)

    @cached_property
    def agency_ids(self) -> set[int]:
        return {m.agency_id for m in self.memberships}

    @cached_property
    def head_of_ids(self) -> set[int]:
        return {m.agency_id for m in self.memberships if m.role == "head"}

    @property
    def is_agency_user(self) -> bool:
        return bool(self.memberships)

    @cached_property
    def is_reviewer(self) -> bool:
        return self.user.has_perm(REVIEW)

    @cached_property
    def can_view_all(self) -> bool:
        return self.user.has_perm(VIEW_ALL)

    @cached_property
    def can_view_dashboard(self) -> bool:
        return self.user.has_perm(VIEW_DASHBOARD)

    @cached_property
    def can_manage_years(self) -> bool:
        return self.user.has_perm(MANAGE_YEARS)

    @cached_property
    def can_compile(self) -> bool:
        return self.user.has_perm(COMPILE)

    @cached_property
    def is_leader(self) -> bool:
        return self.can_view_all and not self.is_reviewer

    @property
    def is_admin(self) -> bool:
        return self.user.is_staff

    def membership_for(self, agency_id: int):
        return next((m for m in self.memberships if m.agency_id == agency_id), None)


def roles_for(user) -> Roles:
    """The user's roles, cached on the user object for the rest of the request."""
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    memberships = []
    if user.is_authenticated:
        memberships = list(user.memberships.select_related("agency").order_by("agency__position", "agency__name"))
    roles = Roles(user=user, memberships=memberships)
    user._portal_roles = roles
    return roles
