"""Event statistics: per event, per kind and per year, each in a fixed number of queries.

Definitions (docs/EVENTS_STAFF.md and docs/FIGURES.md say the same):

- *registrations*: every registration made, whatever became of it;
- *confirmed*: registrations holding a confirmed seat now (for a past event: those who had
  a seat on the day); *waitlisted*: still waiting (on the waitlist or offered a freed seat);
  *cancelled*: cancelled by the person, by staff or with the event; expired offers are in
  none of these three;
- *checked in*: confirmed registrations scanned at the door;
- *attendance rate*: checked in / confirmed, for events that have ended only;
- *members*: confirmed registrations whose organisation had an active membership on the
  event's first day (in the cluster's time zone); the others, without an organisation
  included, are *non-members*;
- *organisations reached*: distinct organisations of the confirmed registrations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from grappe.events.models import Event, EventKind, EventStatus, Registration, RegistrationStatus
from grappe.insights.figures import percent
from grappe.members.models import Membership, MembershipStatus

S = RegistrationStatus


@dataclass
class Counts:
    registrations: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    checked_in: int = 0
    members: int = 0
    organisations: int = 0
    # Confirmed and checked in at events that have ended: the attendance rate's terms.
    past_confirmed: int = 0
    past_checked_in: int = 0
    events: int = 0

    @property
    def non_members(self) -> int:
        return self.confirmed - self.members

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.past_checked_in, self.past_confirmed)

    @property
    def member_share(self) -> Decimal | None:
        return percent(self.members, self.confirmed)

    def add(self, other: Counts) -> None:
        for name in (
            "registrations", "confirmed", "waitlisted", "cancelled", "checked_in", "members",
            "past_confirmed", "past_checked_in", "events",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class EventRow:
    event: Event
    counts: Counts = field(default_factory=Counts)

    @property
    def is_past(self) -> bool:
        return self.event.ends_at < timezone.now()


def _member_on_event_day() -> Exists:
    return Exists(
        Membership.objects.filter(
            organisation=OuterRef("organisation"),
            status=MembershipStatus.ACTIVE,
            start__lte=OuterRef("event_day"),
            end__gte=OuterRef("event_day"),
        )
    )


def _aggregates(now: dt.datetime) -> dict[str, Count]:
    confirmed = Q(status=S.CONFIRMED)
    past = Q(event__ends_at__lt=now)
    return {
        "registrations": Count("pk"),
        "confirmed": Count("pk", filter=confirmed),
        "waitlisted": Count("pk", filter=Q(status__in=[S.WAITLISTED, S.OFFERED])),
        "cancelled": Count("pk", filter=Q(status=S.CANCELLED)),
        "checked_in": Count("pk", filter=confirmed & Q(checked_in_at__isnull=False)),
        "members": Count("pk", filter=confirmed & Q(is_member=True)),
        "organisations": Count("organisation", filter=confirmed, distinct=True),
        "past_confirmed": Count("pk", filter=confirmed & past),
        "past_checked_in": Count("pk", filter=confirmed & past & Q(checked_in_at__isnull=False)),
    }


def _registrations(events: QuerySet[Event]) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event__in=events)
        .annotate(event_day=TruncDate("event__starts_at"))
        .annotate(is_member=_member_on_event_day())
        .order_by()
    )


def _counts(row: dict[str, int]) -> Counts:
    return Counts(**{k: v for k, v in row.items() if k in Counts.__dataclass_fields__})


def event_counts(events: Iterable[Event], now: dt.datetime | None = None) -> list[EventRow]:
    """Each event with its counts (one query for all of them)."""
    events = list(events)
    now = now or timezone.now()
    rows = (
        _registrations(Event.objects.filter(pk__in=[e.pk for e in events]))
        .values("event")
        .annotate(**_aggregates(now))
    )
    by_event = {row["event"]: _counts(row) for row in rows}
    result = []
    for event in events:
        counts = by_event.get(event.pk, Counts())
        counts.events = 1
        result.append(EventRow(event=event, counts=counts))
    return result


def year_events(year: int) -> QuerySet[Event]:
    """The events of a year that took or take place: published, starting in `year`."""
    return (
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__year=year)
        .select_related("organiser")
        .order_by("starts_at", "pk")
    )


@dataclass
class YearStatistics:
    year: int
    events: list[EventRow]
    by_kind: list[tuple[str, Counts]]
    total: Counts
    cancelled_events: int


def year_statistics(year: int, now: dt.datetime | None = None) -> YearStatistics:
    """The staff statistics page: every event of the year, each kind, the total (4 queries)."""
    now = now or timezone.now()
    events = list(year_events(year))
    rows = event_counts(events, now)
    kinds: dict[str, Counts] = {kind: Counts() for kind in EventKind.values}
    total = Counts()
    for row in rows:
        kinds[row.event.kind].add(row.counts)
        total.add(row.counts)
    # Distinct organisations do not add up across events: count them per kind and overall.
    qs = _registrations(year_events(year)).filter(status=S.CONFIRMED)
    for item in qs.values("event__kind").annotate(n=Count("organisation", distinct=True)):
        kinds[item["event__kind"]].organisations = item["n"]
    total.organisations = qs.aggregate(n=Count("organisation", distinct=True))["n"]
    cancelled = Event.objects.filter(status=EventStatus.CANCELLED, starts_at__year=year).count()
    labels = dict(EventKind.choices)
    by_kind = [(str(labels[k]), c) for k, c in kinds.items() if c.events]
    return YearStatistics(
        year=year, events=rows, by_kind=by_kind, total=total, cancelled_events=cancelled
    )


def statistics_years(today: dt.date | None = None) -> list[int]:
    """The years with events, and the current one, latest first."""
    today = today or timezone.localdate()
    years = set(
        Event.objects.exclude(status=EventStatus.DRAFT)
        .annotate(year=ExtractYear("starts_at"))
        .values_list("year", flat=True)
        .distinct()
    )
    years.add(today.year)
    return sorted(years, reverse=True)


def counts_per_year(years: Iterable[int], now: dt.datetime | None = None) -> dict[int, Counts]:
    """The figures page's series: each year's totals (two queries; one when no event)."""
    now = now or timezone.now()
    years = list(years)
    events = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__year__in=years)
    per_year = dict(
        events.annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("year", "n")
    )
    result = {year: Counts() for year in years}
    if not per_year:
        return result
    rows = (
        _registrations(events)
        .annotate(year=ExtractYear("event__starts_at"))
        .values("year")
        .annotate(**_aggregates(now))
    )
    for row in rows:
        result[row["year"]] = _counts(row)
    for year, count in per_year.items():
        result[year].events = count
    return result
