from django import template

from reports.figures import LABELS

register = template.Library()


@register.filter
def figure_label(key: str) -> str:
    """The one word for a figure of a reporting year (reports.figures.LABELS), for column headings."""
    return LABELS[key]


@register.filter
def negate(value):
    """-value, for numbers such as days past a deadline (days_left is negative then)."""
    try:
        return -int(value)
    except (TypeError, ValueError):
        return ""
