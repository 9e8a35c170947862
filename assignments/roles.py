"""Who a user is in the portal.

Agency staff and heads are `Membership` rows (they belong to one agency). Reviewers, leaders and administrators
are Django groups holding permissions, so an administrator can grant a role in the admin and one person can hold
several. Views ask for permissions, never for group names; the names are only used to create the groups.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from portal.auth import cached_for_user

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
    # Administering the portal is not reviewing reports: that needs the reviewers' group as well.
    reviewing = [p.pk for p in _permissions([REVIEW])]
    admins.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS).exclude(pk__in=reviewing))
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


def holds_role_permission(user, perm: str) -> bool:
    """The permission granted through the user's groups or to the user directly. Unlike `user.has_perm`, being a
    superuser does not count: an administrator accepts or returns reports only when also made a reviewer."""
    if user is None or not user.is_active or user.is_anonymous:
        return False
    if not user.is_superuser:
        return user.has_perm(perm)  # the same answer, from the permission cache the request already has
    cache = getattr(user, "_role_permission_cache", None)
    if cache is None:
        rows = Permission.objects.filter(Q(group__user=user) | Q(user=user)).values_list(
            "content_type__app_label", "codename"
        )
        cache = user._role_permission_cache = {f"{app}.{code}" for app, code in rows}
    return perm in cache


def users_holding(perm: str):
    """The active users holding the permission through a group or directly (superusers only if granted it too)."""
    from django.contrib.auth import get_user_model

    app_label, codename = perm.split(".", 1)
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
            | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label),
            is_active=True,
        )
        .distinct()
    )


def role_permission_required(perm: str):
    """Like Django's permission_required(raise_exception=True), without the superuser shortcut."""
    from django.contrib.auth.decorators import user_passes_test
    from django.core.exceptions import PermissionDenied

    def check(user):
        if not user.is_authenticated:
            return False
        if holds_role_permission(user, perm):
            return True
        raise PermissionDenied

    return user_passes_test(check)


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
        return holds_role_permission(self.user, REVIEW)

    @cached_property
    def can_view_all(self) -> bool:
        return self.user.has_perm(VIEW_ALL)

    @cached_property
    def can_view_dashboard(self) -> bool:
        return self.user.has_perm(VIEW_DASHBOARD)

    @cached_property
    def can_compile(self) -> bool:
        return self.user.has_perm(COMPILE)

    @property
    def is_admin(self) -> bool:
        return self.user.is_staff

    def membership_for(self, agency_id: int):
        return next((m for m in self.memberships if m.agency_id == agency_id), None)


def roles_for(user) -> Roles:
    """The user's roles, cached on the user object for the rest of the request; the memberships come from the
    shared cache until a membership or an agency changes (portal.auth)."""
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    memberships = []
    if user.is_authenticated:
        memberships = cached_for_user(
            user,
            "memberships",
            lambda: list(user.memberships.select_related("agency").order_by("agency__position", "agency__name")),
        )
    roles = Roles(user=user, memberships=memberships)
    user._portal_roles = roles
    return roles
