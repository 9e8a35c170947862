from django import template
from django.conf import settings
from django.utils import translation

from portal.jinja import render_jinja

register = template.Library()


@register.simple_tag(takes_context=True)
def navbar(context):
    """The navigation bar of base.html, drawn by Jinja2 (portal/jinja2/portal/navbar.html): every page draws it,
    and Django's template engine took longer over its links and labels than over many a page's own content.
    Pages Django draws without a request (a bad request's page) have no user: the bar then shows the language
    menu only, as before."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return render_jinja(
        "portal/navbar.html",
        {
            "user": context.get("user"),
            "roles": context.get("roles"),
            "section": getattr(match, "namespace", "") or "",
            "unread_notices": context.get("unread_notices", 0),
            "csrf_token": context.get("csrf_token", ""),
            "language_next": context.get("language_next", ""),
            "LANGUAGE_CODE": translation.get_language(),
            "LANGUAGES": settings.LANGUAGES,
        },
    )


@register.filter
def negate(value):
    """-value, for numbers such as days past a deadline (days_left is negative then)."""
    try:
        return -int(value)
    except (TypeError, ValueError):
        return ""
