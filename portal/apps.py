from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal import hardening, middleware  # noqa: F401  (login signal receivers)
        from portal.auth import access_changed, forget_user

        # Whatever changes who holds which permission makes every server read permissions afresh.
        User = get_user_model()
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(access_changed, sender=through, dispatch_uid=f"portal-perms-{through.__name__}")
        for model in (Group, Permission):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(access_changed, sender=model, dispatch_uid=f"portal-perms-{model.__name__}-{name}")
        # The user of each request is read from the cache until the row is saved or deleted.
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(forget_user, sender=User, dispatch_uid=f"portal-user-{name}")
