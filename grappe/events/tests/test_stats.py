"""Event statistics: counts per event, per kind and per year, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from grappe.events.models import EventKind, EventStatus, RegistrationStatus
from grappe.events.selectors.stats import (
    counts_per_year,
    event_counts,
    statistics_years,
    year_statistics,
)
from grappe.events.tests.factories import EventFactory, RegistrationFactory
from grappe.members.models import MembershipStatus
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus
NOW = timezone.make_aware(dt.datetime(2031, 9, 1, 12))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def on(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def event_on(day: dt.date, **fields):
    fields = {"registration_opens_at": None, "registration_closes_at": None,
              "cancellation_deadline": None, **fields}  # fmt: skip
    return EventFactory(starts_at=on(day), ends_at=on(day, 17), **fields)


@pytest.fixture
def member_2031():
    organisation = OrganisationFactory(name="Adhérent 2031")
    MembershipFactory(organisation=organisation, year=2031, start=dt.date(2031, 1, 1),
                      end=dt.date(2031, 12, 31))  # fmt: skip
    return organisation


@pytest.fixture
def resigned_in_march():
    organisation = OrganisationFactory(name="Parti en mars")
    MembershipFactory(organisation=organisation, year=2031, status=MembershipStatus.RESIGNED,
                      start=dt.date(2031, 1, 1), end=dt.date(2031, 3, 31))  # fmt: skip
    return organisation


def test_counts_of_a_past_event(member_2031, resigned_in_march):
    # given a past event in June 2031: three confirmed (two came), one waiting, one offered,
    # one cancelled, one expired offer
    event = event_on(dt.date(2031, 6, 10))
    came = {"checked_in_at": on(dt.date(2031, 6, 10), 9)}
    RegistrationFactory(event=event, organisation=member_2031, **came)
    RegistrationFactory(event=event, organisation=member_2031)
    RegistrationFactory(event=event, organisation=resigned_in_march, **came)
    RegistrationFactory(event=event, status=S.WAITLISTED, waitlisted_at=NOW)
    RegistrationFactory(event=event, status=S.OFFERED, offer_expires_at=NOW)
    RegistrationFactory(event=event, status=S.CANCELLED)
    RegistrationFactory(event=event, status=S.EXPIRED)
    # when its counts are read
    [row] = event_counts([event], now=NOW)
    c = row.counts
    # then each figure is exact; members are judged on 10 June (March's resignation counts)
    assert (c.registrations, c.confirmed, c.waitlisted, c.cancelled, c.checked_in) == (
        7,
        3,
        2,
        1,
        2,
    )
    assert (c.members, c.non_members, c.organisations) == (2, 1, 2)
    assert c.attendance_rate == Decimal("66.7")
    assert c.member_share == Decimal("66.7")


def test_an_upcoming_event_has_no_attendance_rate(member_2031):
    event = event_on(dt.date(2031, 10, 1))
    RegistrationFactory(event=event, organisation=member_2031)
    [row] = event_counts([event], now=NOW)
    assert (row.counts.confirmed, row.counts.attendance_rate) == (1, None)


def test_year_statistics_by_kind_with_distinct_organisations(
    member_2031, django_assert_max_num_queries
):
    # given three published events in 2031 (two conferences, a workshop), a draft, a
    # cancelled event and a 2030 event; the member organisation comes to all three
    conference_1 = event_on(dt.date(2031, 3, 1))
    conference_2 = event_on(dt.date(2031, 5, 1))
    workshop = event_on(dt.date(2031, 7, 1), kind=EventKind.WORKSHOP)
    for event in (conference_1, conference_2, workshop):
        RegistrationFactory(event=event, organisation=member_2031, checked_in_at=event.starts_at)
        RegistrationFactory(event=event)
    RegistrationFactory(event=event_on(dt.date(2031, 4, 1), status=EventStatus.DRAFT))
    event_on(dt.date(2031, 4, 2), status=EventStatus.CANCELLED)
    RegistrationFactory(event=event_on(dt.date(2030, 4, 1)))
    # when the year's statistics are read
    with django_assert_max_num_queries(5):
        stats = year_statistics(2031, now=NOW)
    # then the kinds add up and organisations are counted once
    kinds = {label: c for label, c in stats.by_kind}
    assert [row.event for row in stats.events] == [conference_1, conference_2, workshop]
    assert (kinds["Conference"].events, kinds["Conference"].confirmed) == (2, 4)
    assert (kinds["Conference"].organisations, kinds["Workshop"].organisations) == (1, 1)
    assert (stats.total.events, stats.total.confirmed, stats.total.checked_in) == (3, 6, 3)
    assert stats.total.organisations == 1
    assert stats.total.attendance_rate == Decimal("50.0")
    assert stats.cancelled_events == 1


def test_the_number_of_queries_does_not_grow_with_events(django_assert_max_num_queries):
    for n in range(15):
        RegistrationFactory.create_batch(
            3, event=event_on(dt.date(2031, 1, 1) + dt.timedelta(days=n))
        )
    with django_assert_max_num_queries(5):
        stats = year_statistics(2031, now=NOW)
    with django_assert_max_num_queries(2):
        per_year = counts_per_year([2030, 2031], now=NOW)
    assert stats.total.confirmed == 45
    assert (per_year[2031].events, per_year[2031].confirmed, per_year[2030].events) == (15, 45, 0)


def test_statistics_years_list_the_years_with_events():
    event_on(dt.date(2029, 5, 1))
    event_on(dt.date(2027, 5, 1), status=EventStatus.DRAFT)
    assert statistics_years(today=dt.date(2031, 1, 5)) == [2031, 2029]
