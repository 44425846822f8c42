"""Reads for the public calendar: which events a viewer may see, filtered; one event with
its price list and seats; the public feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from grappe.events.models import (
    Event,
    EventStatus,
    EventVisibility,
    Price,
    ProgrammeItem,
    TicketCategory,
)
from grappe.events.permissions import can_see_members_events, can_view_event
from grappe.events.services.pricing import price_in_force
from grappe.events.services.registrations import seats_taken
from grappe.members.models import Competence

LISTED = (EventStatus.PUBLISHED, EventStatus.CANCELLED)
FEED_PAST_DAYS = 90


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar is asked for; empty values do not filter."""

    kind: str = ""
    market: str = ""  # the code of a Competence of facet "market"
    month: dt.date | None = None  # the first day of a month
    members_only: bool = False
    year: int | None = None  # past events of that year, instead of the upcoming ones


def visible_events(viewer: Any) -> QuerySet[Event]:
    """Published and cancelled events the viewer may see listed (members-only events for
    members and staff). Drafts are never listed here: staff have their own pages."""
    events = Event.objects.filter(status__in=LISTED)
    if not can_see_members_events(viewer):
        events = events.filter(visibility=EventVisibility.PUBLIC)
    return events


def calendar_events(
    *, viewer: Any, filters: CalendarFilters, now: dt.datetime | None = None
) -> QuerySet[Event]:
    """Upcoming events (not yet over) soonest first; or the past events of `filters.year`,
    latest first."""
    now = now or timezone.now()
    events = visible_events(viewer).select_related("organiser")
    if filters.year:
        events = events.filter(ends_at__lt=now, starts_at__year=filters.year).order_by(
            "-starts_at", "-id"
        )
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.market:
        events = events.filter(
            competences__code=filters.market,
            competences__facet="market",
            competences__version__is_current=True,
        )
    if filters.month:
        first = timezone.make_aware(dt.datetime.combine(filters.month, dt.time.min))
        following = (filters.month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        last = timezone.make_aware(dt.datetime.combine(following, dt.time.min))
        events = events.filter(starts_at__gte=first, starts_at__lt=last)
    if filters.members_only:
        events = events.filter(visibility=EventVisibility.MEMBERS)
    return events.prefetch_related(
        Prefetch("competences", queryset=Competence.objects.order_by("facet", "position", "code"))
    ).distinct()


def calendar_years(*, viewer: Any, now: dt.datetime | None = None) -> list[int]:
    """The years with past events, latest first (the calendar's archive links)."""
    now = now or timezone.now()
    years = (
        visible_events(viewer)
        .filter(ends_at__lt=now)
        .annotate(year=ExtractYear("starts_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(years)


def event_for_viewer(*, slug: str, viewer: Any) -> Event | None:
    """The event named by `slug` with what its page shows, or None when the viewer may not
    see it (a draft for all but staff, a members-only event for non-members)."""
    event = (
        Event.objects.select_related("organiser")
        .prefetch_related(
            "partners",
            Prefetch("competences", queryset=Competence.objects.order_by("facet", "position")),
            Prefetch("tickets", queryset=_tickets_with_prices()),
            Prefetch(
                "programme",
                queryset=ProgrammeItem.objects.select_related("host").order_by("starts_at", "id"),
            ),
            "questions",
        )
        .filter(slug=slug)
        .first()
    )
    if event is None or not can_view_event(viewer, event):
        return None
    return event


def _tickets_with_prices() -> QuerySet[TicketCategory]:
    return TicketCategory.objects.prefetch_related(
        Prefetch("prices", queryset=Price.objects.order_by("valid_from", "id"))
    ).order_by("position", "id")


@dataclass
class PriceLine:
    """One ticket category of the price list: the price in force today and all its prices."""

    ticket: TicketCategory
    current: Price | None
    prices: list[Price]
    seats_left: int | None  # None: no limit of its own
    full: bool


@dataclass
class Seats:
    capacity: int | None
    taken: int
    left: int | None  # None: no limit
    by_ticket: dict[int, int] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.left is not None and self.left <= 0


def event_seats(event: Event) -> Seats:
    total, by_ticket = seats_taken(event)
    left = None if event.capacity is None else max(event.capacity - total, 0)
    return Seats(capacity=event.capacity, taken=total, left=left, by_ticket=by_ticket)


def event_price_list(
    event: Event, *, on: dt.date | None = None, seats: Seats | None = None
) -> list[PriceLine]:
    """The public price list: every ticket with the price in force on `on` (today)."""
    on = on or timezone.localdate()
    seats = seats or event_seats(event)
    lines = []
    for ticket in event.tickets.all():
        prices = list(ticket.prices.all())
        taken = seats.by_ticket.get(ticket.pk, 0)
        own_left = None if ticket.capacity is None else max(ticket.capacity - taken, 0)
        full = seats.full or own_left == 0
        lines.append(PriceLine(ticket, price_in_force(ticket, on), prices, own_left, full))
    return lines


def feed_events(now: dt.datetime | None = None) -> QuerySet[Event]:
    """The public iCal feed: public published (and cancelled, so calendars learn it) events
    from the last 90 days on."""
    now = now or timezone.now()
    return (
        Event.objects.filter(status__in=LISTED, visibility=EventVisibility.PUBLIC)
        .filter(Q(ends_at__gte=now - dt.timedelta(days=FEED_PAST_DAYS)))
        .order_by("starts_at", "id")
    )
