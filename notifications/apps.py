from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notices")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from notifications.models import Notification
        from notifications.unread import notice_changed

        post_save.connect(notice_changed, sender=Notification, dispatch_uid="notifications-unread-saved")
        post_delete.connect(notice_changed, sender=Notification, dispatch_uid="notifications-unread-deleted")
