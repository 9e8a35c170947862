from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demonstration data (`manage.py load_demo`): the only app allowed to use every other, since it writes
    through all of their services; nothing imports it."""

    name = "demo"
    verbose_name = _("Demonstration")
