from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def heatmap_cells(row, not_assigned: str):
    """The cells of one agency's row. Built here rather than in a template loop: 300 agencies × 19 tasks make
    thousands of cells, and the template engine would spend seconds on them."""
    parts = []
    empty = format_html('<td class="hm hm-none"><span class="visually-hidden">{}</span></td>', not_assigned)
    for cell in row.cells:
        if cell is None:
            parts.append(empty)
            continue
        rating = ""
        if cell.rating:
            rating = format_html(
                '<span class="hm-rating"><i class="bi {}"></i>{}</span>', cell.rating_icon, cell.rating_short
            )
        description = cell.description
        parts.append(
            format_html(
                '<td class="hm hm-{}"><a href="{}" title="{}"><span aria-hidden="true"><i class="bi {}"></i>'
                '<span class="hm-short">{}</span>{}</span><span class="visually-hidden">{}</span></a></td>',
                cell.category.code,
                cell.url,
                description,
                cell.category.icon,
                cell.category.short,
                rating,
                description,
            )
        )
    return mark_safe("".join(parts))  # every part is built by format_html, which escapes


@register.simple_tag
def table_rows(table):
    """The body rows of a DataTable: the first cell heads its row, numbers are right-aligned in Vietnamese format.
    Built here for the same reason as the heat map's cells: some tables have a row per agency and task."""
    rows = []
    for strong, cells in table.typed_rows():
        parts = []
        for i, (value, column) in enumerate(cells):
            if i == 0:
                weight = "semibold" if strong else "normal"
                parts.append(format_html('<th scope="row" class="fw-{}">{}</th>', weight, _text(value)))
            elif column.is_number:
                parts.append(
                    format_html('<td class="text-end text-nowrap">{}</td>', figure(value, column.kind))
                )
            else:
                parts.append(format_html("<td>{}</td>", _text(value)))
        rows.append(
            format_html(
                "<tr{}>{}</tr>",
                mark_safe(' class="fw-semibold"') if strong else "",
                mark_safe("".join(parts)),
            )
        )
    return mark_safe("\n".join(rows))  # every part is built by format_html, which escapes


def _text(value) -> str:
    return "—" if value in (None, "") else str(value)
