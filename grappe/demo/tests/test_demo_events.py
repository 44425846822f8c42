"""The demo's events part, loaded once (small) for this module: what the loader guarantees."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from grappe.demo import events_words as w
from grappe.demo import vocabulary as words
from grappe.demo.events import plan_events
from grappe.demo.load import load_demo, rng_for
from grappe.demo.tests.support import demo_in_transaction
from grappe.events.models import (
    SEAT_HOLDING,
    Event,
    EventKind,
    EventStatus,
    EventVisibility,
    ExhibitorApplication,
    ExhibitorStatus,
    MissionApplication,
    MissionApplicationStatus,
    Price,
    PriceCategory,
    Registration,
    RegistrationStatus,
)
from grappe.events.services.pricing import event_day, organisation_member_on
from grappe.members.models import RESEARCH_KINDS

pytestmark = pytest.mark.django_db
S = RegistrationStatus
TICKETED = [EventKind.CONFERENCE, EventKind.WORKSHOP, EventKind.WEBINAR, EventKind.TRAINING,
            EventKind.GENERAL_ASSEMBLY]  # fmt: skip


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """The small demo (cluster and events), loaded in a transaction that this module's tests
    share (each test runs in a savepoint inside it), rolled back when the module is done."""
    with demo_in_transaction(django_db_blocker, size="small") as summary:
        yield summary


def midnight() -> dt.datetime:
    return dt.datetime.combine(
        timezone.localdate(), dt.time(0), tzinfo=timezone.get_current_timezone()
    )


def login_person(role: str, summary):
    from grappe.members.models import Person

    return Person.objects.select_related("user").get(user__email=dict(summary.logins)[role])


def test_a_calendar_of_every_kind_with_one_cancelled_event_last_year(small_demo):
    # given the demo's events
    kinds = Counter(Event.objects.values_list("kind", flat=True))
    # then every kind is there, two fairs a year and a general assembly in June
    assert set(kinds) == set(EventKind.values)
    assert kinds[EventKind.TRADE_FAIR] >= 3
    assert {e.starts_at.month for e in Event.objects.filter(kind="general_assembly")} == {6}
    # and exactly one event is cancelled, in the past year, with its registrants told why
    cancelled = Event.objects.get(status=EventStatus.CANCELLED)
    assert timezone.now() - dt.timedelta(days=366) < cancelled.starts_at < timezone.now()
    assert cancelled.cancel_reason == w.EVENT_CANCEL_REASON
    registrations = cancelled.registrations.all()
    assert registrations.exists()
    assert {r.status for r in registrations} == {S.CANCELLED}
    assert {r.cancel_reason for r in registrations} == {w.EVENT_CANCEL_REASON[:300]}
    # and every other event is published, in French and English
    assert Event.objects.exclude(status=EventStatus.PUBLISHED).count() == 1
    for event in Event.objects.all():
        assert event.title_fr and event.title_en and event.summary_fr and event.summary_en
        assert event.description_fr and event.description_en and event.published_at
        assert "lorem" not in (event.description_fr + event.description_en).lower()


def test_every_ticketed_event_has_a_price_list_with_vat_and_a_justified_member_price(small_demo):
    # given the events people register for by ticket
    for event in Event.objects.filter(kind__in=TICKETED).prefetch_related("tickets__prices"):
        tickets = list(event.tickets.all())
        # then each has a ticket anyone may take, and every ticket a price at 20 % VAT
        assert any(not t.invitation_only for t in tickets), event.slug
        for ticket in tickets:
            prices = list(ticket.prices.all())
            assert prices and {p.vat_rate for p in prices} == {Decimal("20.00")}, event.slug
        # and a member price below the non-member one is explained in both languages
        if event.pricing_basis != "free":
            assert event.pricing_note_fr == w.PRICING_NOTE[0]
            assert event.pricing_note_en == w.PRICING_NOTE[1]
    # and conferences have the five categories, an early-bird window and two questions
    for conference in Event.objects.filter(kind=EventKind.CONFERENCE):
        categories = set(conference.tickets.values_list("category", flat=True))
        assert categories == set(PriceCategory.values)
        assert conference.tickets.get(category="guest").invitation_only
        assert (
            Price.objects.filter(ticket__event=conference, valid_until__isnull=False).count() == 2
        )
        assert conference.questions.count() == 2
        assert conference.programme.count() == len(w.CONFERENCE_DAY)
        assert conference.partners.exists() and conference.competences.exists()
    # and webinars are online, the others at a venue
    for event in Event.objects.filter(kind__in=TICKETED):
        if event.kind == EventKind.WEBINAR:
            assert event.online_url and event.is_online
        else:
            assert event.venue_name and event.city and not event.online_url


def test_no_event_holds_more_seats_than_its_capacity_and_some_are_full(small_demo):
    # given the seats held per event
    held = dict(
        Registration.objects.filter(status__in=SEAT_HOLDING)
        .values_list("event")
        .annotate(n=Count("id"))
        .values_list("event", "n")
    )
    full = 0
    for event in Event.objects.filter(capacity__isnull=False):
        # then none holds more than its capacity
        assert held.get(event.pk, 0) <= event.capacity, event.slug
        full += held.get(event.pk, 0) == event.capacity
    # and at least one is full with a waitlist
    assert full >= 1
    assert Registration.objects.filter(status=S.WAITLISTED).exists()


def test_member_prices_only_for_members_on_the_event_day_and_academic_for_research(small_demo):
    # given every registration on a member or an academic ticket
    member = Registration.objects.filter(ticket__category=PriceCategory.MEMBER).select_related(
        "event", "organisation"
    )
    assert member.count() > 20
    checked: dict[tuple[int, dt.date], bool] = {}
    for registration in member:
        key = (registration.organisation_id, event_day(registration.event))
        if key not in checked:
            checked[key] = organisation_member_on(registration.organisation, key[1])
        # then the organisation was a member on the day of the event
        assert checked[key], registration.pk
    # and academic prices went to research and education bodies only
    academic = Registration.objects.filter(ticket__category=PriceCategory.ACADEMIC)
    assert academic.exists()
    assert set(academic.values_list("organisation__kind", flat=True)) <= set(RESEARCH_KINDS)
    # and members-only events have registrants of member organisations only
    for registration in Registration.objects.filter(
        event__visibility=EventVisibility.MEMBERS
    ).select_related("event", "organisation"):
        assert organisation_member_on(registration.organisation, event_day(registration.event))


def test_past_events_have_check_ins_and_upcoming_ones_none(small_demo):
    # given the events and their registrations
    now = timezone.now()
    totals = Counter[str]()
    for event in Event.objects.filter(kind__in=TICKETED, status=EventStatus.PUBLISHED):
        confirmed = event.registrations.filter(status=S.CONFIRMED)
        came = event.registrations.filter(checked_in_at__isnull=False)
        if event.ends_at < now:
            # then past ones saw confirmed registrants only come in, most of them (75-90 %
            # drawn), and no offer of a freed seat is left pending after the start
            assert came.exclude(status=S.CONFIRMED).count() == 0
            assert came.count() >= 1 or confirmed.count() < 3, event.slug
            assert not event.registrations.filter(status=S.OFFERED).exists()
            totals["confirmed"] += confirmed.count()
            totals["came"] += came.count()
        else:
            # and upcoming ones none: nothing happened after today but registrations
            assert not came.exists(), event.slug
    assert 0.65 <= totals["came"] / totals["confirmed"] <= 0.95
    # and no registration moment is today or later
    limit = midnight()
    for field in ("confirmed_at", "waitlisted_at", "offered_at", "cancelled_at", "checked_in_at"):
        assert not Registration.objects.filter(**{f"{field}__gte": limit}).exists(), field


def test_the_demo_member_has_a_confirmed_conference_and_waits_for_a_full_workshop(small_demo):
    # given the demo member's registrations for events to come
    lucas = login_person("member", small_demo)
    upcoming = Registration.objects.filter(person=lucas, event__starts_at__gt=timezone.now())
    # then a conference seat is confirmed, with a ticket code, at the member price
    seat = upcoming.get(status=S.CONFIRMED, event__kind=EventKind.CONFERENCE)
    assert seat.code and seat.ticket.category == PriceCategory.MEMBER
    assert seat.registered_by == lucas.user
    assert seat.organisation.name == words.FEATURED.name
    # and he is on the waitlist of a workshop whose seats are all taken
    waiting = upcoming.get(status=S.WAITLISTED)
    assert waiting.event.kind == EventKind.WORKSHOP
    held = waiting.event.registrations.filter(status__in=SEAT_HOLDING).count()
    assert held == waiting.event.capacity == 15


def test_the_org_admin_registered_a_colleague_and_applied_for_the_next_pavilion(small_demo):
    # given the demo's organisation administrator
    sophie = login_person("org_admin", small_demo)
    # then she registered a colleague of her organisation for an event to come
    colleague = Registration.objects.get(
        registered_by=sophie.user, event__starts_at__gt=timezone.now()
    )
    assert colleague.person != sophie and colleague.status == S.CONFIRMED
    assert colleague.organisation.name == words.FEATURED.name
    # and she applied in its name for the pavilion of the next trade fair
    next_fair = Event.objects.filter(
        kind=EventKind.TRADE_FAIR, starts_at__gt=timezone.now()
    ).earliest("starts_at")
    application = ExhibitorApplication.objects.get(pavilion__event=next_fair, applicant=sophie)
    assert application.organisation.name == words.FEATURED.name
    assert application.status in {ExhibitorStatus.SUBMITTED, ExhibitorStatus.ALLOCATED}


def test_the_registered_person_without_organisation_pays_the_non_member_price(small_demo):
    nadia = login_person("registered", small_demo)
    registration = Registration.objects.get(person=nadia)
    assert registration.event.starts_at > timezone.now()
    assert registration.status == S.CONFIRMED and registration.organisation is None
    assert registration.ticket.category == PriceCategory.NON_MEMBER and registration.amount > 0
    assert registration.registered_by == nadia.user


def test_staff_have_an_event_tomorrow_with_people_to_check_in(small_demo):
    # given the events of the next three days
    soon = Event.objects.filter(
        starts_at__gt=timezone.now(), starts_at__lt=timezone.now() + dt.timedelta(days=4)
    ).annotate(seats=Count("registrations", filter=Q(registrations__status=S.CONFIRMED)))
    # then one has confirmed registrations, nobody checked in yet
    event = next(e for e in soon if e.seats >= 5)
    assert not event.registrations.filter(checked_in_at__isnull=False).exists()


def test_the_fairs_have_a_pavilion_with_one_exhibitor_per_booth(small_demo):
    past = Event.objects.filter(kind=EventKind.TRADE_FAIR, ends_at__lt=timezone.now())
    assert past.count() >= 2
    for fair in Event.objects.filter(kind=EventKind.TRADE_FAIR).select_related("pavilion"):
        pavilion = fair.pavilion
        assert Decimal(30) <= pavilion.cluster_share <= Decimal(50)
        booths = list(pavilion.booths.all())
        assert all(Decimal(9) <= b.area_m2 <= Decimal(18) for b in booths)
        assert {b.pricing for b in booths} <= {"per_m2", "flat"}
        allocated = pavilion.applications.filter(status=ExhibitorStatus.ALLOCATED)
        booth_ids = list(allocated.values_list("booth", flat=True))
        # then each allocated exhibitor has its own booth of the pavilion
        assert len(booth_ids) == len(set(booth_ids))
        assert set(booth_ids) <= {b.pk for b in booths}
        if fair in past:
            assert 3 <= len(booth_ids) <= 8, fair.slug
            refused = pavilion.applications.filter(status=ExhibitorStatus.REFUSED)
            assert all(a.decision_reason in w.EXHIBITOR_REFUSALS for a in refused)


def test_the_mission_selects_within_its_places_with_the_regions_cost_share(small_demo):
    # given the last past trade mission
    mission_event = Event.objects.filter(
        kind=EventKind.TRADE_MISSION, ends_at__lt=timezone.now()
    ).latest("starts_at")
    mission = mission_event.mission
    applications = mission.applications.all()
    selected = applications.filter(status=MissionApplicationStatus.SELECTED)
    # then the selected fill at most the places, each with the co-funded part frozen
    assert 6 <= selected.count() <= mission.places
    assert mission.cofunder == w.COFUNDER and mission.cofunded_share == Decimal(50)
    for application in selected:
        assert application.cost == mission.cost_per_participant
        assert application.cofunded == (application.cost / 2).quantize(Decimal("0.01"))
        assert application.decision_reason
    # and there is a reserve list, and the others were told why
    statuses = Counter(applications.values_list("status", flat=True))
    assert (
        statuses[MissionApplicationStatus.RESERVE] + statuses[MissionApplicationStatus.WITHDRAWN]
        >= 1
    )
    assert all(
        a.decision_reason for a in applications.exclude(status__in=["selected", "withdrawn"])
    )
    # and the programme is set in the destination's time zone, during the mission
    zone = zoneinfo.ZoneInfo(mission_event.time_zone)
    first = mission_event.starts_at.astimezone(zone).date()
    last = mission_event.ends_at.astimezone(zone).date()
    items = list(mission_event.programme.all())
    assert len(items) == len(w.MISSION_DAYS)
    assert all(first <= i.starts_at.astimezone(zone).date() <= last for i in items)
    assert mission_event.time_zone != "Europe/Paris"


def test_a_second_load_changes_nothing(small_demo):
    # given the number of rows of every table
    tables = set(connection.introspection.table_names())

    def counts() -> dict[str, int]:
        return {
            m._meta.label: m._default_manager.count()
            for m in apps.get_models()
            if m._meta.db_table in tables
        }

    before = counts()
    # when the demo is loaded again
    summary = load_demo(size="small")
    # then both parts are skipped and nothing changed
    assert summary.skipped is True
    assert counts() == before
    assert MissionApplication.objects.count() == before["events.MissionApplication"]


@pytest.mark.parametrize("size", ["full", "small"])
def test_the_calendar_holds_whatever_the_day_of_the_year(size):
    # given twelve days through the year, on which the demo may be loaded
    for month in range(1, 13):
        today = dt.date(2026, month, 1 + (month * 5) % 27)
        plans = plan_events(rng_for("events", size), size, today)
        cutoff = dt.datetime.combine(today, dt.time(0), tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
        # then the demo logins' events, the cancelled one and the next fair are there, once
        roles = Counter(p.role for p in plans if p.role)
        assert roles == dict.fromkeys(["soon", "full", "conference", "cancelled", "next_fair"], 1)
        # and every kind of event, with past fairs and a past mission, all published already
        assert {p.kind for p in plans} == set(EventKind.values), today
        assert sum(p.kind == EventKind.TRADE_FAIR and p.ends < cutoff for p in plans) >= 2
        assert any(p.kind == EventKind.TRADE_MISSION and p.ends < cutoff for p in plans)
        assert all(p.published is not None and p.published < cutoff for p in plans)
        # and the season runs to the end of a June at least six months away
        last = max(p.starts.date() for p in plans)
        assert last.month in (5, 6) and (dt.date(last.year, 6, 30) - today).days >= 180
