from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Agency,
    AgencySuccession,
    Assignment,
    Directive,
    Indicator,
    IndicatorTarget,
    Membership,
    Task,
    TaskGroup,
)
from assignments.preview import succession_preview
from assignments.services import ReorganisationError, agency_reorganise, assignments_sync
from assignments.signals import agencies_changed
from audit.models import Action
from audit.services import log_action


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "issuer", "issued_on"]
    list_filter = ["kind"]
    search_fields = ["title", "number", "symbol", "issuer"]
    actions = ["sync_assignments"]

    @admin.action(description=_("Derive the assignments again from the task groups"))
    def sync_assignments(self, request, queryset):
        for directive in queryset:
            result = assignments_sync(directive=directive, actor=request.user)
            self.message_user(
                request,
                _("%(document)s: %(created)d assignments created, %(total)d in all.")
                % {"document": directive, "created": result.created, "total": result.total},
                messages.SUCCESS,
            )


class TaskInline(admin.StackedInline):
    model = Task
    extra = 0
    filter_horizontal = ["coordinating_agencies"]


@admin.register(TaskGroup)
class TaskGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "heading", "scope", "agency", "directive"]
    list_filter = ["directive", "scope"]
    inlines = [TaskInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "short_text", "group", "lead_agency"]
    list_filter = ["group__directive", "group"]
    search_fields = ["code", "text"]
    filter_horizontal = ["coordinating_agencies"]
    inlines = [IndicatorInline]

    @admin.display(description=_("text of the task"))
    def short_text(self, obj):
        return obj.text[:100]


class SuccessionInline(admin.TabularInline):
    """The successions of an agency, to read and to confirm; a new one is recorded on its own page, which shows
    what it would change before recording it."""

    model = AgencySuccession
    fk_name = "predecessor"
    extra = 0
    verbose_name = _("successor")
    verbose_name_plural = _("successors")

    def has_add_permission(self, request, obj=None):
        return False


def record_succession(request, link: AgencySuccession) -> None:
    """A succession entered in the admin goes through the reorganisation service, as any other would: the
    former agency ends, its open assignments pass to the successor, and the open years' reports follow."""
    try:
        agency_reorganise(
            predecessor=link.predecessor,
            successor=link.successor,
            kind=link.kind,
            effective_on=link.effective_on,
            actor=request.user,
            confirmed=link.confirmed,
            source=link.source,
        )
    except ReorganisationError as error:
        raise ValidationError(error.message) from None
    agencies_changed.send(sender=AgencySuccession)


class SuccessionForm(forms.ModelForm):
    class Meta:
        model = AgencySuccession
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        successor, effective_on = cleaned.get("successor"), cleaned.get("effective_on")
        predecessor = cleaned.get("predecessor") or (self.instance.predecessor if self.instance.predecessor_id else None)
        if successor and predecessor and successor.pk == predecessor.pk:
            raise ValidationError(_("An agency cannot succeed itself."))
        if successor and effective_on and not successor.is_active_on(effective_on):
            raise ValidationError(
                _("%(agency)s does not exist on %(date)s.")
                % {"agency": successor, "date": effective_on.strftime("%d/%m/%Y")}
            )
        return cleaned


SuccessionInline.form = SuccessionForm


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "former_district", "valid_from", "valid_to", "confirmed", "position"]
    list_filter = ["confirmed", "kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "short_name", "email", "former_district"]
    list_editable = ["position"]
    inlines = [SuccessionInline]
    actions = ["confirm_records"]

    @admin.action(description=_("Confirm: the decision behind the record was found"))
    def confirm_records(self, request, queryset):
        """Unconfirmed agencies and the successions that formed or ended them become confirmed, each audited."""
        confirmed = 0
        for agency in queryset.filter(confirmed=False):
            agency.confirmed = True
            agency.save(update_fields=["confirmed"])
            links = AgencySuccession.objects.filter(confirmed=False).filter(
                Q(predecessor=agency) | Q(successor=agency)
            )
            for link in links:
                link.confirmed = True
                link.save(update_fields=["confirmed"])
            log_action(
                request.user,
                Action.AGENCY_CONFIRMED,
                agency=agency,
                message=_("%(agency)s confirmed, with %(links)d successions") % {"agency": agency, "links": len(links)},
            )
            confirmed += 1
        self.message_user(request, _("%(count)d agencies confirmed.") % {"count": confirmed})

    def save_formset(self, request, form, formset, change):
        if formset.model is not AgencySuccession:
            return super().save_formset(request, form, formset, change)
        links = formset.save(commit=False)
        for link in links:
            if link.pk:
                link.save()  # editing the note, source or confirmation of a recorded succession
            else:
                record_succession(request, link)
        for link in formset.deleted_objects:
            link.delete()
        formset.save_m2m()


@admin.register(AgencySuccession)
class AgencySuccessionAdmin(admin.ModelAdmin):
    form = SuccessionForm
    list_display = ["predecessor", "kind", "successor", "effective_on", "confirmed"]
    list_filter = ["kind", "confirmed"]
    autocomplete_fields = ["predecessor", "successor"]

    def get_readonly_fields(self, request, obj=None):
        # Who succeeded whom, how and when is history once recorded; only the evidence for it can be completed.
        return ["predecessor", "successor", "kind", "effective_on"] if obj else []

    def add_view(self, request, form_url="", extra_context=None):
        """A valid new succession is first shown as a preview of what it changes (assignments that end and pass,
        agencies that start or stop owing a report); it is recorded only when the administrator confirms."""
        if request.method == "POST" and "_confirmed" not in request.POST and "_back" not in request.POST:
            form = self.get_form(request)(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                preview = succession_preview(
                    predecessor=data["predecessor"],
                    successor=data["successor"],
                    kind=data["kind"],
                    effective_on=data["effective_on"],
                )
                hidden = [(k, v) for k in request.POST for v in request.POST.getlist(k) if k != "csrfmiddlewaretoken"]
                context = {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Preview of the succession"),
                    "succession": data,
                    "kind_label": dict(AgencySuccession.Kind.choices)[data["kind"]],
                    "preview": preview,
                    "hidden": hidden,
                }
                return TemplateResponse(request, "admin/assignments/agencysuccession/preview.html", context)
        if "_back" in request.POST:
            # Back to the form with what was typed, nothing recorded.
            request.method = "GET"
            request.GET = request.POST.copy()
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            if "confirmed" in form.changed_data or "source" in form.changed_data:
                log_action(
                    request.user,
                    Action.AGENCY_CONFIRMED,
                    agency=obj.predecessor,
                    message=f"{obj} – {obj.get_kind_display()} – {obj.successor}: "
                    + (str(_("confirmed")) if obj.confirmed else str(_("not confirmed"))),
                )
        else:
            record_succession(request, obj)


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "task", "aggregation", "position"]
    list_filter = ["task__group"]
    search_fields = ["name"]
    inlines = [TargetInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "agency", "source", "inherited_from", "started_on", "ended_on"]
    list_filter = ["source", "task__group", "agency__kind"]
    search_fields = ["agency__name", "task__code"]
    list_select_related = ["task", "agency", "inherited_from"]
    autocomplete_fields = ["agency", "inherited_from"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "position_title", "is_deputy"]
    list_filter = ["role", "agency__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]


# Users: Vietnamese names are written family name first ("Nguyễn Văn A"), and the portal prints
# `get_full_name()` (first_name + last_name) on signatures and histories. The user form therefore asks for the
# family and middle names in first_name and the given name in last_name, and shows each user's agencies.
User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


class PortalUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]

    @admin.display(description=_("full name"))
    def full_name(self, obj):
        return obj.get_full_name()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "first_name" in form.base_fields:
            form.base_fields["first_name"].label = _("family and middle names")
            form.base_fields["first_name"].help_text = _("For example: Nguyễn Văn")
        if "last_name" in form.base_fields:
            form.base_fields["last_name"].label = _("given name")
            form.base_fields["last_name"].help_text = _("For example: An")
        return form


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
