"""The Jinja2 environment of the few parts of pages drawn many times over (a section per task of the report form).

Django's template engine spends most of such a page walking its nodes; Jinja2 compiles a template to Python once
and draws the same HTML several times faster. The strings are Django's own translations (gettext on the active
language, the same msgids as the Django templates), escaping is on, and the filters are the portal's.
A template lives in an app's `jinja2/` folder and is drawn with `render_jinja(name, context)`.
"""

import datetime
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from portal.forms import hidden_initial, management_inputs
from portal.templatetags.form_fields import bootstrap_field


def local_date(value, arg=None):
    """Django's `date` filter on the value in the portal's time zone, as Django templates pass it (an aware time
    of 23:30 in UTC is the next morning in Hưng Yên)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_filter(value, arg)


@lru_cache(maxsize=4096)
def _reverse(name: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def url(name: str, *args) -> str:
    """Django's reverse() for the templates, remembered per process: the addresses do not change while it runs
    (no address depends on the language), and a page asks for the same dozen on every visit."""
    return _reverse(name, args, get_script_prefix(), get_urlconf())


def django_include(name: str, **context) -> str:
    """A Django template drawn inside a Jinja2 one: pieces shared with Django pages stay written once."""
    return mark_safe(render_to_string(name, context))


@cache
def environment() -> Environment:
    folders = [Path(config.path) / "jinja2" for config in apps.get_app_configs()]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders if f.is_dir()]),
        autoescape=True,
        # A name the template does not know is an error, not an empty string that hides a mistake.
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change with a new release, which restarts the processes; only the development server looks
        # for a changed file before each page, as Django's own Jinja2 backend does.
        auto_reload=settings.DEBUG,
    )
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.globals.update(url=url, static=static, django_include=django_include, management_inputs=management_inputs)
    env.filters.update(
        date=local_date, filesizeformat=filesizeformat, bootstrap_field=bootstrap_field, hidden_initial=hidden_initial
    )
    return env


def add_filters(**filters) -> None:
    """Filters of a higher app (the report's number format, say), added when that app is ready."""
    environment().filters.update(filters)


def add_globals(**functions) -> None:
    """Functions of a higher app that its templates call (a report's tabs, say), added when that app is ready."""
    environment().globals.update(functions)


class _Translated(dict):
    """One language's strings as Django's gettext translates them, kept by the process: the report form asks for the
    same hundred or so labels on every visit, and the catalogues do not change while the process runs."""

    def __missing__(self, message: str) -> str:
        self[message] = text = translation.gettext(message)
        return text


_translated: dict[str | None, _Translated] = defaultdict(_Translated)


def render_jinja(name: str, context: dict) -> str:
    # `_()` and {% trans %} look `gettext` up in the context first: this render's language, kept strings.
    strings = _translated[translation.get_language()]
    return mark_safe(environment().get_template(name).render({"gettext": strings.__getitem__, **context}))
