"""The calendar's reads: who sees which events, the filters, past years, the price list and
the feed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from grappe.events.models import EventKind, EventStatus, EventVisibility, PriceCategory
from grappe.events.selectors.calendar import (
    CalendarFilters,
    calendar_events,
    calendar_years,
    event_for_viewer,
    event_price_list,
    event_seats,
    feed_events,
)
from grappe.events.selectors.registrations import (
    colleagues_of,
    registrations_of,
    waitlist_positions,
)
from grappe.events.tests.factories import (
    EventFactory,
    PriceFactory,
    RegistrationFactory,
    ticket_of,
)
from grappe.members.models import Competence
from grappe.members.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()
ANONYMOUS = AnonymousUser()


def _at(days: int, hour: int = 9) -> dict[str, dt.datetime]:
    starts = NOW + dt.timedelta(days=days)
    return {
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=hour),
        "registration_opens_at": None,
        "registration_closes_at": starts,
        "cancellation_deadline": starts,
    }


def _slugs(events) -> list[str]:
    return [e.slug for e in events]


def test_upcoming_events_soonest_first_without_drafts_and_members_only_for_members(
    member, registered, staff
):
    # given public, members-only, draft, cancelled and past events
    later = EventFactory(slug="later", **_at(40))
    sooner = EventFactory(slug="sooner", **_at(10))
    club = EventFactory(slug="club", visibility=EventVisibility.MEMBERS, **_at(20))
    EventFactory(slug="draft", status=EventStatus.DRAFT, **_at(15))
    off = EventFactory(slug="off", status=EventStatus.CANCELLED, **_at(30))
    EventFactory(slug="gone", **_at(-30))
    filters = CalendarFilters()
    # when each person opens the calendar
    # then drafts and past events are left out; members-only events only for members/staff
    assert _slugs(calendar_events(viewer=ANONYMOUS, filters=filters)) == ["sooner", "off", "later"]
    assert _slugs(calendar_events(viewer=registered, filters=filters)) == ["sooner", "off", "later"]
    expected = [sooner.slug, club.slug, off.slug, later.slug]
    assert _slugs(calendar_events(viewer=member, filters=filters)) == expected
    assert _slugs(calendar_events(viewer=staff, filters=filters)) == expected


def test_the_filters_narrow_the_calendar(member):
    # given a webinar on the space market in a month, and a conference the month after
    market = Competence.objects.filter(version__is_current=True, facet="market").first()
    first_day = (timezone.localdate() + dt.timedelta(days=62)).replace(day=1)
    in_month = timezone.make_aware(
        dt.datetime.combine(first_day + dt.timedelta(days=3), dt.time(10))
    )
    webinar = EventFactory(
        slug="webinar",
        kind=EventKind.WEBINAR,
        starts_at=in_month,
        ends_at=in_month + dt.timedelta(hours=1),
        registration_closes_at=in_month,
        cancellation_deadline=in_month,
    )
    webinar.competences.add(market)
    EventFactory(slug="conference", **_at(120))
    EventFactory(slug="club", visibility=EventVisibility.MEMBERS, **_at(5))

    def slugs(**filters):
        return _slugs(calendar_events(viewer=member, filters=CalendarFilters(**filters)))

    # when each filter is applied, then only the matching events remain
    assert slugs(kind=EventKind.WEBINAR) == ["webinar"]
    assert slugs(market=market.code) == ["webinar"]
    assert slugs(month=first_day) == ["webinar"]
    assert slugs(members_only=True) == ["club"]


def test_past_events_by_year_latest_first(registered):
    year = timezone.localdate().year - 1
    for month, slug in [(3, "march"), (10, "october")]:
        starts = timezone.make_aware(dt.datetime(year, month, 5, 9))
        EventFactory(
            slug=slug,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=8),
            registration_opens_at=None,
            registration_closes_at=starts,
            cancellation_deadline=starts,
        )
    EventFactory(slug="soon", **_at(5))
    events = calendar_events(viewer=registered, filters=CalendarFilters(year=year))
    assert _slugs(events) == ["october", "march"]
    assert calendar_years(viewer=registered) == [year]


def test_the_calendar_page_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    for days in range(1, 15):
        event = EventFactory(**_at(days))
        event.competences.add(*Competence.objects.filter(facet="market")[:2])
    with django_assert_max_num_queries(3):
        events = list(calendar_events(viewer=ANONYMOUS, filters=CalendarFilters()))
        names = [c.name for e in events for c in e.competences.all()]
    assert len(events) == 14 and len(names) == 28


def test_an_event_is_found_only_by_who_may_see_it(member, registered, staff):
    draft = EventFactory(status=EventStatus.DRAFT)
    club = EventFactory(visibility=EventVisibility.MEMBERS)
    assert event_for_viewer(slug=draft.slug, viewer=registered) is None
    assert event_for_viewer(slug=draft.slug, viewer=staff) == draft
    assert event_for_viewer(slug=club.slug, viewer=ANONYMOUS) is None
    assert event_for_viewer(slug=club.slug, viewer=member) == club
    assert event_for_viewer(slug="no-such-event", viewer=staff) is None


def test_the_price_list_shows_the_price_in_force_and_the_seats(django_assert_max_num_queries):
    # given an event of 3 seats, 2 taken, an early-bird member price until tomorrow
    event = EventFactory(capacity=3)
    member_ticket = ticket_of(event, PriceCategory.MEMBER)
    early = PriceFactory(
        ticket=member_ticket,
        amount=Decimal("70.00"),
        valid_until=timezone.localdate() + dt.timedelta(days=1),
    )
    member_ticket.prices.exclude(pk=early.pk).update(
        valid_from=timezone.localdate() + dt.timedelta(days=2)
    )
    RegistrationFactory.create_batch(2, event=event)
    loaded = event_for_viewer(slug=event.slug, viewer=ANONYMOUS)
    # when the price list is read
    with django_assert_max_num_queries(1):
        seats = event_seats(loaded)
        lines = event_price_list(loaded, seats=seats)
    # then each ticket shows its price in force, and the event has one seat left
    assert (seats.capacity, seats.taken, seats.left, seats.full) == (3, 2, 1, False)
    assert [(line.ticket.category, line.current.amount) for line in lines] == [
        ("member", Decimal("70.00")),
        ("non_member", Decimal("150.00")),
        ("academic", Decimal("60.00")),
        ("guest", Decimal("0.00")),
    ]
    assert [len(line.prices) for line in lines] == [2, 1, 1, 1]


def test_the_public_feed_has_public_events_from_the_last_90_days_on():
    EventFactory(slug="recent", **_at(-30))
    EventFactory(slug="old", **_at(-120))
    EventFactory(slug="next", **_at(3))
    EventFactory(slug="club", visibility=EventVisibility.MEMBERS, **_at(4))
    EventFactory(slug="draft", status=EventStatus.DRAFT, **_at(5))
    assert _slugs(feed_events()) == ["recent", "next"]


def test_my_registrations_include_those_i_made_for_colleagues(member, member_org):
    colleague = PersonFactory()
    AffiliationFactory(person=colleague, organisation=member_org)
    mine = RegistrationFactory(person=member.person)
    theirs = RegistrationFactory(person=colleague, registered_by=member)
    RegistrationFactory()  # somebody else's
    assert set(registrations_of(member)) == {mine, theirs}
    assert [a.person for a in colleagues_of(member)] == [colleague]


def test_waitlist_positions_are_computed_in_one_query(django_assert_num_queries):
    event = EventFactory()
    waiting = [
        RegistrationFactory(
            event=event, status="waitlisted", waitlisted_at=NOW + dt.timedelta(minutes=i)
        )
        for i in range(3)
    ]
    with django_assert_num_queries(1):
        positions = waitlist_positions(list(reversed(waiting)))
    assert positions == {waiting[0].pk: 1, waiting[1].pk: 2, waiting[2].pk: 3}
