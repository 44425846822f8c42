"""Registration services: seats and the waitlist, eligibility, colleagues, questions,
cancellation, offers from the waitlist and their expiry, check-in, cancelling an event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from grappe.core.models import AuditEntry
from grappe.events.models import (
    EventStatus,
    EventVisibility,
    PriceCategory,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from grappe.events.services import events as event_services
from grappe.events.services import registrations as services
from grappe.events.services.registrations import (
    event_cancel,
    offer_confirm,
    offer_decline,
    offers_expire,
    registration_cancel,
    registration_check_in,
    registration_create,
    registration_create_for_new_colleague,
    waitlist_promote,
)
from grappe.events.services.tickets import ticket_token
from grappe.events.tests.factories import EventFactory, QuestionFactory, ticket_of
from grappe.members.models import Affiliation, AffiliationRole, OrgKind, Person
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = RegistrationStatus
NOW = timezone.now()


def someone(organisation=None, *, language="fr", admin=False, **person):
    """A person with a login, optionally a contact of `organisation`."""
    user = UserFactory()
    who = PersonFactory(user=user, email=user.email, language=language, **person)
    if organisation is not None:
        AffiliationFactory(person=who, organisation=organisation, is_admin=admin)
    return user


def register(user, event, category=PriceCategory.NON_MEMBER, organisation=None, **kwargs):
    return registration_create(
        actor=user,
        event=event,
        person=user.person,
        ticket=ticket_of(event, category),
        organisation=organisation,
        **kwargs,
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the mail hooks of the block as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- Taking a seat ---------------------------------------------------------------------------


def test_a_member_registers_at_the_member_price_and_gets_the_ticket(
    member, member_org, mailoutbox, commit
):
    # given a published event with seats and the member price at €90
    event = EventFactory(title_fr="Journée lasers")
    # when a contact of the member organisation registers on the member ticket
    with commit():
        registration = register(member, event, PriceCategory.MEMBER, member_org)
    # then the seat is confirmed at the price in force, frozen on the registration
    registration.refresh_from_db()
    assert (registration.status, registration.amount, registration.vat_rate) == (
        S.CONFIRMED, Decimal("90.00"), Decimal("20.00"),
    )  # fmt: skip
    assert registration.price_label == "Adhérent"
    assert registration.registered_by == member
    assert registration.organisation == member_org
    assert len(registration.code) == 8 and registration.code.isupper()
    assert registration.confirmed_at is not None and registration.waitlisted_at is None
    assert AuditEntry.objects.filter(action="registration.create").count() == 1
    # and the person receives the confirmation in French with the QR code and the .ics
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member.person.email]
    assert mail.subject == "Votre inscription est confirmée : Journée lasers"
    assert [(name, kind) for name, _content, kind in mail.attachments] == [
        (f"ticket-{registration.code}.png", "image/png"),
        (f"{event.slug}.ics", "text/calendar"),
    ]
    assert mail.attachments[0][1][:8] == b"\x89PNG\r\n\x1a\n"
    assert registration.code in mail.body


def test_the_mail_is_in_the_registrants_language(member_org, mailoutbox, commit):
    user = someone(member_org, language="en")
    event = EventFactory(title_en="Laser day")
    with commit():
        register(user, event, PriceCategory.MEMBER, member_org)
    assert mailoutbox[0].subject == "Your registration is confirmed: Laser day"


def test_the_last_seat_goes_to_the_first_and_the_next_person_joins_the_waitlist(mailoutbox, commit):
    # given an event with one seat
    event = EventFactory(capacity=1)
    first, second = someone(), someone()
    # when two people register one after the other
    with commit():
        one = register(first, event)
        two = register(second, event)
    # then the first has the seat, the second waits with a place in line
    assert (one.status, two.status) == (S.CONFIRMED, S.WAITLISTED)
    assert two.waitlisted_at is not None and two.confirmed_at is None
    assert services.waitlist_position(two) == 1
    assert mailoutbox[1].subject.startswith("Vous êtes sur la liste d'attente")
    assert "Votre rang dans la file : 1" in mailoutbox[1].body
    assert mailoutbox[1].attachments == []


def test_a_full_ticket_category_waitlists_while_other_tickets_still_have_seats():
    # given 10 seats in all, but the academic ticket limited to 1
    event = EventFactory(capacity=10)
    academic = ticket_of(event, PriceCategory.ACADEMIC)
    academic.capacity = 1
    academic.save()
    lab = OrganisationFactory(kind=OrgKind.LAB)
    a, b, c = someone(lab), someone(lab), someone()
    # when two researchers take the academic ticket and a third person the non-member one
    first = register(a, event, PriceCategory.ACADEMIC, lab)
    second = register(b, event, PriceCategory.ACADEMIC, lab)
    third = register(c, event)
    # then the second researcher waits while the third person has a seat
    assert [first.status, second.status, third.status] == [S.CONFIRMED, S.WAITLISTED, S.CONFIRMED]


def test_registering_twice_is_refused_and_changes_nothing(member, mailoutbox, commit):
    # given a member already registered
    event = EventFactory()
    register(member, event)
    mailoutbox.clear()
    # when they register again
    with translation.override("en"), pytest.raises(ValidationError) as error, commit():
        register(member, event)
    # then they are told, and nothing was written or sent
    assert error.value.message_dict == {
        "person": [f"{member.person.full_name} is already registered for this event."]
    }
    assert Registration.objects.filter(event=event).count() == 1
    assert mailoutbox == []


def test_the_database_constraint_is_turned_into_the_same_message(member, monkeypatch):
    # given the service's own check skipped (as when two requests race past it)
    event = EventFactory()
    register(member, event)
    monkeypatch.setattr(
        "grappe.events.services.registrations.creation._check_registrant", lambda *args: None
    )
    # when the person is registered again
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(member, event)
    # then the unique constraint's error becomes the clear message
    assert error.value.message_dict == {
        "person": [f"{member.person.full_name} is already registered for this event."]
    }
    assert Registration.objects.filter(event=event).count() == 1


def test_someone_on_the_waitlist_is_told_so_when_registering_again():
    event = EventFactory(capacity=0)
    user = someone()
    register(user, event)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(user, event)
    assert error.value.message_dict == {
        "person": [f"{user.person.full_name} is already on the waitlist of this event."]
    }


def test_a_refused_price_says_why_on_the_ticket_and_writes_nothing(registered, mailoutbox):
    # given a person without any organisation
    event = EventFactory()
    # when they ask for the member price
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(registered, event, PriceCategory.MEMBER)
    # then the refusal names the ticket, and nothing is written
    assert error.value.message_dict == {
        "ticket": [
            "The member price is for contacts of a member organisation: choose your organisation."
        ]
    }
    assert Registration.objects.count() == 0
    assert mailoutbox == []


def test_one_cannot_come_for_an_organisation_one_does_not_work_for(registered, member_org):
    event = EventFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(registered, event, organisation=member_org)
    assert error.value.message_dict == {
        "organisation": [
            f"{registered.person.full_name} is not a current contact of Lumière Marseille."
        ]
    }
    assert Registration.objects.count() == 0


def test_the_contact_is_checked_on_the_day_of_the_registration(registered, member_org):
    # given a person who becomes a contact of the organisation in ten days
    AffiliationFactory(
        person=registered.person,
        organisation=member_org,
        start=timezone.localdate() + dt.timedelta(days=10),
    )
    event = EventFactory(
        starts_at=NOW + dt.timedelta(days=40), ends_at=NOW + dt.timedelta(days=40, hours=8)
    )
    # when the registration is made on the eleventh day, then it is accepted for the organisation
    later = register(registered, event, organisation=member_org, now=NOW + dt.timedelta(days=11))
    assert later.organisation == member_org
    # and, made today, it would have been refused
    later.delete()
    with pytest.raises(ValidationError):
        register(registered, event, organisation=member_org, now=NOW)


def test_a_ticket_of_another_event_is_refused(registered):
    event, other = EventFactory(), EventFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        registration_create(
            actor=registered,
            event=event,
            person=registered.person,
            ticket=ticket_of(other, PriceCategory.NON_MEMBER),
        )
    assert error.value.message_dict == {"ticket": ["This ticket is not one of this event's."]}


def test_no_price_in_force_today_is_refused(registered):
    event = EventFactory()
    ticket = ticket_of(event, PriceCategory.NON_MEMBER)
    ticket.prices.update(valid_from=timezone.localdate() + dt.timedelta(days=5))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(registered, event)
    assert error.value.message_dict == {"ticket": ["This ticket has no price in force today."]}


# --- The registration window -----------------------------------------------------------------


def test_registration_before_the_window_opens_is_refused(registered):
    opens = NOW + dt.timedelta(days=2)
    event = EventFactory(registration_opens_at=opens)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(registered, event, now=NOW)
    assert list(error.value.message_dict) == ["event"]
    assert error.value.message_dict["event"][0].startswith("Registration opens on ")
    assert Registration.objects.count() == 0


def test_registration_after_the_window_closes_is_refused_but_staff_may_still_add_people(staff):
    # given an event whose registration closed yesterday (the price list is still valid)
    event = EventFactory(registration_closes_at=NOW - dt.timedelta(days=1))
    user = someone()
    # when a person registers, then staff register them
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(user, event, now=NOW)
    by_staff = registration_create(
        actor=staff,
        event=event,
        person=user.person,
        ticket=ticket_of(event, PriceCategory.NON_MEMBER),
        now=NOW,
    )
    # then the person is told it is closed; staff's registration goes through
    assert error.value.message_dict == {"event": ["Registration is closed."]}
    assert by_staff.status == S.CONFIRMED


def test_a_cancelled_event_takes_no_registration(registered):
    event = EventFactory(status=EventStatus.CANCELLED)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(registered, event)
    assert error.value.message_dict == {"event": ["This event is cancelled."]}


def test_a_draft_is_not_open_to_people(registered):
    event = EventFactory(status=EventStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        register(registered, event)
    assert Registration.objects.count() == 0


def test_a_members_only_event_is_closed_to_non_members(registered, member, member_org):
    event = EventFactory(visibility=EventVisibility.MEMBERS)
    with pytest.raises(PermissionDenied):
        register(registered, event)
    assert register(member, event, PriceCategory.MEMBER, member_org).status == S.CONFIRMED


# --- Colleagues ------------------------------------------------------------------------------


def test_a_contact_registers_a_colleague_of_the_same_organisation(
    member, member_org, mailoutbox, commit
):
    # given a colleague at the same member organisation
    colleague = PersonFactory(first_name="Chloé", language="en")
    AffiliationFactory(person=colleague, organisation=member_org)
    event = EventFactory()
    # when the member registers them on the member ticket
    with commit():
        registration = registration_create(
            actor=member,
            event=event,
            person=colleague,
            ticket=ticket_of(event, PriceCategory.MEMBER),
            organisation=member_org,
        )
    # then the colleague is registered by the member and receives the mail in English
    assert (registration.person, registration.registered_by) == (colleague, member)
    assert [m.to for m in mailoutbox] == [[colleague.email]]
    assert mailoutbox[0].body.startswith("Hello Chloé,")


def test_nobody_registers_a_person_of_another_organisation(member, member_org, other_member):
    event = EventFactory()
    stranger = other_member.person
    with pytest.raises(PermissionDenied):
        registration_create(
            actor=member,
            event=event,
            person=stranger,
            ticket=ticket_of(event, PriceCategory.NON_MEMBER),
            organisation=member_org,
        )
    with pytest.raises(PermissionDenied):
        registration_create(
            actor=member,
            event=event,
            person=stranger,
            ticket=ticket_of(event, PriceCategory.NON_MEMBER),
        )
    assert Registration.objects.count() == 0


def test_an_administrator_registers_a_new_colleague_by_name_and_mail(org_admin, member_org):
    # given an event and the administrator of a member organisation
    event = EventFactory()
    # when they register a colleague not known yet
    registration = registration_create_for_new_colleague(
        actor=org_admin,
        event=event,
        organisation=member_org,
        first_name="Inès",
        last_name="Nouvelle",
        email="Ines.Nouvelle@lumiere.example",
        ticket=ticket_of(event, PriceCategory.MEMBER),
    )
    # then the person, a confirmed affiliation and the registration exist
    person = Person.objects.get(email="ines.nouvelle@lumiere.example")
    assert (person.first_name, person.last_name) == ("Inès", "Nouvelle")
    affiliation = Affiliation.objects.get(person=person)
    assert (affiliation.organisation, affiliation.status) == (member_org, "confirmed")
    assert (registration.person, registration.status, registration.amount) == (
        person, S.CONFIRMED, Decimal("90.00"),
    )  # fmt: skip


def test_a_contact_who_is_not_administrator_cannot_add_a_new_colleague(member, member_org):
    event = EventFactory()
    people = Person.objects.count()
    with pytest.raises(PermissionDenied):
        registration_create_for_new_colleague(
            actor=member,
            event=event,
            organisation=member_org,
            first_name="Inès",
            last_name="Nouvelle",
            email="ines@lumiere.example",
            ticket=ticket_of(event, PriceCategory.MEMBER),
        )
    assert Person.objects.count() == people
    assert Registration.objects.count() == 0


def test_a_refused_registration_of_a_new_colleague_leaves_no_new_contact(org_admin, member_org):
    # given an event whose registration is closed
    event = EventFactory(registration_closes_at=NOW - dt.timedelta(hours=1))
    people, affiliations = Person.objects.count(), Affiliation.objects.count()
    # when the administrator tries to register a new colleague
    with pytest.raises(ValidationError):
        registration_create_for_new_colleague(
            actor=org_admin,
            event=event,
            organisation=member_org,
            first_name="Inès",
            last_name="Nouvelle",
            email="ines@lumiere.example",
            ticket=ticket_of(event, PriceCategory.MEMBER),
        )
    # then nothing is left behind
    assert (Person.objects.count(), Affiliation.objects.count()) == (people, affiliations)


def test_a_new_colleague_needs_a_name(org_admin, member_org):
    event = EventFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        registration_create_for_new_colleague(
            actor=org_admin,
            event=event,
            organisation=member_org,
            first_name=" ",
            last_name="",
            email="x@example.org",
            ticket=ticket_of(event, PriceCategory.MEMBER),
        )
    assert error.value.message_dict == {
        "first_name": ["Give the colleague's first name."],
        "last_name": ["Give the colleague's last name."],
    }


# --- Questions -------------------------------------------------------------------------------


def test_answers_are_checked_and_kept_by_question(registered):
    # given an event asking for a diet (one choice), workshops (several) and parking (yes/no)
    event = EventFactory()
    diet = QuestionFactory(
        event=event, kind=QuestionKind.CHOICE, choices_fr="Standard\nVégétarien", required=True
    )
    workshops = QuestionFactory(event=event, kind=QuestionKind.CHOICES, choices_fr="A\nB\nC")
    parking = QuestionFactory(event=event, kind=QuestionKind.YES_NO, required=True)
    note = QuestionFactory(event=event, kind=QuestionKind.TEXT)
    # when the person answers them
    registration = register(
        registered,
        event,
        answers={diet.pk: "Végétarien", str(workshops.pk): ["A", "C"], parking.pk: False},
    )
    # then the answers are kept by question id; the unanswered optional one is left out
    assert registration.answers == {
        str(diet.pk): "Végétarien",
        str(workshops.pk): ["A", "C"],
        str(parking.pk): False,
    }
    assert str(note.pk) not in registration.answers


def test_wrong_answers_are_named_by_question_and_nothing_is_written(registered):
    event = EventFactory()
    diet = QuestionFactory(
        event=event, kind=QuestionKind.CHOICE, choices_fr="Standard\nVégétarien", required=True
    )
    workshops = QuestionFactory(event=event, kind=QuestionKind.CHOICES, choices_fr="A\nB")
    parking = QuestionFactory(event=event, kind=QuestionKind.YES_NO, required=True)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(
            registered, event, answers={str(workshops.pk): ["A", "Z"], str(parking.pk): "maybe"}
        )
    assert error.value.message_dict == {
        f"question_{diet.pk}": ["This question needs an answer."],
        f"question_{workshops.pk}": ["Choose among the proposed answers."],
        f"question_{parking.pk}": ["Answer yes or no."],
    }
    assert Registration.objects.count() == 0


def test_an_answer_to_an_unknown_question_is_refused(registered):
    event = EventFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        register(registered, event, answers={"999999": "Bonjour"})
    assert error.value.message_dict == {"answers": ["Unknown question: 999999."]}


# --- Cancelling and the waitlist -------------------------------------------------------------


def test_cancelling_offers_the_seat_to_the_first_on_the_waitlist(mailoutbox, commit):
    # given a full event with two people waiting
    event = EventFactory(capacity=1, offer_hours=48)
    holder, first, second = someone(), someone(), someone()
    seat = register(holder, event, now=NOW)
    waiting_1 = register(first, event, now=NOW + dt.timedelta(minutes=1))
    waiting_2 = register(second, event, now=NOW + dt.timedelta(minutes=2))
    mailoutbox.clear()
    # when the holder cancels
    later = NOW + dt.timedelta(hours=1)
    with commit():
        registration_cancel(actor=holder, registration=seat, reason="Empêché", now=later)
    # then the first in line is offered the seat for 48 hours; the second still waits
    seat.refresh_from_db()
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert (seat.status, seat.cancelled_by, seat.cancel_reason) == (S.CANCELLED, holder, "Empêché")
    assert waiting_1.status == S.OFFERED
    assert waiting_1.offer_expires_at == later + dt.timedelta(hours=48)
    assert waiting_2.status == S.WAITLISTED
    assert [m.to for m in mailoutbox] == [[holder.person.email], [first.person.email]]
    assert mailoutbox[1].subject.startswith("Une place s'est libérée pour vous")


def test_an_offer_never_outlasts_the_start_of_the_event():
    # given an event starting in 10 hours, 48 hours to confirm, full with one waiting
    starts = NOW + dt.timedelta(hours=10)
    event = EventFactory(
        capacity=1,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
        registration_closes_at=starts,
        cancellation_deadline=starts,
    )
    holder, waiting = someone(), someone()
    seat = register(holder, event, now=NOW)
    queued = register(waiting, event, now=NOW)
    # when the seat is freed
    registration_cancel(actor=holder, registration=seat, now=NOW)
    # then the offer ends when the event starts
    queued.refresh_from_db()
    assert queued.offer_expires_at == starts


def test_confirming_an_offer_gives_the_seat_and_the_ticket(mailoutbox, commit):
    event = EventFactory(capacity=1)
    holder, waiting = someone(), someone()
    seat = register(holder, event, now=NOW)
    queued = register(waiting, event, now=NOW)
    registration_cancel(actor=holder, registration=seat, now=NOW)
    mailoutbox.clear()
    with commit():
        confirmed = offer_confirm(
            actor=waiting, registration=queued, now=NOW + dt.timedelta(hours=2)
        )
    assert (confirmed.status, confirmed.confirmed_at) == (S.CONFIRMED, NOW + dt.timedelta(hours=2))
    assert len(mailoutbox) == 1 and len(mailoutbox[0].attachments) == 2


def test_an_offer_confirmed_too_late_is_refused_and_the_next_person_gets_it(mailoutbox, commit):
    # given an offer of 24 hours and someone else waiting behind
    event = EventFactory(capacity=1, offer_hours=24)
    holder, first, second = someone(), someone(), someone()
    seat = register(holder, event, now=NOW)
    offered = register(first, event, now=NOW)
    behind = register(second, event, now=NOW + dt.timedelta(seconds=1))
    registration_cancel(actor=holder, registration=seat, now=NOW)
    mailoutbox.clear()
    # when the first tries to confirm after 25 hours
    with translation.override("en"), pytest.raises(ValidationError) as error, commit():
        offer_confirm(actor=first, registration=offered, now=NOW + dt.timedelta(hours=25))
    # then they are told it has gone; the offer expired and the next person holds it now
    # (the expiry is written even though the confirmation was refused: it is a fact)
    assert error.value.message_dict == {
        "registration": ["The offered seat was not confirmed in time: it went to the next person."]
    }
    offered.refresh_from_db()
    behind.refresh_from_db()
    assert (offered.status, behind.status) == (S.EXPIRED, S.OFFERED)


def test_expired_offers_are_processed_by_offers_expire_and_the_tick_command(mailoutbox, commit):
    # given an offer of 24 hours with someone behind
    event = EventFactory(capacity=1, offer_hours=24)
    holder, first, second = someone(), someone(), someone()
    seat = register(holder, event, now=NOW)
    offered = register(first, event, now=NOW)
    behind = register(second, event, now=NOW + dt.timedelta(seconds=1))
    registration_cancel(actor=holder, registration=seat, now=NOW)
    mailoutbox.clear()
    # when nothing happens for 23 hours, then for 25 hours
    assert offers_expire(now=NOW + dt.timedelta(hours=23)) == 0
    with commit():
        expired = offers_expire(now=NOW + dt.timedelta(hours=25))
    # then the offer expires once, and the seat goes to the next person
    offered.refresh_from_db()
    behind.refresh_from_db()
    assert expired == 1
    assert (offered.status, behind.status) == (S.EXPIRED, S.OFFERED)
    assert behind.offer_expires_at == NOW + dt.timedelta(hours=49)
    assert [m.to for m in mailoutbox] == [[first.person.email], [second.person.email]]
    # and the management command finds nothing more to do
    call_command("events_tick", verbosity=0)
    behind.refresh_from_db()
    assert behind.status == S.OFFERED


def test_the_tick_command_expires_offers_now(capsys):
    event = EventFactory(capacity=1, offer_hours=1)
    holder, first = someone(), someone()
    seat = register(holder, event, now=NOW - dt.timedelta(hours=3))
    offered = register(first, event, now=NOW - dt.timedelta(hours=3))
    registration_cancel(actor=holder, registration=seat, now=NOW - dt.timedelta(hours=2))
    call_command("events_tick")
    offered.refresh_from_db()
    assert offered.status == S.EXPIRED
    assert capsys.readouterr().out.strip() == "1 expired offer(s) processed."


def test_declining_an_offer_passes_the_seat_on():
    event = EventFactory(capacity=1)
    holder, first, second = someone(), someone(), someone()
    seat = register(holder, event, now=NOW)
    offered = register(first, event, now=NOW)
    behind = register(second, event, now=NOW + dt.timedelta(seconds=1))
    registration_cancel(actor=holder, registration=seat, now=NOW)
    offer_decline(actor=first, registration=offered, now=NOW)
    offered.refresh_from_db()
    behind.refresh_from_db()
    assert (offered.status, behind.status) == (S.CANCELLED, S.OFFERED)


def test_one_cannot_confirm_what_was_not_offered(registered):
    event = EventFactory()
    registration = register(registered, event)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        offer_confirm(actor=registered, registration=registration)
    assert error.value.message_dict == {
        "registration": ["No seat is offered on this registration."]
    }


def test_someone_else_cannot_answer_an_offer(registered, other_member):
    event = EventFactory(capacity=1)
    holder = someone()
    seat = register(holder, event, now=NOW)
    queued = register(registered, event, now=NOW)
    registration_cancel(actor=holder, registration=seat, now=NOW)
    with pytest.raises(PermissionDenied):
        offer_confirm(actor=other_member, registration=queued)
    queued.refresh_from_db()
    assert queued.status == S.OFFERED


def test_the_waitlist_is_first_come_first_served_but_skips_a_full_ticket():
    # given 2 seats, the academic ticket limited to 1 and taken; a researcher waits first,
    # then a non-member; and one non-member seat holder
    event = EventFactory(capacity=2)
    academic = ticket_of(event, PriceCategory.ACADEMIC)
    academic.capacity = 1
    academic.save()
    lab = OrganisationFactory(kind=OrgKind.LAB)
    r1, r2, n1, n2 = someone(lab), someone(lab), someone(), someone()
    register(r1, event, PriceCategory.ACADEMIC, lab, now=NOW)
    holder = register(n1, event, now=NOW)
    researcher = register(r2, event, PriceCategory.ACADEMIC, lab, now=NOW + dt.timedelta(seconds=1))
    outsider = register(n2, event, now=NOW + dt.timedelta(seconds=2))
    # when the non-member seat is freed
    registration_cancel(actor=n1, registration=holder, now=NOW)
    # then the researcher, whose ticket is full, lets the non-member by
    researcher.refresh_from_db()
    outsider.refresh_from_db()
    assert (researcher.status, outsider.status) == (S.WAITLISTED, S.OFFERED)


def test_raising_the_capacity_offers_the_new_seats_in_order():
    event = EventFactory(capacity=1)
    register(someone(), event, now=NOW)
    first = register(someone(), event, now=NOW + dt.timedelta(seconds=1))
    second = register(someone(), event, now=NOW + dt.timedelta(seconds=2))
    third = register(someone(), event, now=NOW + dt.timedelta(seconds=3))
    event.capacity = 3
    event.save()
    promoted = waitlist_promote(event=event, now=NOW)
    assert [r.pk for r in promoted] == [first.pk, second.pk]
    third.refresh_from_db()
    assert third.status == S.WAITLISTED


def test_staff_raising_the_event_capacity_offer_the_new_seats_at_once(staff, mailoutbox, commit):
    # given a full event of one seat with two people waiting
    event = EventFactory(capacity=1)
    register(someone(), event, now=NOW)
    first = register(someone(), event, now=NOW + dt.timedelta(seconds=1))
    second = register(someone(), event, now=NOW + dt.timedelta(seconds=2))
    mailoutbox.clear()
    # when staff raise the capacity to two in the event editor
    with commit():
        event_services.event_update(actor=staff, event=event, data={"capacity": 2})
    # then the first in line is offered the seat and told so; the second still waits
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.OFFERED, S.WAITLISTED)
    assert [m.to for m in mailoutbox] == [[first.person.email]]


def test_staff_raising_a_ticket_capacity_offer_its_new_seats(staff):
    # given an event with room, whose member ticket (one seat) is full with one member waiting
    event = EventFactory(capacity=10)
    ticket = ticket_of(event, PriceCategory.NON_MEMBER)
    ticket.capacity = 1
    ticket.save()
    register(someone(), event, now=NOW)
    waiting = register(someone(), event, now=NOW + dt.timedelta(seconds=1))
    assert waiting.status == S.WAITLISTED
    # when staff give the ticket three seats
    event_services.ticket_update(actor=staff, ticket=ticket, data={"capacity": 3})
    # then the person waiting is offered one
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED


def test_changing_an_event_without_raising_its_capacity_offers_nothing(staff):
    # given a full event with one person waiting (a seat freed by a direct change)
    event = EventFactory(capacity=1)
    register(someone(), event, now=NOW)
    waiting = register(someone(), event, now=NOW + dt.timedelta(seconds=1))
    # when staff change only its title
    event_services.event_update(actor=staff, event=event, data={"title_en": "Laser day"})
    # then the waitlist does not move
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED


def test_a_registration_after_a_capacity_rise_serves_the_waitlist_first():
    # given a full event with one person waiting, then a seat added without promoting
    event = EventFactory(capacity=1)
    register(someone(), event, now=NOW)
    waiting = register(someone(), event, now=NOW)
    type(event).objects.filter(pk=event.pk).update(capacity=2)
    # when a newcomer registers
    newcomer = register(someone(), event, now=NOW)
    # then the seat went to the person waiting, and the newcomer waits
    waiting.refresh_from_db()
    assert (waiting.status, newcomer.status) == (S.OFFERED, S.WAITLISTED)


def test_cancelling_after_the_deadline_is_refused_to_the_registrant_but_not_to_staff(
    registered, staff, mailoutbox
):
    # given a registration and a deadline that has passed
    deadline = NOW + dt.timedelta(days=1)
    event = EventFactory(cancellation_deadline=deadline)
    registration = register(registered, event, now=NOW)
    mailoutbox.clear()
    # when the registrant cancels after it
    with translation.override("en"), pytest.raises(ValidationError) as error:
        registration_cancel(
            actor=registered, registration=registration, now=deadline + dt.timedelta(minutes=1)
        )
    # then it is refused and nothing changed
    assert list(error.value.message_dict) == ["registration"]
    assert error.value.message_dict["registration"][0].startswith(
        "Registrations can be cancelled online until "
    )
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert mailoutbox == []
    # but staff may cancel it
    registration_cancel(
        actor=staff, registration=registration, now=deadline + dt.timedelta(hours=1)
    )
    registration.refresh_from_db()
    assert (registration.status, registration.cancelled_by) == (S.CANCELLED, staff)


def test_without_a_deadline_registrants_may_cancel_until_the_start(registered):
    event = EventFactory(cancellation_deadline=None)
    registration = register(registered, event, now=NOW)
    with pytest.raises(ValidationError):
        registration_cancel(
            actor=registered,
            registration=registration,
            now=event.starts_at + dt.timedelta(minutes=1),
        )
    registration_cancel(actor=registered, registration=registration, now=event.starts_at)
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_leaving_the_waitlist_is_allowed_after_the_deadline(registered):
    deadline = NOW + dt.timedelta(days=1)
    event = EventFactory(capacity=0, cancellation_deadline=deadline)
    queued = register(registered, event, now=NOW)
    registration_cancel(actor=registered, registration=queued, now=deadline + dt.timedelta(hours=1))
    queued.refresh_from_db()
    assert queued.status == S.CANCELLED


def test_cancelling_twice_is_refused(registered):
    event = EventFactory()
    registration = register(registered, event)
    registration_cancel(actor=registered, registration=registration)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        registration_cancel(actor=registered, registration=registration)
    assert error.value.message_dict == {"registration": ["This registration is already cancelled."]}


def test_someone_else_cannot_cancel_a_registration(registered, other_member):
    event = EventFactory()
    registration = register(registered, event)
    with pytest.raises(PermissionDenied):
        registration_cancel(actor=other_member, registration=registration)
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_who_registered_a_colleague_may_cancel_it(member, member_org):
    colleague = PersonFactory()
    AffiliationFactory(person=colleague, organisation=member_org, role=AffiliationRole.SALES)
    event = EventFactory()
    registration = registration_create(
        actor=member,
        event=event,
        person=colleague,
        ticket=ticket_of(event, PriceCategory.NON_MEMBER),
        organisation=member_org,
    )
    registration_cancel(actor=member, registration=registration)
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_no_offer_is_made_once_the_event_has_started(staff):
    event = EventFactory(capacity=1)
    holder, waiting = someone(), someone()
    seat = register(holder, event, now=NOW)
    queued = register(waiting, event, now=NOW)
    registration_cancel(actor=staff, registration=seat, now=event.starts_at)
    queued.refresh_from_db()
    assert queued.status == S.WAITLISTED


# --- Check-in --------------------------------------------------------------------------------


def test_staff_check_in_by_typed_code_in_any_case_and_with_spaces(staff, registered):
    event = EventFactory()
    registration = register(registered, event)
    typed = f" {registration.code[:4].lower()} {registration.code[4:].lower()} "
    result = registration_check_in(actor=staff, event=event, code=typed, now=NOW)
    registration.refresh_from_db()
    assert (result.registration, result.already, result.at) == (registration, False, NOW)
    assert (registration.checked_in_at, registration.checked_in_by) == (NOW, staff)
    assert AuditEntry.objects.filter(action="registration.check_in").count() == 1


def test_staff_check_in_by_scanned_token_and_a_second_scan_says_already(staff, registered):
    event = EventFactory()
    registration = register(registered, event)
    token = ticket_token(registration)
    registration_check_in(actor=staff, event=event, code=token, now=NOW)
    again = registration_check_in(
        actor=staff, event=event, code=token, now=NOW + dt.timedelta(minutes=5)
    )
    assert (again.already, again.at) == (True, NOW)
    assert AuditEntry.objects.filter(action="registration.check_in").count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown", "No ticket has this code."),
        ("forged", "This QR code is not a ticket of ours."),
        ("other_event", "This ticket is for another event: Other day."),
        ("cancelled", "This registration was cancelled."),
        ("waitlisted", "This person is on the waitlist and has no seat."),
        ("empty", "Type the ticket's code or scan its QR code."),
    ],
)
def test_check_in_refusals_say_why(staff, case, message):
    event = EventFactory(capacity=1)
    other = EventFactory(title_en="Other day")
    seat = register(someone(), event)
    waiting = register(someone(), event)
    elsewhere = register(someone(), other)
    gone = register(someone(), other)
    registration_cancel(actor=staff, registration=gone)
    gone.event = event
    Registration.objects.filter(pk=gone.pk).update(event=event)
    codes = {
        "unknown": "ZZZZ ZZZZ",
        "forged": f"{seat.code}:forged-signature",
        "other_event": elsewhere.code,
        "cancelled": gone.code,
        "waitlisted": waiting.code,
        "empty": "  ",
    }
    with translation.override("en"), pytest.raises(ValidationError) as error:
        registration_check_in(actor=staff, event=event, code=codes[case])
    assert error.value.message_dict == {"code": [message]}
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0


def test_only_staff_check_people_in(member, registered):
    event = EventFactory()
    registration = register(registered, event)
    with pytest.raises(PermissionDenied):
        registration_check_in(actor=member, event=event, code=registration.code)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


# --- Cancelling an event ---------------------------------------------------------------------


def test_cancelling_an_event_tells_every_registrant_in_their_language(staff, mailoutbox, commit):
    # given a seat holder (French), someone offered a seat (English) and someone waiting
    event = EventFactory(capacity=2, title_fr="Journée lasers", title_en="Laser day")
    holder = someone()
    leaving = someone()
    offered_user = someone(language="en")
    waiting_user = someone()
    register(holder, event, now=NOW)
    seat = register(leaving, event, now=NOW)
    offered = register(offered_user, event, now=NOW)
    register(someone(), event, now=NOW)  # second in line
    waiting = register(waiting_user, event, now=NOW + dt.timedelta(seconds=1))
    registration_cancel(actor=leaving, registration=seat, now=NOW)
    offered.refresh_from_db()
    assert offered.status == S.OFFERED
    mailoutbox.clear()
    # when staff cancel the event
    with commit():
        event_cancel(actor=staff, event=event, reason="Salle indisponible", now=NOW)
    # then the event is cancelled and every active registration ends with the reason
    event.refresh_from_db()
    assert (event.status, event.cancel_reason, event.cancelled_at) == (
        EventStatus.CANCELLED, "Salle indisponible", NOW,
    )  # fmt: skip
    assert set(Registration.objects.filter(event=event).values_list("status", flat=True)) == {
        S.CANCELLED
    }
    # and each of the four active registrants got one mail in their own language
    subjects = sorted(m.subject for m in mailoutbox)
    assert len(mailoutbox) == 4
    assert subjects.count("Événement annulé : Journée lasers") == 3
    assert subjects.count("Event cancelled: Laser day") == 1
    assert {m.to[0] for m in mailoutbox} >= {holder.person.email, waiting_user.person.email}
    waiting.refresh_from_db()
    assert waiting.cancel_reason == "Salle indisponible"
    entry = AuditEntry.objects.get(action="event.cancel")
    assert entry.changes["registrations_cancelled"] == [None, 4]


def test_cancelling_an_event_needs_a_reason_and_staff(staff, member, mailoutbox):
    event = EventFactory()
    register(someone(), event)
    mailoutbox.clear()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        event_cancel(actor=staff, event=event, reason="  ")
    assert error.value.message_dict == {
        "reason": ["Give the reason: it is sent to every registrant."]
    }
    with pytest.raises(PermissionDenied):
        event_cancel(actor=member, event=event, reason="Pourquoi pas")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert Registration.objects.filter(status=S.CONFIRMED).count() == 1
    assert mailoutbox == []


def test_an_event_is_cancelled_once(staff):
    event = EventFactory(status=EventStatus.CANCELLED)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        event_cancel(actor=staff, event=event, reason="Encore")
    assert error.value.message_dict == {"status": ["This event is already cancelled."]}


def test_members_of_an_organisation_whose_membership_ended_pay_the_non_member_price(member_org):
    # given a membership ended today (resigned) and a contact of that organisation
    today = timezone.localdate()
    member_org.memberships.update(status="resigned", ended_at=today, end=today)
    user = someone(member_org)
    event = EventFactory()
    # when they ask for the member price
    with pytest.raises(ValidationError) as error:
        register(user, event, PriceCategory.MEMBER, member_org)
    # then it is refused on the ticket; the non-member price is open
    assert list(error.value.message_dict) == ["ticket"]
    assert register(user, event, PriceCategory.NON_MEMBER, member_org).amount == Decimal("150.00")


def test_next_years_membership_gives_the_member_price_for_next_years_event():
    # given an organisation whose membership for next year is already active
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, year=timezone.localdate().year + 1)
    user = someone(organisation)
    next_year = timezone.localdate().year + 1
    starts = timezone.make_aware(dt.datetime(next_year, 2, 10, 9))
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=8))
    assert register(user, event, PriceCategory.MEMBER, organisation).status == S.CONFIRMED
