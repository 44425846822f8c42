"""Joins and departures of member organisations, year by year.

Definitions (see docs/FIGURES.md):

- An organisation *holds* a membership year Y when its membership for Y was admitted: its
  status is approved or active, or lapsed, resigned or excluded (the workflow only reaches
  these three from approved or active). Applied and refused memberships are not held.
- A held year *ends* when its status is lapsed, resigned or excluded.
- A **join** in Y: the organisation holds Y, and did not hold Y-1 or Y-1 ended. The first
  year ever held is a join; so is a return after a gap or after an ended year.
- A **departure** in Y: the organisation holds Y, and either Y ended, or Y is over (before
  the current calendar year) and the organisation does not hold Y+1. For the current year
  only ended memberships count: a membership not renewed becomes a departure once the year
  is over.

Each spell of consecutive, not ended, held years thus starts with one join and finishes
with at most one departure. The counts are one aggregate query; the staff lists one query.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from grappe.insights.figures import COUNT, TEXT, Cell, FiguresContext, Kpi, Row, Section, Table
from grappe.insights.figures import bar_width as bar
from grappe.insights.sections.members import members_per_year
from grappe.members.models import Membership, MembershipStatus, OrgKind
from grappe.members.regions import region_name

S = MembershipStatus
HELD = [S.APPROVED, S.ACTIVE, S.LAPSED, S.RESIGNED, S.EXCLUDED]
ENDED = [S.LAPSED, S.RESIGNED, S.EXCLUDED]


def held_memberships(context: FiguresContext) -> QuerySet[Membership]:
    """Held memberships of the years shown, flagged `is_join` and `is_departure`."""
    period = context.period
    held = Membership.objects.filter(organisation=OuterRef("organisation"), status__in=HELD)
    continued = held.filter(year=OuterRef("year") - 1).exclude(status__in=ENDED)
    followed = held.filter(year=OuterRef("year") + 1)
    departure = Q(status__in=ENDED) | Q(followed=False, year__lt=period.today.year)
    return (
        Membership.objects.filter(status__in=HELD, year__in=period.years)
        .annotate(continued=Exists(continued), followed=Exists(followed))
        .annotate(
            is_join=Q(continued=False),
            is_departure=departure,
        )
        .order_by()
    )


def movements_per_year(context: FiguresContext) -> dict[int, dict[str, int]]:
    def compute() -> dict[int, dict[str, int]]:
        rows = (
            held_memberships(context)
            .values("year")
            .annotate(
                joins=Count("pk", filter=Q(continued=False)),
                departures=Count(
                    "pk",
                    filter=Q(status__in=ENDED)
                    | Q(followed=False, year__lt=context.period.today.year),
                ),
            )
        )
        result: dict[int, dict[str, int]] = defaultdict(lambda: {"joins": 0, "departures": 0})
        for row in rows:
            result[row["year"]] = {"joins": row["joins"], "departures": row["departures"]}
        return result

    return context.shared("movements", compute)


def movements_table(context: FiguresContext) -> Table:
    period = context.period
    members = members_per_year(context)
    movements = movements_per_year(context)
    largest = max(members.values(), default=0)
    rows = []
    for year in period.years:
        joins, departures = movements[year]["joins"], movements[year]["departures"]
        cells = (
            Cell(members[year], COUNT, bar=bar(members[year], largest)),
            Cell(joins),
            Cell(departures),
            Cell(joins - departures),
        )
        rows.append(Row(str(year), cells))
    return Table(
        key="joins-and-departures",
        caption=_("Members, joins and departures per year"),
        row_header=_("Year"),
        columns=(_("Members"), _("Joins"), _("Departures"), _("Net change")),
        rows=tuple(rows),
    )


def movement_lists(context: FiguresContext) -> tuple[Table, Table]:
    """Staff only: the organisations that joined and left, by name (one query)."""
    memberships = (
        held_memberships(context)
        .filter(Q(is_join=True) | Q(is_departure=True))
        .select_related("organisation")
        .order_by("-year", "organisation__name")
    )
    kinds: dict[str, Any] = dict(OrgKind.choices)
    language = get_language() or "fr"
    joins, departures = [], []
    membership: Any  # annotated with is_join and is_departure
    for membership in memberships:
        organisation = membership.organisation
        if membership.is_join:
            joins.append(
                Row(
                    organisation.name,
                    (
                        Cell(str(membership.year), TEXT),
                        Cell(str(kinds.get(organisation.kind, organisation.kind)), TEXT),
                        Cell(region_name(organisation.region, language), TEXT),
                    ),
                )
            )
        if membership.is_departure:
            how = (
                membership.get_status_display() if membership.status in ENDED else _("Not renewed")
            )
            departures.append(
                Row(
                    organisation.name,
                    (
                        Cell(str(membership.year), TEXT),
                        Cell(str(how), TEXT),
                        Cell(membership.end_reason, TEXT),
                    ),
                )
            )
    return (
        Table(
            key="joins-list",
            caption=_("Organisations that joined"),
            row_header=_("Organisation"),
            columns=(_("Year"), _("Kind"), _("Region")),
            rows=tuple(joins),
            folded=True,
        ),
        Table(
            key="departures-list",
            caption=_("Organisations that left"),
            row_header=_("Organisation"),
            columns=(_("Year"), _("How"), _("Reason given")),
            rows=tuple(departures),
            folded=True,
        ),
    )


def movements_section(context: FiguresContext) -> Section:
    period = context.period
    movements = movements_per_year(context)[period.year]
    tables: tuple[Table, ...] = (movements_table(context),)
    if context.staff:
        tables += movement_lists(context)
    return Section(
        key="movements",
        title=_("Joins and departures"),
        intro=_(
            "A join is the first membership year of an organisation after a year without one "
            "(or after a membership that ended). A departure is a membership that ended "
            "(lapsed, resigned, excluded) or that was not followed by one the next year."
        ),
        kpis=(
            Kpi(_("Joins"), Cell(movements["joins"]), str(period.year)),
            Kpi(_("Departures"), Cell(movements["departures"]), str(period.year)),
        ),
        tables=tables,
    )
