"""Formatting of figure cells: localised numbers, percentages, euros, suppressed cells."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from grappe.insights.figures import COUNT, EURO, GROWTH, MILLIONS, PERCENT, Cell

register = template.Library()


def _number(value: Decimal | int, places: int) -> str:
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def cell_text(cell: Cell) -> str:
    """The value as read on the page (without any markup)."""
    value = cell.value
    if cell.kind == COUNT:
        return _number(value, 0)
    if cell.kind == PERCENT:
        return _("%(value)s%%") % {"value": _number(value, 1)}
    if cell.kind == GROWTH:
        sign = "+" if value > 0 else ("−" if value < 0 else "")
        return _("%(value)s%%") % {"value": sign + _number(abs(value), 1)}
    if cell.kind == EURO:
        return _("%(value)s €") % {"value": _number(value, 0)}
    if cell.kind == MILLIONS:
        return _("%(value)s M€") % {"value": _number(Decimal(value) / 1_000_000, 1)}
    return str(value)


@register.simple_tag
def figure(cell: Cell) -> SafeString:
    if cell.suppressed:
        return format_html(
            '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
            _("not published"),
        )
    if cell.value is None:
        return format_html(
            '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>',
            _("no data"),
        )
    return format_html("{}", cell_text(cell))


@register.filter
def css_width(value: Decimal | None) -> str:
    """A CSS width in % with a dot decimal separator, whatever the language."""
    return f"{Decimal(value or 0):.1f}%"
