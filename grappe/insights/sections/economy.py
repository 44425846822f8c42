"""Jobs, turnover, export and R&D of the members, from the figures they declared.

For a year Y, only organisations that were members in Y (see `members.py`) and declared
figures for Y count; their number is shown as the coverage. Shares are weighted by turnover:

- export share = sum(turnover × export share / 100) / sum(turnover)
- R&D share = sum(R&D spend) / sum(turnover)
- turnover growth = (sum of turnover in Y − sum in Y−1) / sum in Y−1, each year over its own
  declaring members;
- like-for-like growth: the same ratio over the organisations that were members in Y and
  declared both Y and Y−1 (their growth, without the effect of joins and departures).

The public never sees one organisation's figures: a cell computed from fewer than
DISCLOSURE_THRESHOLD declaring organisations (for a growth, in either year) is suppressed;
absolute euro amounts are for staff only. One aggregate query for all years.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils.translation import gettext as _

from grappe.insights.figures import (
    COUNT,
    DISCLOSURE_THRESHOLD,
    EURO,
    GROWTH,
    MILLIONS,
    PERCENT,
    Cell,
    FiguresContext,
    Kpi,
    Row,
    Section,
    Table,
    bar_width,
    euros,
    percent,
)
from grappe.insights.sections.members import members_per_year
from grappe.members.models import Membership, OrganisationFigures
from grappe.members.selectors import active_membership_q

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=24, decimal_places=6)


@dataclass(frozen=True)
class YearFigures:
    year: int
    declarants: int = 0
    headcount: int = 0
    turnover: Decimal = Decimal(0)
    export_turnover: Decimal = Decimal(0)
    rnd_spend: Decimal = Decimal(0)
    comparable: int = 0  # declarants that also declared the year before
    comparable_turnover: Decimal = Decimal(0)
    comparable_previous: Decimal = Decimal(0)

    @property
    def export_share(self) -> Decimal | None:
        return percent(self.export_turnover, self.turnover)

    @property
    def rnd_share(self) -> Decimal | None:
        return percent(self.rnd_spend, self.turnover)

    @property
    def like_for_like_growth(self) -> Decimal | None:
        if not self.comparable_previous:
            return None
        return percent(
            self.comparable_turnover - self.comparable_previous, self.comparable_previous
        )


def figures_per_year(context: FiguresContext) -> dict[int, YearFigures]:
    """Aggregates of members' declared figures, for the years shown and the year before."""

    def compute() -> dict[int, YearFigures]:
        period = context.period
        years = [period.years[0] - 1, *period.years]
        member_that_year = reduce(
            operator.or_,
            (
                Q(year=year)
                & Exists(
                    Membership.objects.filter(
                        active_membership_q(period.reference_date(year)),
                        organisation=OuterRef("organisation"),
                    )
                )
                for year in years
            ),
        )
        previous = (
            OrganisationFigures.objects.filter(
                organisation=OuterRef("organisation"), year=OuterRef("year") - 1
            )
            .order_by()
            .values("turnover")[:1]
        )
        rows = (
            OrganisationFigures.objects.filter(member_that_year)
            .annotate(previous_turnover=Subquery(previous, output_field=MONEY))
            .values("year")
            .annotate(
                declarants=Count("pk"),
                headcount_sum=Sum("headcount"),
                turnover_sum=Sum("turnover"),
                export_sum=Sum(
                    ExpressionWrapper(F("turnover") * F("export_share"), output_field=MONEY)
                ),
                rnd_sum=Sum("rnd_spend"),
                comparable=Count("pk", filter=Q(previous_turnover__isnull=False)),
                comparable_now=Sum("turnover", filter=Q(previous_turnover__isnull=False)),
                comparable_before=Sum("previous_turnover"),
            )
            .order_by()
        )
        result = {year: YearFigures(year) for year in years}
        for row in rows:
            result[row["year"]] = YearFigures(
                year=row["year"],
                declarants=row["declarants"],
                headcount=row["headcount_sum"] or 0,
                turnover=euros(row["turnover_sum"]) or Decimal(0),
                export_turnover=euros((row["export_sum"] or 0) / Decimal(100)) or Decimal(0),
                rnd_spend=euros(row["rnd_sum"]) or Decimal(0),
                comparable=row["comparable"],
                comparable_turnover=euros(row["comparable_now"]) or Decimal(0),
                comparable_previous=euros(row["comparable_before"]) or Decimal(0),
            )
        return result

    return context.shared("economy", compute)


def _growth(figures: dict[int, YearFigures], year: int) -> Decimal | None:
    now, before = figures[year], figures[year - 1]
    if not (now.declarants and before.turnover):
        return None
    return percent(now.turnover - before.turnover, before.turnover)


def _disclosable(*counts: int) -> bool:
    return all(count >= DISCLOSURE_THRESHOLD for count in counts)


def _cells(context: FiguresContext, figures: dict[int, YearFigures], year: int) -> list[Cell]:
    """One year's row; for the public, figures of too few declarants are suppressed (a
    cell with no data stays empty rather than suppressed)."""
    members = members_per_year(context)[year]
    now, before = figures[year], figures[year - 1]
    public = not context.staff
    hide = public and not _disclosable(now.declarants)
    hide_growth = public and not _disclosable(now.declarants, before.declarants)
    hide_comparable = public and not _disclosable(now.comparable)
    coverage = percent(now.declarants, members)
    growth = _growth(figures, year)
    cells = [
        Cell(members),
        Cell(now.declarants),
        Cell(coverage, PERCENT, bar=bar_width(coverage, 100)),
        Cell(now.headcount if now.declarants else None, suppressed=hide and now.declarants > 0),
    ]
    if context.staff:
        cells += [
            Cell(now.turnover if now.declarants else None, EURO),
            Cell(now.export_turnover if now.declarants else None, EURO),
            Cell(now.rnd_spend if now.declarants else None, EURO),
        ]
    cells += [
        Cell(growth, GROWTH, suppressed=hide_growth and growth is not None),
        Cell(
            now.like_for_like_growth,
            GROWTH,
            suppressed=hide_comparable and now.like_for_like_growth is not None,
        ),
        Cell(
            now.export_share,
            PERCENT,
            bar=bar_width(now.export_share, 100),
            suppressed=hide and now.export_share is not None,
        ),
        Cell(
            now.rnd_share,
            PERCENT,
            bar=bar_width(now.rnd_share, 100),
            suppressed=hide and now.rnd_share is not None,
        ),
    ]
    return cells


def economy_table(context: FiguresContext) -> Table:
    figures = figures_per_year(context)
    columns = [_("Members"), _("Declaring members"), _("Coverage"), _("Headcount")]
    if context.staff:
        columns += [_("Turnover (€)"), _("Export turnover (€)"), _("R&D spend (€)")]
    columns += [
        _("Turnover growth"),
        _("Like-for-like growth"),
        _("Export share"),
        _("R&D share"),
    ]
    rows = tuple(
        Row(str(year), tuple(_cells(context, figures, year))) for year in context.period.years
    )
    return Table(
        key="jobs-and-business",
        caption=_("Members' declared figures per year"),
        row_header=_("Year"),
        columns=tuple(columns),
        rows=rows,
        note=_(
            "“—”: not declared, or fewer than %(threshold)s declaring organisations "
            "(not published, so that no organisation's own figures can be deduced)."
        )
        % {"threshold": DISCLOSURE_THRESHOLD}
        if not context.staff
        else "",
    )


def _latest_year(context: FiguresContext, figures: dict[int, YearFigures]) -> int | None:
    """The most recent year shown whose figures may be published (declarations come late)."""
    needed = 1 if context.staff else DISCLOSURE_THRESHOLD
    for year in reversed(context.period.years):
        if figures[year].declarants >= needed:
            return year
    return None


def economy_section(context: FiguresContext) -> Section:
    figures = figures_per_year(context)
    latest = _latest_year(context, figures)
    kpis: tuple[Kpi, ...] = ()
    if latest is not None:
        year = figures[latest]
        detail = _("%(year)s, %(count)s declaring members") % {
            "year": latest,
            "count": year.declarants,
        }
        growth_hidden = not context.staff and not _disclosable(
            year.declarants, figures[latest - 1].declarants
        )
        kpis = (
            Kpi(_("Jobs"), Cell(year.headcount, COUNT), detail),
            Kpi(_("Export share"), Cell(year.export_share, PERCENT), detail),
            Kpi(_("R&D share"), Cell(year.rnd_share, PERCENT), detail),
            Kpi(
                _("Turnover growth"),
                Cell(_growth(figures, latest), GROWTH, suppressed=growth_hidden),
                detail,
            ),
        )
        if context.staff:
            kpis += (Kpi(_("Turnover"), Cell(year.turnover, MILLIONS), detail),)
    return Section(
        key="economy",
        title=_("Jobs and business"),
        intro=_(
            "From the figures each member declared for the year: only organisations that "
            "were members that year and declared their figures count. Shares are weighted "
            "by turnover."
        ),
        kpis=kpis,
        tables=(economy_table(context),),
        notes=(
            _(
                "Turnover growth compares the declared turnover of each year's members with "
                "the year before; like-for-like growth compares the same organisations, "
                "members that year, that declared both years."
            ),
        ),
    )
