"""The "Labelled projects" section of /figures/: public aggregates of the portfolio.

Counts (projects labelled, support letters, partnerships by kind) are public. A euro amount
(budget, aid requested, aid obtained) is shown to the public only when at least
DISCLOSURE_THRESHOLD projects stand behind it, so that no project's confidential budget can
be read from it; staff see every amount. A fixed number of aggregate queries (see
grappe.projects.selectors.portfolio for the definitions)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from grappe.insights.figures import (
    COUNT,
    DISCLOSURE_THRESHOLD,
    EURO,
    PERCENT,
    Cell,
    FiguresContext,
    Kpi,
    Row,
    Section,
    Table,
    bar_width,
)
from grappe.projects.selectors.portfolio import (
    Totals,
    by_year,
    labelled_by_competence,
    partner_involvement,
    scheme_rows,
    totals_by_year_and_scheme,
)


def _money(value: Decimal, projects: int, staff: bool) -> Cell:
    """An amount behind `projects` projects: hidden from the public below the threshold."""
    if not projects:
        return Cell(None, EURO)
    return Cell(value, EURO, suppressed=not staff and projects < DISCLOSURE_THRESHOLD)


def _totals_cells(totals: Totals, staff: bool, largest: int) -> tuple[Cell, ...]:
    return (
        Cell(totals.labelled, COUNT, bar=bar_width(totals.labelled, largest)),
        Cell(totals.support_letters),
        _money(totals.budget, totals.labelled, staff),
        _money(totals.requested, totals.labelled, staff),
        _money(totals.obtained, totals.funded, staff),
        Cell(totals.success_rate, PERCENT),
    )


def _columns() -> tuple[str, ...]:
    return (
        pgettext("number of projects", "Labelled"),
        _("Support letters"),
        _("Budget"),
        _("Aid requested"),
        _("Aid obtained"),
        _("Funding success rate"),
    )


def _competence_table(
    key: str, caption: str, rows: list[tuple[str, dict[int, int]]], years: tuple[int, ...]
) -> Table:
    return Table(
        key=key,
        caption=caption,
        row_header=_("Competence"),
        columns=tuple(str(y) for y in years),
        rows=tuple(
            Row(name, tuple(Cell(counts.get(y, 0)) for y in years)) for name, counts in rows
        ),
        folded=len(rows) > 12,
    )


def projects_section(context: FiguresContext) -> Section | None:
    """Labelled projects, budgets and aid, success rate, and partners, year by year."""
    years = context.period.years
    per_scheme_year = context.shared("projects-totals", lambda: totals_by_year_and_scheme(years))
    per_year = by_year(per_scheme_year, years)
    if not any(t.labelled or t.support_letters for t in per_year.values()):
        return None
    largest = max(t.labelled for t in per_year.values())
    year_rows = tuple(
        Row(str(year), _totals_cells(per_year[year], context.staff, largest)) for year in years
    )
    schemes = scheme_rows(per_scheme_year)
    most = max((t.labelled for _c, _l, t in schemes), default=0)
    scheme_table_rows = tuple(
        Row(label, _totals_cells(totals, context.staff, most)) for _code, label, totals in schemes
    )
    involvement = partner_involvement(years)
    partner_rows = tuple(
        Row(
            str(year),
            (
                Cell(involvement[year].partnerships),
                Cell(involvement[year].members),
                Cell(involvement[year].non_members),
                Cell(involvement[year].smes),
                Cell(involvement[year].labs),
            ),
        )
        for year in years
    )
    reference = per_year[context.period.year]
    span = Totals()
    for totals in per_year.values():
        span.add(totals)
    return Section(
        key="projects",
        title=_("Labelled projects"),
        intro=_(
            "Collaborative R&D projects labelled by the cluster, by year of the committee's "
            "decision. The success rate is the share of funded projects among the labelled "
            "projects whose funding outcome is known. Amounts behind fewer than three projects "
            "are not shown."
        ),
        kpis=(
            Kpi(_("Projects labelled"), Cell(reference.labelled), str(context.period.year)),
            Kpi(
                _("Aid obtained"),
                _money(span.obtained, span.funded, context.staff),
                f"{years[0]}–{years[-1]}",
            ),
            Kpi(
                _("Funding success rate"),
                Cell(span.success_rate, PERCENT),
                f"{years[0]}–{years[-1]}",
            ),
        ),
        tables=(
            Table(
                key="projects-by-year",
                caption=_("Labelled projects per year"),
                row_header=_("Year"),
                columns=_columns(),
                rows=year_rows,
            ),
            Table(
                key="projects-by-scheme",
                caption=_("Labelled projects by funding scheme"),
                row_header=_("Scheme"),
                columns=_columns(),
                rows=scheme_table_rows,
                note=_("Over the years shown."),
            ),
            _competence_table(
                "projects-by-market",
                _("Labelled projects by application market"),
                labelled_by_competence(years, "market"),
                years,
            ),
            _competence_table(
                "projects-by-technology",
                _("Labelled projects by technology"),
                labelled_by_competence(years, "technology"),
                years,
            ),
            Table(
                key="projects-partners",
                caption=_("Partners of labelled projects"),
                row_header=_("Year"),
                columns=(
                    _("Partnerships"),
                    _("Members"),
                    _("Non-members"),
                    _("SMEs"),
                    _("Labs"),
                ),
                rows=partner_rows,
                note=_("A partnership is one partner in one project."),
            ),
        ),
    )
