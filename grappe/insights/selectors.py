"""Figures computed from the data, never typed in.

The figures page is a list of sections. A section is a function
`(FiguresContext) -> Section | None` returning the dataclasses of `grappe.insights.figures`;
a later feature (events, projects...) adds its own builder with `register_section` and the
public page, the staff page and the CSV export pick it up. A builder runs a fixed number of
aggregate queries whatever the number of organisations, and shows the public only
aggregates (`context.staff` tells it who is looking).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Min
from django.utils import timezone

from grappe.insights.figures import FiguresContext, Period, Section, Table
from grappe.insights.sections.economy import economy_section
from grappe.insights.sections.members import members_section
from grappe.insights.sections.movements import movements_section
from grappe.members.models import Membership
from grappe.members.selectors import member_organisations

SectionBuilder = Callable[[FiguresContext], Section | None]

SECTIONS: list[SectionBuilder] = [members_section, movements_section, economy_section]


def register_section(builder: SectionBuilder) -> SectionBuilder:
    """Add a section to the figures page (usable as a decorator); registered once."""
    if builder not in SECTIONS:
        SECTIONS.append(builder)
    return builder


def public_headline() -> dict[str, Any]:
    return {"members": member_organisations().count()}


def figures_years(today: dt.date | None = None) -> list[int]:
    """The years one can choose as the reference year: from the first membership to now."""
    today = today or timezone.localdate()
    first = Membership.objects.aggregate(first=Min("year"))["first"] or today.year
    return list(range(today.year, min(first, today.year) - 1, -1))


def figures_period(year: int | None = None, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    year = today.year if year is None else min(year, today.year)
    return Period(year=year, today=today)


def figures_sections(*, period: Period, staff: bool) -> list[Section]:
    """Every section of the page, for the public (`staff=False`) or for staff."""
    context = FiguresContext(period=period, staff=staff)
    sections = (builder(context) for builder in SECTIONS)
    return [section for section in sections if section is not None]


def figures_table(*, period: Period, key: str) -> Table | None:
    """One staff table by its key (for the CSV export)."""
    for section in figures_sections(period=period, staff=True):
        for table in section.tables:
            if table.key == key:
                return table
    return None
