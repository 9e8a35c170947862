"""The directive as data: documents, task groups, tasks, agencies, who carries what, reporting years, members."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class Directive(models.Model):
    """A legal document: the Prime Minister's directive, or the province's letter that implements it."""

    class Kind(models.TextChoices):
        DIRECTIVE = "directive", _("Directive")
        OFFICIAL_LETTER = "official_letter", _("Official letter")
        PLAN = "plan", _("Plan")
        DECISION = "decision", _("Decision")

    kind = models.CharField(_("kind of document"), max_length=20, choices=Kind.choices)
    issuer = models.CharField(_("issuing authority"), max_length=255)
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("Leave empty while the number is not known.")
    )
    symbol = models.CharField(_("symbol"), max_length=50, blank=True, help_text=_("For example CT-TTg."))
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    title = models.TextField(_("title (summary)"), blank=True)
    implements = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementing_documents",
    )
    signed_by = models.CharField(_("signed by"), max_length=255, blank=True)
    signature_title = models.CharField(
        _("signature block"), max_length=255, blank=True, help_text=_("One line per line of the block.")
    )
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One recipient per line."))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["issued_on", "pk"]
        constraints = [
            # Numbers repeat: there is an older, unrelated Directive 44/CT-TTg from 2019. A number is unique only
            # for one issuer, symbol and year. Documents whose number is not yet known are not constrained.
            models.UniqueConstraint(
                F("issuer"),
                F("number"),
                F("symbol"),
                ExtractYear("issued_on"),
                condition=~Q(number=""),
                name="assignments_directive_unique_number_issuer_year",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def number_symbol(self) -> str:
        if not self.number:
            return ""
        return f"{self.number}/{self.symbol}" if self.symbol else self.number

    @property
    def reference(self) -> str:
        """How Vietnamese documents cite each other: "Chỉ thị số 44/CT-TTg ngày 09/12/2024 của Thủ tướng Chính phủ"."""
        parts = [str(self.get_kind_display())]
        if self.number_symbol:
            parts.append(_("No. %(number)s") % {"number": self.number_symbol})
        if self.issued_on:
            parts.append(_("dated %(date)s") % {"date": date_format(self.issued_on, "d/m/Y")})
        parts.append(_("of %(issuer)s") % {"issuer": self.issuer})
        if not self.number_symbol or not self.issued_on:
            parts.append(str(_("(number and date not yet recorded)")))
        return " ".join(parts)


class Agency(models.Model):
    """A provincial department, board or sector, a district-level People's Committee, a bank branch.

    Agencies are never deleted: a reorganisation ends their validity and links them to their successors, so
    that the reports they made stay attributed to them.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Provincial department")
        BOARD = "board", _("Provincial board or sector")
        DISTRICT = "district", _("District-level People's Committee")
        BANK = "bank", _("Bank branch")
        COMMUNE = "commune", _("Commune People's Committee")
        WARD = "ward", _("Ward People's Committee")
        MINISTRY = "ministry", _("Ministry")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(
        _("short name"), max_length=30, unique=True, help_text=_("Also the symbol in report numbers: BC-SCT.")
    )
    document_symbol = models.CharField(
        _("symbol on documents"),
        max_length=30,
        blank=True,
        help_text=_("As in Số: …/BC-SCT; People's Committees write UBND. Empty: the short name."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent_body = models.CharField(
        _("superior body"),
        max_length=255,
        blank=True,
        default="UBND TỈNH HƯNG YÊN",
        help_text=_("The line above the agency's name in a document header; empty for People's Committees."),
    )
    head_title = models.CharField(
        _("title of the head"), max_length=100, help_text=_("For example Giám đốc, Chủ tịch, Chánh Thanh tra.")
    )
    collective_body = models.BooleanField(
        _("collective body"),
        default=False,
        help_text=_("People's Committees sign on behalf of the committee (TM. ỦY BAN NHÂN DÂN)."),
    )
    email = models.EmailField(
        _("official e-mail"),
        blank=True,
        help_text=_("The agency's official mailbox (văn thư); it receives the reminders too, with the agency's users."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day of existence."))
    successors = models.ManyToManyField(
        "self",
        through="AgencySuccession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        verbose_name=_("successors"),
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    former_district = models.CharField(
        _("former district"),
        max_length=255,
        blank=True,
        help_text=_("For a commune or ward formed on 01/07/2025: the district-level unit(s) its territory came from."),
    )
    formed_from = models.TextField(
        _("formed from"), blank=True, help_text=_("The units merged to form this one, as the resolution lists them.")
    )
    source = models.TextField(_("source"), blank=True, help_text=_("Where the record of this agency comes from."))
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unticked while the decision that established the agency has not been found."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="assignments_agency_valid_period",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def symbol(self) -> str:
        return self.document_symbol or self.short_name

    @property
    def kind_group(self) -> str:
        """The group of units a civil servant thinks in (`AgencyGroup`): Sở, ban, ngành; xã; phường; …"""
        return kind_group_of(self.kind)

    @property
    def former_districts(self) -> list[str]:
        """The district-level units the commune or ward was formed from (several, separated by ";")."""
        return [d.strip() for d in self.former_district.split(";") if d.strip()]

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def successor_on(self, day: datetime.date) -> "Agency":
        """The agency that carries this one's functions on `day`: followed through mergers and renamings that
        took effect by then (Sở Kế hoạch và Đầu tư → Sở Tài chính on 01/03/2025 → the merged province's Sở Tài
        chính on 01/07/2025). The agency itself when nothing took its place."""
        # One query: the mergers and renamings recorded by the day are few (a province's worth at most).
        links = {
            link.predecessor_id: link
            for link in AgencySuccession.objects.filter(
                effective_on__lte=day,
                kind__in=[AgencySuccession.Kind.MERGED_INTO, AgencySuccession.Kind.RENAMED_TO],
            )
            .select_related("successor")
            .order_by("effective_on", "pk")
        }
        agency, seen = self, {self.pk}
        while agency.pk in links and links[agency.pk].successor_id not in seen:
            agency = links[agency.pk].successor
            seen.add(agency.pk)
        return agency


class AgencyGroup(models.TextChoices):
    """The kinds of agency as a civil servant groups them after the 2025 reorganisation, in the order they are
    listed: the provincial departments, boards and sectors, then the communes and the wards."""

    PROVINCIAL = "provincial", _("Provincial departments, boards and sectors")
    DISTRICT = "district", _("District-level People's Committees")
    COMMUNE = "commune", _("Communes")
    WARD = "ward", _("Wards")
    MINISTRY = "ministry", _("Ministries")


AGENCY_GROUP_KINDS = {
    AgencyGroup.PROVINCIAL: (Agency.Kind.DEPARTMENT, Agency.Kind.BOARD, Agency.Kind.BANK, Agency.Kind.OTHER),
    AgencyGroup.DISTRICT: (Agency.Kind.DISTRICT,),
    AgencyGroup.COMMUNE: (Agency.Kind.COMMUNE,),
    AgencyGroup.WARD: (Agency.Kind.WARD,),
    AgencyGroup.MINISTRY: (Agency.Kind.MINISTRY,),
}
_GROUP_OF_KIND = {kind: group for group, kinds in AGENCY_GROUP_KINDS.items() for kind in kinds}
AGENCY_GROUP_ORDER = {group: i for i, group in enumerate(AgencyGroup)}


def kind_group_of(kind: str) -> str:
    return _GROUP_OF_KIND.get(kind, AgencyGroup.PROVINCIAL)


def kinds_of(kind_or_group: str) -> tuple[str, ...]:
    """The kinds of agency a filter value stands for: a group of kinds (`AgencyGroup`) or one kind."""
    if kind_or_group in AGENCY_GROUP_KINDS:
        return tuple(str(k) for k in AGENCY_GROUP_KINDS[kind_or_group])
    return (kind_or_group,) if kind_or_group in Agency.Kind.values else ()


def kind_filter_choices() -> list[tuple[str, str]]:
    """The choices of a "kind of agency" filter: the groups first (Sở, ban, ngành; Xã; Phường), then each other kind."""
    groups = (AgencyGroup.PROVINCIAL, AgencyGroup.COMMUNE, AgencyGroup.WARD)
    return [(str(g), AgencyGroup(g).label) for g in groups] + [
        (k, label) for k, label in Agency.Kind.choices if k not in groups
    ]


def former_district_q(district: str, field: str = "former_district") -> Q:
    """Agencies formed (wholly or partly) from this former district: `former_district` lists them separated by ";"."""
    return (
        Q(**{field: district})
        | Q(**{f"{field}__startswith": f"{district};"})
        | Q(**{f"{field}__endswith": f"; {district}"})
        | Q(**{f"{field}__contains": f"; {district};"})
    )


class AgencySuccession(models.Model):
    """One step of a reorganisation: this agency was merged into, renamed to, or split into that one."""

    class Kind(models.TextChoices):
        MERGED_INTO = "merged_into", _("merged into")
        RENAMED_TO = "renamed_to", _("renamed to")
        SPLIT_INTO = "split_into", _("functions transferred to")

    predecessor = models.ForeignKey(
        Agency, verbose_name=_("former agency"), on_delete=models.PROTECT, related_name="succession_links"
    )
    successor = models.ForeignKey(
        Agency, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    confirmed = models.BooleanField(
        _("confirmed by a provincial decision"),
        default=False,
        help_text=_("Leave unticked while the decision of the province has not been found."),
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("agency succession")
        verbose_name_plural = _("agency successions")
        ordering = ["effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="assignments_succession_unique_pair"),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="assignments_succession_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class TaskGroup(models.Model):
    """One numbered part of the letter, with its heading naming who carries it."""

    class Scope(models.TextChoices):
        NAMED_AGENCY = "named_agency", _("The agency named in the heading")
        ALL_AGENCIES = "all_agencies", _("Every provincial agency and district-level People's Committee")

    directive = models.ForeignKey(
        Directive, verbose_name=_("document"), on_delete=models.PROTECT, related_name="task_groups"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.TextField(_("heading in the document"))
    scope = models.CharField(_("carried by"), max_length=20, choices=Scope.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("named agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="named_task_groups",
    )

    class Meta:
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")
        ordering = ["directive", "number"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "number"], name="assignments_taskgroup_unique_number"),
            models.CheckConstraint(
                condition=Q(scope="all_agencies") | Q(agency__isnull=False),
                name="assignments_taskgroup_named_scope_has_agency",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.heading}"


class Task(models.Model):
    group = models.ForeignKey(TaskGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="tasks")
    code = models.CharField(_("code"), max_length=10, help_text=_("Group and position: 1.1, 9.4."))
    position = models.PositiveSmallIntegerField(_("position in the group"))
    text = models.TextField(_("text of the task"))
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency (chủ trì)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("coordinating agencies (phối hợp)"), blank=True, related_name="coordinated_tasks"
    )
    coordination_note = models.CharField(
        _("coordination as worded in the document"), max_length=255, blank=True
    )
    note = models.TextField(_("note"), blank=True, help_text=_("For example a typing error corrected."))

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["group__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="assignments_task_unique_code"),
            models.UniqueConstraint(fields=["group", "position"], name="assignments_task_unique_position"),
        ]

    def __str__(self):
        return f"{self.code}. {self.text[:80]}"


class Indicator(models.Model):
    """A quantitative measure an agency reports for one task (number of projects, outstanding credit...)."""

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum over agencies")
        NONE = "none", _("Per agency only")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    aggregation = models.CharField(_("provincial total"), max_length=10, choices=Aggregation.choices, default="sum")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["task__group__number", "task__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "name"], name="assignments_indicator_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="assignments_target_unique_year"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


class AssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def active_on(self, day: datetime.date):
        return self.filter(Q(started_on__isnull=True) | Q(started_on__lte=day)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class Assignment(models.Model):
    """Which agency carries which task. Derived from the groups by assignments.services, never in a view."""

    class Source(models.TextChoices):
        NAMED = "named", _("Named in the group heading")
        ALL_AGENCIES = "all_agencies", _("Task for every agency")
        INHERITED = "inherited", _("Passed on from a former agency")
        MANUAL = "manual", _("Assigned by an administrator")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="assignments")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    inherited_from = models.ForeignKey(
        Agency,
        verbose_name=_("passed on from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passed_on_assignments",
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task__group__number", "task__position", "agency__position", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="assignments_assignment_unique_task_agency"),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="assignments_assignment_valid_period",
            ),
        ]

    def __str__(self):
        return f"{self.task.code} – {self.agency}"


def default_period_start(year: int) -> datetime.date:
    # Decree 09/2019/NĐ-CP: the annual reporting window runs from 15/12 of the previous year to 14/12.
    return datetime.date(year - 1, 12, 15)


def default_period_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 14)


def default_deadline(year: int) -> datetime.date:
    # The letter: "định kỳ hàng năm (trước ngày 02/12) báo cáo UBND tỉnh".
    return datetime.date(year, 12, 2)


class ReportingYear(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    directive = models.ForeignKey(
        Directive, verbose_name=_("document"), on_delete=models.PROTECT, related_name="reporting_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("data from"), blank=True, help_text=_("Default: 15/12 of the previous year."))
    period_end = models.DateField(_("data until"), blank=True, help_text=_("Default: 14/12."))
    deadline = models.DateField(_("deadline"), blank=True, help_text=_("Default: 02/12."))
    consolidating_agency = models.ForeignKey(
        Agency,
        verbose_name=_("consolidating agency"),
        on_delete=models.PROTECT,
        related_name="consolidated_years",
        blank=True,
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting year")
        verbose_name_plural = _("reporting years")
        ordering = ["-year"]
        permissions = [("manage_reportingyear", _("Can open, close, reopen and archive reporting years"))]
        constraints = [
            models.UniqueConstraint(fields=["directive", "year"], name="assignments_reportingyear_unique_year"),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="assignments_reportingyear_period_order"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="assignments_reportingyear_sane_year"
            ),
        ]

    def __str__(self):
        return _("Reporting year %(year)s") % {"year": self.year}

    def save(self, *args, **kwargs):
        if self.year:
            self.period_start = self.period_start or default_period_start(self.year)
            self.period_end = self.period_end or default_period_end(self.year)
            self.deadline = self.deadline or default_deadline(self.year)
        if not self.consolidating_agency_id:
            # The department named in the settings, or the one that took over its functions by the deadline.
            default = Agency.objects.get(short_name=settings.DEFAULT_CONSOLIDATING_AGENCY)
            self.consolidating_agency = default.successor_on(self.deadline)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        """Agencies write and submit; reminders go out."""
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        """Agencies no longer submit (except a reopened report); reviewers still review."""
        return self.state == self.State.CLOSED

    @property
    def is_archived(self) -> bool:
        """Read only for everyone."""
        return self.state == self.State.ARCHIVED

    def days_to_deadline(self, today: datetime.date | None = None) -> int:
        """Positive: days left; zero: today is the deadline; negative: days overdue."""
        return (self.deadline - (today or timezone.localdate())).days


class Membership(models.Model):
    """A user working for an agency: staff draft the report, the head (or a deputy) submits and signs it."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        HEAD = "head", _("Head")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    position_title = models.CharField(
        _("position"), max_length=100, blank=True, help_text=_("As printed above the signature: Phó Giám đốc.")
    )
    is_deputy = models.BooleanField(
        _("signs on behalf of the head (KT.)"), default=False, help_text=_("For deputies: KT. GIÁM ĐỐC.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__position", "agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="assignments_membership_unique_user_agency"),
        ]

    def __str__(self):
        return f"{self.user} – {self.agency} ({self.get_role_display()})"
