from django import template
from django.conf import settings
from django.template.loader_tags import BlockNode
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.jinja import render_jinja

register = template.Library()


@register.tag
def page(parser, token):
    """{% page %}…{% endpage %} in templates/base.html: the blocks inside are drawn (with what the page puts in them)
    and handed to the page around them, portal/jinja2/portal/layout.html."""
    nodelist = parser.parse(("endpage",))
    parser.delete_first_token()
    return PageNode(nodelist)


class PageNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.blocks = [node for node in nodelist if isinstance(node, BlockNode)]

    def render(self, context):
        parts = {block.name: mark_safe(block.render(context).strip()) for block in self.blocks}
        return render_jinja(
            "portal/layout.html",
            {
                **parts,
                "navbar": _navbar(context),
                "messages": context.get("messages") or (),
                "DEMO_MODE": settings.DEMO_MODE,
                "LANGUAGE_CODE": translation.get_language(),
            },
        )


def _navbar(context):
    """The navigation bar of every page, drawn by Jinja2 (portal/jinja2/portal/navbar.html): every page draws it,
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


@register.simple_tag(takes_context=True)
def jinja(context, name, **variables):
    """A Jinja2 template (portal/jinja.py) drawn inside a Django one with the Django template's variables and those
    given (`{% jinja "reports/report_header.html" active="edit" %}`): a piece both engines draw (a report's header)
    is written once, in Jinja2."""
    return render_jinja(name, {**context.flatten(), **variables})


@register.simple_tag
def deadline_banner(year, days_left):
    """The deadline of a reporting year and the days left or overdue, coloured by how close it is; the closed
    year's banner once it is closed. Expects `year` (a ReportingYear) and `days_left` (year.days_to_deadline)."""
    if not year:
        return ""
    deadline = date_format(year.deadline, "d/m/Y")
    if not year.is_open:
        return format_html(
            '<div class="alert alert-secondary d-flex align-items-center gap-2 deadline-banner" role="status">\n'
            '  <i class="bi bi-lock" aria-hidden="true"></i>\n'
            "  <div><strong>{}: {}</strong> — {}</div>\n</div>",
            _("Deadline"),
            deadline,
            _("the reporting year %(year)s is closed") % {"year": year.year},
        )
    if days_left > 0:
        left = ngettext("%(days)s day left", "%(days)s days left", days_left) % {"days": days_left}
    elif days_left == 0:
        left = _("due today")
    else:
        left = ngettext("%(days)s day overdue", "%(days)s days overdue", -days_left) % {"days": -days_left}
    colour = "alert-danger" if days_left < 0 else "alert-warning" if days_left <= 7 else "alert-info"
    icon = "bi-exclamation-octagon" if days_left < 0 else "bi-calendar-event"
    return format_html(
        '<div class="alert {} d-flex align-items-center gap-2 deadline-banner" role="status">\n'
        '  <i class="bi {}" aria-hidden="true"></i>\n'
        "  <div>\n    <strong>{}: {}</strong> —\n    {}\n  </div>\n</div>",
        colour,
        icon,
        _("Deadline"),
        deadline,
        left,
    )


@register.filter
def negate(value):
    """-value, for numbers such as days past a deadline (days_left is negative then)."""
    try:
        return -int(value)
    except (TypeError, ValueError):
        return ""
