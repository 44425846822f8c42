"""Member organisations year by year, by kind, collège, EU size class and region.

An organisation is a member in a year when it has a membership that is active (status
"active", between its start and end dates) on that year's reference date: 31 December, or
today for the current year. Each breakdown is one aggregate query over the years shown.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Expression,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from grappe.insights.figures import (
    COUNT,
    PERCENT,
    Cell,
    FiguresContext,
    Kpi,
    Period,
    Row,
    Section,
    Table,
    bar_width,
    percent,
)
from grappe.members.models import (
    College,
    Membership,
    OrganisationFigures,
    OrgKind,
    SizeClass,
)
from grappe.members.regions import NUTS2, region_name
from grappe.members.selectors import active_membership_q

YearCounts = dict[int, dict[str, int]]  # year -> category -> organisations


def member_memberships(period: Period) -> QuerySet[Membership]:
    """The membership that makes an organisation a member in each year of `period`, with
    that year as `figure_year` (one row per organisation and year)."""
    dates = {year: period.reference_date(year) for year in period.years}
    active_on_a_reference_date = reduce(
        operator.or_, (active_membership_q(day) for day in dates.values())
    )
    figure_year = Case(
        *(When(active_membership_q(day), then=Value(year)) for year, day in dates.items()),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(active_on_a_reference_date)
        .annotate(figure_year=figure_year)
        .order_by()
    )


def _size_class_that_year() -> Expression:
    """The EU size class from the figures of that year (or the latest before it); the
    organisation's current class when it never declared any."""
    declared = (
        OrganisationFigures.objects.filter(
            organisation=OuterRef("organisation"), year__lte=OuterRef("figure_year")
        )
        .order_by("-year")
        .values("size_class")[:1]
    )
    return Coalesce(Subquery(declared), F("organisation__size_class"), output_field=CharField())


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    row_header: str
    expression: Callable[[], Any]  # an expression giving the category of a membership row
    labels: Callable[[], dict[str, Any]]  # category -> label, in display order
    show_empty: bool  # list every category, even with no member in any year


def _region_labels() -> dict[str, Any]:
    language = get_language() or "fr"
    labels = {code: region_name(code, language) for code in NUTS2}
    labels[""] = _("Outside the listed regions or not given")
    return labels


def dimensions() -> list[Dimension]:
    return [
        Dimension(
            "kind", _("Members by kind of organisation"), _("Kind"),
            lambda: F("organisation__kind"), lambda: dict(OrgKind.choices), True,
        ),
        Dimension(
            "college", _("Members by collège"), _("Collège"),
            lambda: F("college"), lambda: dict(College.choices), True,
        ),
        Dimension(
            "size", _("Members by EU size class"), _("Size class"),
            _size_class_that_year, lambda: dict(SizeClass.choices), False,
        ),
        Dimension(
            "region", _("Members by region (NUTS 2)"), _("Region"),
            lambda: F("organisation__region"), _region_labels, False,
        ),
    ]  # fmt: skip


def member_counts(context: FiguresContext, dimension: Dimension) -> YearCounts:
    """Organisations per year and category of `dimension`: one GROUP BY query."""

    def compute() -> YearCounts:
        rows = (
            member_memberships(context.period)
            .annotate(category=dimension.expression())
            .values("figure_year", "category")
            .annotate(organisations=Count("organisation", distinct=True))
        )
        counts: YearCounts = defaultdict(dict)
        for row in rows:
            category = row["category"] or ""
            counts[row["figure_year"]][category] = (
                counts[row["figure_year"]].get(category, 0) + row["organisations"]
            )
        return counts

    return context.shared(f"members.{dimension.key}", compute)


def members_per_year(context: FiguresContext) -> dict[int, int]:
    """Member organisations per year (every organisation has exactly one kind)."""
    kind = next(d for d in dimensions() if d.key == "kind")
    counts = member_counts(context, kind)
    return {year: sum(counts.get(year, {}).values()) for year in context.period.years}


def breakdown_table(context: FiguresContext, dimension: Dimension) -> Table:
    period = context.period
    counts = member_counts(context, dimension)
    totals = members_per_year(context)
    labels = dimension.labels()
    present = {category for year in period.years for category in counts.get(year, {})}
    categories = [c for c in labels if dimension.show_empty or c in present]
    categories += sorted(present - set(labels))  # codes no longer in the choices
    if dimension.key == "region":
        categories.sort(
            key=lambda c: (-counts.get(period.year, {}).get(c, 0), c == "", labels.get(c, c))
        )
    rows = []
    for category in categories:
        cells = [Cell(counts.get(year, {}).get(category, 0)) for year in period.years]
        share = percent(counts.get(period.year, {}).get(category, 0), totals[period.year])
        cells.append(Cell(share, PERCENT, bar=bar_width(share, 100)))
        rows.append(Row(labels.get(category, category), tuple(cells)))
    total_cells = [Cell(totals[year]) for year in period.years]
    total_cells.append(Cell(percent(totals[period.year], totals[period.year]), PERCENT))
    rows.append(Row(_("All members"), tuple(total_cells), is_total=True))
    return Table(
        key=f"members-by-{dimension.key}",
        caption=dimension.title,
        row_header=dimension.row_header,
        columns=(*map(str, period.years), _("Share in %(year)s") % {"year": period.year}),
        rows=tuple(rows),
    )


def members_section(context: FiguresContext) -> Section:
    period = context.period
    totals = members_per_year(context)
    first = period.years[0]
    college = next(d for d in dimensions() if d.key == "college")
    colleges = member_counts(context, college).get(period.year, {})
    kpis = (
        Kpi(
            _("Member organisations"),
            Cell(totals[period.year], COUNT),
            _("%(count)s in %(year)s") % {"count": totals[first], "year": first},
        ),
        Kpi(
            _("SMEs and start-ups"),
            Cell(percent(colleges.get(College.SME, 0), totals[period.year]), PERCENT),
            _("of the members"),
        ),
        Kpi(
            _("Research and training"),
            Cell(percent(colleges.get(College.RESEARCH, 0), totals[period.year]), PERCENT),
            _("of the members"),
        ),
    )
    if period.is_current:
        when = _("Members today and on 31 December of each earlier year.")
    else:
        when = _("Members on 31 December of each year.")
    return Section(
        key="members",
        title=_("Member organisations"),
        intro=when,
        kpis=kpis,
        tables=tuple(breakdown_table(context, d) for d in dimensions()),
        notes=(
            _(
                "A member is an organisation whose membership is active on that day. "
                "The collège is the one of that year's membership; the size class comes from "
                "the figures declared for that year or the latest year before it; kind and "
                "region are the organisation's current ones."
            ),
        ),
    )
