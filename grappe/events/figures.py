"""The events section of the figures page (/figures/): events held, participants,
attendance, organisations reached, share of members, year by year.

The public sees these aggregates; staff also see the reference year by kind of event and
event by event. Definitions are those of `grappe.events.selectors.stats`; the section runs
two aggregate queries for the years, and five more for staff, whatever the volume."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.events.selectors.stats import Counts, counts_per_year, year_statistics
from grappe.insights.figures import (
    COUNT,
    PERCENT,
    TEXT,
    Cell,
    FiguresContext,
    Kpi,
    Row,
    Section,
    Table,
    bar_width,
)


def _columns() -> tuple[str, ...]:
    return (
        _("Events"), _("Participants"), _("Checked in"), _("Attendance rate"),
        _("Organisations reached"), _("From members"),
    )  # fmt: skip


def _cells(counts: Counts, largest: int) -> tuple[Cell, ...]:
    return (
        Cell(counts.events),
        Cell(counts.confirmed, COUNT, bar=bar_width(counts.confirmed, largest)),
        Cell(counts.checked_in),
        Cell(counts.attendance_rate, PERCENT),
        Cell(counts.organisations),
        Cell(counts.member_share, PERCENT),
    )


def _years_table(per_year: dict[int, Counts]) -> Table:
    largest = max((c.confirmed for c in per_year.values()), default=0)
    return Table(
        key="events-per-year",
        caption=_("Events and participants per year"),
        row_header=_("Year"),
        columns=_columns(),
        rows=tuple(Row(str(year), _cells(c, largest)) for year, c in sorted(per_year.items())),
        note=_(
            "Participants: confirmed registrations. Attendance: checked in / confirmed, "
            "events that have ended. From members: participants whose organisation was a "
            "member on the event's day."
        ),
    )


def _staff_tables(year: int) -> tuple[Table, ...]:
    stats = year_statistics(year)
    largest = max((c.confirmed for _label, c in stats.by_kind), default=0)
    by_kind = Table(
        key="events-by-kind",
        caption=_("Events of %(year)s by kind") % {"year": year},
        row_header=_("Kind"),
        columns=_columns(),
        rows=tuple(Row(label, _cells(c, largest)) for label, c in stats.by_kind)
        + (Row(_("Total"), _cells(stats.total, largest), is_total=True),),
    )
    by_event = Table(
        key="events-list",
        caption=_("Events of %(year)s one by one") % {"year": year},
        row_header=_("Event"),
        columns=(_("Date"), *_columns()[1:]),
        rows=tuple(
            Row(
                row.event.title,
                (
                    Cell(timezone.localdate(row.event.starts_at).isoformat(), TEXT),
                    *_cells(row.counts, largest)[1:],
                ),
            )
            for row in stats.events
        ),  # fmt: skip
        folded=True,
    )
    return by_kind, by_event


def events_section(context: FiguresContext) -> Section | None:
    period = context.period
    per_year = context.shared("events_per_year", lambda: counts_per_year(period.years))
    if not any(c.events for c in per_year.values()):
        return None
    current = per_year[period.year]
    tables: tuple[Table, ...] = (_years_table(per_year),)
    if context.staff:
        tables += _staff_tables(period.year)
    year = str(period.year)
    return Section(
        key="events",
        title=_("Events"),
        intro=_(
            "Conferences, workshops, webinars, trade fairs and missions the cluster published, "
            "counted in the year they start; cancelled events are left out."
        ),
        kpis=(
            Kpi(_("Events"), Cell(current.events), year),
            Kpi(_("Participants"), Cell(current.confirmed), year),
            Kpi(_("Organisations reached"), Cell(current.organisations), year),
            Kpi(_("Attendance rate"), Cell(current.attendance_rate, PERCENT), year),
        ),
        tables=tables,
    )
