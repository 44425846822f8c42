"""French writes the first day of a month as an ordinal: « 1er mars », not « 1 mars ».

Loaded as a template builtin (settings.TEMPLATES), this `date` filter replaces Django's: it
formats the date as Django does, then, when the active language is French, writes the first
of the month « 1er » (grappe.core.i18n.first_of_month). Other days, other languages and
formats without a month name are left as they are."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import date as django_date

from grappe.core.i18n import first_of_month, in_french

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    text = django_date(value, arg)
    return first_of_month(text) if text and in_french() else text
