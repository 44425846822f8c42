"""The price list: the price in force on a day, and who may take which ticket — checked on
the server against the organisation's membership on the day of the event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from grappe.events.models import PriceCategory
from grappe.events.services.pricing import (
    event_day,
    organisation_member_on,
    price_in_force,
    ticket_eligibility,
)
from grappe.events.tests.factories import (
    EventFactory,
    PriceFactory,
    TicketFactory,
    add_ticket,
    ticket_of,
)
from grappe.members.models import MembershipStatus, OrgKind
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def _on(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _contact(kind: str = OrgKind.SME, *, member: bool = True, **membership):
    organisation = OrganisationFactory(kind=kind)
    if member:
        MembershipFactory(organisation=organisation, **membership)
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=organisation)
    return person, organisation


# --- Price in force --------------------------------------------------------------------------


def test_the_early_bird_price_wins_until_its_last_day_then_the_standard_price():
    # given a ticket with a standard price and an early-bird price until 1 March
    ticket = TicketFactory()
    standard = PriceFactory(ticket=ticket, amount=Decimal("150.00"))
    early = PriceFactory(ticket=ticket, amount=Decimal("120.00"), valid_until=dt.date(2027, 3, 1))
    # when the price is asked on 1 March and on 2 March
    # then the early-bird price applies on its last day, the standard price the day after
    assert price_in_force(ticket, dt.date(2027, 3, 1)) == early
    assert price_in_force(ticket, dt.date(2027, 3, 2)) == standard


def test_no_price_is_in_force_outside_every_window():
    # given a ticket priced only from 1 to 31 March
    ticket = TicketFactory()
    PriceFactory(ticket=ticket, valid_from=dt.date(2027, 3, 1), valid_until=dt.date(2027, 3, 31))
    # when the price is asked before and after
    # then there is none
    assert price_in_force(ticket, dt.date(2027, 2, 28)) is None
    assert price_in_force(ticket, dt.date(2027, 4, 1)) is None


def test_a_prefetched_price_list_costs_no_query(django_assert_num_queries):
    # given a ticket whose prices are prefetched
    ticket = TicketFactory()
    PriceFactory(ticket=ticket, valid_from=dt.date(2027, 3, 1))
    ticket = type(ticket).objects.prefetch_related("prices").get(pk=ticket.pk)
    # when the price is asked
    with django_assert_num_queries(0):
        price = price_in_force(ticket, dt.date(2027, 3, 5))
    # then it is found without a query
    assert price.valid_from == dt.date(2027, 3, 1)


def test_the_event_day_is_taken_in_the_event_time_zone():
    # given a mission in Tokyo starting at 8:00 local time (the evening before in Paris)
    tokyo = dt.datetime(2027, 4, 6, 8, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    event = EventFactory(
        time_zone="Asia/Tokyo", starts_at=tokyo, ends_at=tokyo + dt.timedelta(hours=8)
    )
    # when its day is asked
    # then it is the Tokyo date
    assert event_day(event) == dt.date(2027, 4, 6)


# --- Member price ----------------------------------------------------------------------------


def test_a_contact_of_a_member_organisation_may_take_the_member_price():
    # given a contact of an organisation with an active membership this year
    person, organisation = _contact()
    event = EventFactory()
    # when the member ticket's eligibility is asked
    reason = ticket_eligibility(
        ticket=ticket_of(event, PriceCategory.MEMBER),
        person=person,
        organisation=organisation,
        event=event,
    )
    # then it is granted
    assert reason is None


def test_the_member_price_is_refused_without_an_organisation_and_says_why():
    person = PersonFactory()
    event = EventFactory()
    with translation.override("en"):
        reason = ticket_eligibility(
            ticket=ticket_of(event, PriceCategory.MEMBER),
            person=person,
            organisation=None,
            event=event,
        )
    assert reason == (
        "The member price is for contacts of a member organisation: choose your organisation."
    )


def test_the_member_price_is_refused_to_a_non_member_organisation_naming_the_event_day():
    # given a contact of an organisation that never joined, and an event on 12 March
    person, organisation = _contact(member=False)
    organisation.name = "Prospect Optique"
    organisation.save()
    year = timezone.localdate().year + 1
    event = EventFactory(starts_at=_on(dt.date(year, 3, 12)), ends_at=_on(dt.date(year, 3, 12), 17))
    # when the member ticket is asked for
    with translation.override("en"):
        reason = ticket_eligibility(
            ticket=ticket_of(event, PriceCategory.MEMBER),
            person=person,
            organisation=organisation,
            event=event,
        )
    # then the reason names the organisation and the day of the event
    assert reason == (
        f"Prospect Optique is not a member of the cluster on 12 March {year}, the day of the "
        "event: the member price does not apply."
    )


def test_the_member_price_is_refused_in_french_to_a_french_speaker():
    person, organisation = _contact(member=False)
    organisation.name = "Prospect Optique"
    organisation.save()
    year = timezone.localdate().year + 1
    event = EventFactory(starts_at=_on(dt.date(year, 3, 12)), ends_at=_on(dt.date(year, 3, 12), 17))
    with translation.override("fr"):
        reason = ticket_eligibility(
            ticket=ticket_of(event, PriceCategory.MEMBER),
            person=person,
            organisation=organisation,
            event=event,
        )
    assert reason == (
        f"Prospect Optique n'est pas adhérent du pôle le 12 mars {year}, jour de l'événement : "
        "le tarif adhérent ne s'applique pas."
    )


def test_the_member_price_is_refused_to_someone_who_does_not_work_for_the_member():
    # given a member organisation and a person who is not its contact
    _person, organisation = _contact()
    outsider = PersonFactory(first_name="Jean", last_name="Dehors")
    organisation.name = "Lumière Marseille"
    organisation.save()
    event = EventFactory()
    with translation.override("en"):
        reason = ticket_eligibility(
            ticket=ticket_of(event, PriceCategory.MEMBER),
            person=outsider,
            organisation=organisation,
            event=event,
        )
    assert reason == "Jean Dehors is not a current contact of Lumière Marseille."


def test_a_membership_that_ends_before_the_event_does_not_give_the_member_price():
    # given a membership this year that was resigned and ended before the event
    today = timezone.localdate()
    person, organisation = _contact(
        status=MembershipStatus.RESIGNED, ended_at=today, end=today, year=today.year
    )
    event = EventFactory()
    # when the member price is asked for an event in 30 days
    reason = ticket_eligibility(
        ticket=ticket_of(event, PriceCategory.MEMBER),
        person=person,
        organisation=organisation,
        event=event,
    )
    # then it is refused
    assert reason is not None


def test_tacit_renewal_an_active_membership_counts_for_an_event_next_year():
    # given a membership active on 20 November 2026, ending on 31 December 2026
    _person, organisation = _contact(year=2026)
    # when membership is asked for an event on 15 January 2027, seen from 20 November 2026
    # then the organisation counts as a member (renewal is tacit)
    assert organisation_member_on(organisation, dt.date(2027, 1, 15), today=TODAY) is True


def test_tacit_renewal_stops_with_a_recorded_resignation():
    # given a membership active today whose resignation is recorded (ended_at) for year end
    _person, organisation = _contact(year=2026, ended_at=dt.date(2026, 11, 1))
    # when membership is asked for an event next January
    # then it does not count
    assert organisation_member_on(organisation, dt.date(2027, 1, 15), today=TODAY) is False


def test_tacit_renewal_stops_when_next_years_record_says_resigned():
    _person, organisation = _contact(year=2026)
    MembershipFactory(organisation=organisation, year=2027, status=MembershipStatus.RESIGNED)
    assert organisation_member_on(organisation, dt.date(2027, 1, 15), today=TODAY) is False


def test_tacit_renewal_is_assumed_for_the_next_year_only():
    _person, organisation = _contact(year=2026)
    assert organisation_member_on(organisation, dt.date(2027, 12, 31), today=TODAY) is True
    assert organisation_member_on(organisation, dt.date(2028, 1, 3), today=TODAY) is False


def test_a_lapsed_membership_is_not_renewed_tacitly():
    _person, organisation = _contact(year=2026, status=MembershipStatus.LAPSED)
    assert organisation_member_on(organisation, dt.date(2027, 1, 15), today=TODAY) is False


# --- Academic, student, guest ----------------------------------------------------------------


def test_the_academic_price_is_for_research_and_education_organisations():
    # given a researcher of a lab and an engineer of an SME
    researcher, lab = _contact(OrgKind.LAB, member=False)
    engineer, sme = _contact(OrgKind.SME, member=False)
    sme.name = "Photonique SAS"
    sme.save()
    event = EventFactory()
    academic = ticket_of(event, PriceCategory.ACADEMIC)
    # when each asks for the academic price
    with translation.override("en"):
        lab_reason = ticket_eligibility(
            ticket=academic, person=researcher, organisation=lab, event=event
        )
        sme_reason = ticket_eligibility(
            ticket=academic, person=engineer, organisation=sme, event=event
        )
    # then the lab's researcher may take it, the SME's engineer is told why not
    assert lab_reason is None
    assert sme_reason == (
        "Photonique SAS is not a research or education organisation: the academic price does "
        "not apply."
    )


def test_the_student_price_needs_the_declaration_and_a_university_or_lab():
    # given an event with a student price, a student of a university and an SME employee
    event = EventFactory()
    student_ticket = add_ticket(event, PriceCategory.STUDENT, "20.00")
    student, university = _contact(OrgKind.UNIVERSITY, member=False)
    employee, sme = _contact(OrgKind.SME, member=False)
    with translation.override("en"):
        undeclared = ticket_eligibility(
            ticket=student_ticket, person=student, organisation=university, event=event
        )
        declared = ticket_eligibility(
            ticket=student_ticket,
            person=student,
            organisation=university,
            event=event,
            student=True,
        )
        wrong_place = ticket_eligibility(
            ticket=student_ticket, person=employee, organisation=sme, event=event, student=True
        )
    assert undeclared == "Declare that you are a student to take the student price."
    assert declared is None
    assert wrong_place == (
        "The student price needs an affiliation to a university or a lab: choose it as your "
        "organisation."
    )


def test_invitation_tickets_are_for_staff_to_give(staff):
    # given the event's guest ticket (by invitation)
    person = PersonFactory()
    event = EventFactory()
    guest = ticket_of(event, PriceCategory.GUEST)
    # when a person asks for it, and when staff register them on it
    with translation.override("en"):
        refused = ticket_eligibility(ticket=guest, person=person, organisation=None, event=event)
    granted = ticket_eligibility(
        ticket=guest, person=person, organisation=None, event=event, actor=staff
    )
    # then only staff may
    assert refused == (
        "This ticket is by invitation: the cluster's team registers speakers and guests."
    )
    assert granted is None


def test_the_non_member_price_is_open_to_anyone():
    event = EventFactory()
    reason = ticket_eligibility(
        ticket=ticket_of(event, PriceCategory.NON_MEMBER),
        person=PersonFactory(),
        organisation=None,
        event=event,
    )
    assert reason is None
