from decimal import Decimal

from django import template
from django.utils.formats import number_format

from dashboards.tables import DECIMAL, INTEGER, PERCENT

register = template.Library()


@register.filter
def figure(value, kind: str = INTEGER) -> str:
    """A number as Vietnamese readers write it: 1.234,5 and 45%; a dash where there is none."""
    if value is None or value == "":
        return "—"
    if kind == PERCENT:
        return f"{number_format(value, force_grouping=True)}%"
    if kind == DECIMAL:
        value = Decimal(value).normalize()
        places = max(0, -value.as_tuple().exponent)
        return number_format(value, decimal_pos=min(places, 4), force_grouping=True)
    if kind == INTEGER:
        return number_format(value, force_grouping=True)
    return str(value)


@register.filter
def negate(value: int) -> int:
    return -value
