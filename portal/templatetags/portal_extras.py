from django import template

register = template.Library()


@register.filter
def negate(value):
    """-value, for numbers such as days past a deadline (days_left is negative then)."""
    try:
        return -int(value)
    except (TypeError, ValueError):
        return ""
