from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Directive and assignments")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from assignments.catalogue import catalogue_changed
        from portal.auth import access_changed

        # The agencies a user works for are cached with the user's permissions (assignments.roles.roles_for).
        for model in ("Membership", "Agency"):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    access_changed, sender=self.get_model(model), dispatch_uid=f"assignments-access-{model}-{name}"
                )
        # The directive's tasks, indicators and targets are cached for the report form (assignments.catalogue).
        for model in ("Directive", "TaskGroup", "Task", "Indicator", "IndicatorTarget"):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    catalogue_changed,
                    sender=self.get_model(model),
                    dispatch_uid=f"assignments-catalogue-{model}-{name}",
                )
