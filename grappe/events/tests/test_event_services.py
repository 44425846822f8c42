"""Staff write events: the event, its price list, its questions and programme; publishing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.events.models import (
    Event,
    EventKind,
    EventStatus,
    Price,
    PriceCategory,
    PricingBasis,
    ProgrammeItem,
    Question,
    QuestionKind,
    RegistrationStatus,
    TicketCategory,
)
from grappe.events.services import events as services
from grappe.events.tests.factories import (
    BoothFactory,
    EventFactory,
    PavilionFactory,
    PriceFactory,
    RegistrationFactory,
    TicketFactory,
)
from grappe.members.models import Competence, Facet, TaxonomyVersion
from grappe.members.selectors import competences_current

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(days: int, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def event_data(**overrides):
    data = {
        "kind": EventKind.CONFERENCE, "visibility": "public", "title_fr": "Journée lasers",
        "title_en": "Laser day", "summary_fr": "Exposés et rencontres.", "starts_at": at(30, 9),
        "ends_at": at(30, 17), "time_zone": "Europe/Paris", "venue_name": "Hôtel technologique",
        "city": "Marseille", "country": "FR", "pricing_basis": PricingBasis.COST, "capacity": 80,
        "offer_hours": 48,
    }  # fmt: skip
    return {**data, **overrides}


def draft(**fields) -> Event:
    fields = {"status": EventStatus.DRAFT, "published_at": None, **fields}
    return EventFactory(**fields)


# --- Creating and editing --------------------------------------------------------------------


def test_staff_create_a_draft_with_a_slug_from_the_title(staff):
    # given staff and two competences of the current taxonomy
    lasers = competences_current(Facet.TECHNOLOGY).first()
    space = competences_current(Facet.MARKET).first()
    # when they create an event
    event = services.event_create(
        actor=staff, data=event_data(competences=[lasers, space], partners=[])
    )
    # then it is a draft with an address made from the title and year, audited
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert event.slug == f"journee-lasers-{at(30).year}"
    assert event.created_by == staff
    assert set(event.competences.all()) == {lasers, space}
    assert list(audit_for(event).values_list("action", flat=True)) == ["event.create"]


def test_a_second_event_with_the_same_title_gets_another_address(staff):
    # given an event already called "Journée lasers" this year
    first = services.event_create(actor=staff, data=event_data())
    # when staff create another with the same title
    second = services.event_create(actor=staff, data=event_data())
    # then its address ends in -2
    assert second.slug == f"{first.slug}-2"


def test_someone_not_staff_cannot_create_an_event(member):
    # when a member tries to create an event
    with pytest.raises(PermissionDenied):
        services.event_create(actor=member, data=event_data())
    # then nothing is written
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": at(29)}, "ends_at", "The event cannot end before it starts."),
        ({"time_zone": "Mars/Olympus"}, "time_zone",
         "Choose a time zone from the list (e.g. Europe/Paris)."),
        ({"registration_opens_at": at(10), "registration_closes_at": at(5)},
         "registration_closes_at", "Registration cannot close before it opens."),
        ({"registration_closes_at": at(31)}, "registration_closes_at",
         "Registration must close before the event ends."),
        ({"cancellation_deadline": at(30, 10)}, "cancellation_deadline",
         "The cancellation deadline must be before the event starts."),
        ({"title_fr": ""}, "title_fr", "This field cannot be blank."),
    ],
)  # fmt: skip
def test_bad_event_data_is_refused_on_its_field(staff, overrides, field, message):
    # when staff create an event with one bad value
    with pytest.raises(ValidationError) as refused:
        services.event_create(actor=staff, data=event_data(**overrides))
    # then the field is named with the reason, and nothing is written
    assert refused.value.message_dict[field] == [message]
    assert Event.objects.count() == 0


@pytest.mark.parametrize("slug", ["my", "registrations"])
def test_an_address_of_the_sites_own_pages_is_refused(staff, slug):
    # when staff give an event the address of one of the calendar's own pages
    with pytest.raises(ValidationError) as refused:
        services.event_create(actor=staff, data=event_data(slug=slug))
    # then it is refused on the address, and nothing is written
    assert refused.value.message_dict == {
        "slug": ["This address is one of the site's own pages: choose another."]
    }
    assert not Event.objects.exists()


def test_competences_of_an_old_taxonomy_are_refused(staff):
    # given a competence of a taxonomy version that is not current
    old = TaxonomyVersion.objects.create(code="2019.1")
    stale = Competence.objects.create(
        version=old, code="tech.old", facet=Facet.TECHNOLOGY, name_fr="Ancien", name_en="Old"
    )
    # when staff tag an event with it
    with pytest.raises(ValidationError) as refused:
        services.event_create(actor=staff, data=event_data(competences=[stale]))
    # then it is refused
    assert refused.value.message_dict == {
        "competences": ["Choose competences of the current taxonomy."]
    }
    assert Event.objects.count() == 0


def test_an_image_needs_a_description(staff):
    # given an uploaded image without its text alternative
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = SimpleUploadedFile("affiche.png", b"\x89PNG\r\n", content_type="image/png")
    # when staff create the event
    with pytest.raises(ValidationError) as refused:
        services.event_create(actor=staff, data=event_data(image=image, image_alt=" "))
    # then the description is asked for
    assert refused.value.message_dict == {
        "image_alt": ["Describe the image for people who cannot see it."]
    }


def test_the_organiser_is_not_also_a_partner(staff, member_org):
    with pytest.raises(ValidationError) as refused:
        services.event_create(
            actor=staff, data=event_data(organiser=member_org, partners=[member_org])
        )
    assert refused.value.message_dict == {"partners": ["The organiser is not also a partner."]}


def test_update_changes_the_event_and_records_what_changed(staff):
    # given a draft
    event = draft(capacity=50)
    # when staff raise its capacity and change its city
    services.event_update(actor=staff, event=event, data={"capacity": 60, "city": "Toulon"})
    # then the change is saved and audited with before and after
    event.refresh_from_db()
    assert (event.capacity, event.city) == (60, "Toulon")
    entry = audit_for(event).get()
    assert entry.action == "event.update"
    assert entry.changes == {"capacity": [50, 60], "city": ["Marseille", "Toulon"]}


def test_capacity_cannot_drop_below_the_seats_held(staff):
    # given an event with three confirmed seats
    event = EventFactory(capacity=10)
    RegistrationFactory.create_batch(3, event=event)
    # when staff set its capacity to two
    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=staff, event=event, data={"capacity": 2})
    # then it is refused and the capacity stays
    assert refused.value.message_dict == {
        "capacity": ["3 people already hold a seat: the capacity cannot be lower."]
    }
    event.refresh_from_db()
    assert event.capacity == 10


def test_a_fair_with_a_pavilion_stays_a_trade_fair(staff):
    pavilion = PavilionFactory()
    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=staff, event=pavilion.event, data={"kind": "conference"})
    assert refused.value.message_dict == {
        "kind": ["This event has a pavilion: it stays a trade fair."]
    }


def test_a_cancelled_event_cannot_change(staff):
    event = EventFactory(status=EventStatus.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        services.event_update(actor=staff, event=event, data={"city": "Nice"})
    assert refused.value.messages == ["This event was cancelled; it cannot change."]
    event.refresh_from_db()
    assert event.city == "Marseille"


# --- Publishing ------------------------------------------------------------------------------


def test_a_complete_draft_is_published(staff):
    # given a draft with a price list (member 90, non-member 150 with a note on prices)
    event = draft(pricing_note_fr="Les cotisations des adhérents financent la journée.")
    # when staff publish it
    now = timezone.now()
    services.event_publish(actor=staff, event=event, now=now)
    # then it is published from now on, and audited
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at == now
    assert list(audit_for(event).values_list("action", flat=True)) == ["event.publish"]


def test_an_incomplete_draft_is_refused_with_every_reason(staff):
    # given a draft without summary, place or ticket
    event = draft(summary_fr="", venue_name="", city="", price_list=False)
    # when staff publish it
    with pytest.raises(ValidationError) as refused:
        services.event_publish(actor=staff, event=event)
    # then each missing piece is named, and it stays a draft
    assert refused.value.message_dict == {
        "summary_fr": ["Write a summary in French: the calendar shows it."],
        "city": ["Give a venue or a city, or an online link."],
        "tickets": ["Add a ticket that anyone may take (not by invitation)."],
    }
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_a_lower_member_price_needs_a_note(staff):
    # given the factory's price list: members pay 90, non-members 150; no note
    event = draft()
    # then publishing asks why members pay less
    assert services.event_publish_problems(event) == {
        "pricing_note_fr": [
            "Explain in the note on prices why members pay less (e.g. their dues fund it)."
        ]
    }


def test_every_ticket_needs_a_price_and_no_day_without_one(staff):
    # given a free draft whose guest ticket has no price and whose public ticket has an
    # early-bird price ending before the standard price starts
    event = draft(price_list=False, pricing_basis=PricingBasis.FREE)
    public = TicketFactory(event=event, category=PriceCategory.NON_MEMBER)
    today = timezone.localdate()
    PriceFactory(ticket=public, amount=0, valid_until=today + dt.timedelta(days=5))
    PriceFactory(ticket=public, amount=0, valid_from=today + dt.timedelta(days=8))
    TicketFactory(event=event, category=PriceCategory.GUEST, invitation_only=True)
    # then both are named
    gap = (today + dt.timedelta(days=6)).isoformat()
    assert services.event_publish_problems(event) == {
        "tickets": [
            f"The ticket “Non-member” has no price on {gap}, while registration is open.",
            "Give a price to the ticket “Speaker or guest” (zero when it is free).",
        ]
    }


def test_first_day_without_price_follows_consecutive_windows():
    # given an early-bird price until the 10th and a standard one from the 11th
    d = dt.date
    early = Price(valid_from=None, valid_until=d(2026, 5, 10))
    standard = Price(valid_from=d(2026, 5, 11), valid_until=None)
    # then every day is covered, and without the standard price the 11th is not
    assert services.first_day_without_price([standard, early], d(2026, 5, 1), d(2026, 6, 1)) is None
    assert services.first_day_without_price([early], d(2026, 5, 1), d(2026, 6, 1)) == d(2026, 5, 11)


def test_a_trade_fair_needs_a_pavilion_with_a_booth(staff):
    # given a trade fair draft without pavilion, then with one booth
    event = draft(kind=EventKind.TRADE_FAIR, price_list=False)
    assert services.event_publish_problems(event) == {
        "pavilion": ["Describe the pavilion and at least one booth."]
    }
    BoothFactory(pavilion=PavilionFactory(event=event))
    assert services.event_publish_problems(event) == {}


def test_an_ended_or_published_event_is_not_published(staff):
    event = EventFactory(starts_at=at(-3), ends_at=at(-3, 17), registration_opens_at=None,
                         registration_closes_at=None, cancellation_deadline=None,
                         pricing_note_fr="Note")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.event_publish(actor=staff, event=event)
    assert refused.value.message_dict == {
        "status": ["Only a draft can be published."],
        "ends_at": ["The event has already ended."],
    }


# --- Price list ------------------------------------------------------------------------------


def test_one_ticket_per_category(staff):
    event = draft()  # already has a member ticket
    with pytest.raises(ValidationError) as refused:
        services.ticket_create(actor=staff, event=event, data={"category": PriceCategory.MEMBER})
    assert refused.value.message_dict == {
        "category": ["The event already has a ticket of this category."]
    }
    assert event.tickets.count() == 4


def test_a_ticket_has_no_more_seats_than_the_event(staff):
    event = draft(capacity=50, price_list=False)
    with pytest.raises(ValidationError) as refused:
        services.ticket_create(
            actor=staff, event=event, data={"category": PriceCategory.STUDENT, "capacity": 60}
        )
    assert refused.value.message_dict == {
        "capacity": ["More seats than the event's capacity (50)."]
    }
    ticket = services.ticket_create(
        actor=staff, event=event,
        data={"category": PriceCategory.STUDENT, "capacity": 20, "name_fr": "Étudiant"},
    )  # fmt: skip
    assert (ticket.capacity, ticket.name_fr) == (20, "Étudiant")
    assert audit_for(ticket).get().action == "event.ticket.create"


def test_a_ticket_people_registered_on_cannot_be_removed(staff):
    registration = RegistrationFactory()
    ticket = registration.ticket
    with pytest.raises(ValidationError) as refused:
        services.ticket_delete(actor=staff, ticket=ticket)
    assert refused.value.messages == ["People registered on this ticket: it cannot be removed."]
    assert TicketCategory.objects.filter(pk=ticket.pk).exists()


def test_a_ticket_without_registrations_is_removed_with_its_prices(staff):
    event = draft()
    ticket = event.tickets.get(category=PriceCategory.ACADEMIC)
    services.ticket_delete(actor=staff, ticket=ticket)
    assert not TicketCategory.objects.filter(pk=ticket.pk).exists()
    assert Price.objects.filter(ticket_id=ticket.pk).count() == 0


def test_overlapping_price_windows_of_one_ticket_are_refused(staff):
    # given a ticket with an early-bird price until 10 May
    ticket = TicketFactory()
    PriceFactory(ticket=ticket, amount=80, valid_from=None, valid_until=dt.date(2026, 5, 10))
    # when staff add a standard price from 10 May
    with pytest.raises(ValidationError) as refused:
        services.price_create(
            actor=staff, ticket=ticket,
            data={"amount": Decimal("100"), "valid_from": dt.date(2026, 5, 10)},
        )  # fmt: skip
    # then the overlap is named and no price is added
    assert refused.value.message_dict == {
        "valid_from": ["These dates overlap another price of the same ticket (… – 2026-05-10)."]
    }
    assert ticket.prices.count() == 1


def test_a_price_starting_the_day_after_is_accepted(staff):
    ticket = TicketFactory()
    PriceFactory(ticket=ticket, amount=80, valid_until=dt.date(2026, 5, 10))
    price = services.price_create(
        actor=staff, ticket=ticket,
        data={"amount": Decimal("100"), "vat_rate": Decimal("5.5"),
              "valid_from": dt.date(2026, 5, 11), "label_fr": "Plein tarif"},
    )  # fmt: skip
    price.refresh_from_db()
    assert (price.amount, price.vat_rate, price.label_fr) == (
        Decimal("100.00"), Decimal("5.50"), "Plein tarif",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": Decimal("10"), "valid_from": dt.date(2026, 5, 10),
          "valid_until": dt.date(2026, 5, 1)}, "valid_until", "The price cannot end before it starts."),
        ({"amount": Decimal("-1")}, "amount", "Ensure this value is greater than or equal to 0."),
        ({"amount": Decimal("10"), "vat_rate": Decimal("120")}, "vat_rate",
         "Ensure this value is less than or equal to 100."),
    ],
)  # fmt: skip
def test_bad_prices_are_refused(staff, data, field, message):
    ticket = TicketFactory()
    with pytest.raises(ValidationError) as refused:
        services.price_create(actor=staff, ticket=ticket, data=data)
    assert refused.value.message_dict == {field: [message]}
    assert ticket.prices.count() == 0


def test_a_free_event_has_only_zero_prices(staff):
    ticket = TicketFactory(event__pricing_basis=PricingBasis.FREE)
    with pytest.raises(ValidationError) as refused:
        services.price_create(actor=staff, ticket=ticket, data={"amount": Decimal("5")})
    assert refused.value.message_dict == {
        "amount": ["The event is free of charge: its prices are zero."]
    }


def test_changing_a_price_keeps_what_registrants_paid(staff):
    # given a registration sold at 150 on the non-member ticket
    registration = RegistrationFactory()
    price = registration.ticket.prices.get()
    # when staff raise the price
    services.price_update(actor=staff, price=price, data={"amount": Decimal("170")})
    # then the registration keeps its frozen amount
    registration.refresh_from_db()
    assert registration.amount == Decimal("150.00")
    assert audit_for(price).get().changes == {"amount": ["150.00", "170.00"]}


# --- Questions and programme -----------------------------------------------------------------


def test_a_choice_question_needs_two_choices_in_both_languages(staff):
    event = draft()
    with pytest.raises(ValidationError) as refused:
        services.question_create(
            actor=staff, event=event,
            data={"label_fr": "Atelier", "kind": QuestionKind.CHOICE, "choices_fr": "A\n",
                  "choices_en": "A\nB"},
        )  # fmt: skip
    assert refused.value.message_dict == {
        "choices_fr": ["Give at least two choices, one per line."],
        "choices_en": ["Give as many English choices as French ones, in the same order."],
    }
    question = services.question_create(
        actor=staff, event=event,
        data={"label_fr": "Atelier", "kind": QuestionKind.CHOICE,
              "choices_fr": " Matin \n\nAprès-midi", "choices_en": "Morning\nAfternoon"},
    )  # fmt: skip
    assert question.choices_fr == "Matin\nAprès-midi"
    assert question.options == [("Matin", "Morning"), ("Après-midi", "Afternoon")]


def test_english_choices_match_the_french_ones(staff):
    with pytest.raises(ValidationError) as refused:
        services.question_create(
            actor=staff, event=draft(),
            data={"label_fr": "Repas", "kind": QuestionKind.CHOICES,
                  "choices_fr": "Viande\nPoisson\nVégétarien", "choices_en": "Meat\nFish"},
        )  # fmt: skip
    assert refused.value.message_dict == {
        "choices_en": ["Give as many English choices as French ones, in the same order."]
    }


def test_an_answered_question_keeps_its_kind_and_stays(staff):
    # given a question somebody answered
    event = EventFactory()
    question = Question.objects.create(
        event=event, label_fr="Régime", kind=QuestionKind.TEXT, required=False
    )
    RegistrationFactory(event=event, answers={str(question.pk): "Sans gluten"})
    # when staff change its kind, then remove it
    with pytest.raises(ValidationError) as changed:
        services.question_update(
            actor=staff, question=question,
            data={"kind": QuestionKind.CHOICE, "choices_fr": "Oui\nNon"},
        )  # fmt: skip
    with pytest.raises(ValidationError) as removed:
        services.question_delete(actor=staff, question=question)
    # then both are refused; a new label is fine
    assert changed.value.message_dict == {
        "kind": ["People have answered this question: its kind and French choices stay."]
    }
    assert removed.value.messages == ["People have answered this question: it cannot be removed."]
    services.question_update(actor=staff, question=question, data={"label_en": "Diet"})
    question.refresh_from_db()
    assert (question.kind, question.label_en) == (QuestionKind.TEXT, "Diet")


def test_a_programme_item_takes_place_during_the_event(staff):
    # given a three-day mission in Tokyo
    import zoneinfo

    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    start = dt.datetime(2030, 4, 6, 9, tzinfo=tokyo)
    event = draft(time_zone="Asia/Tokyo", starts_at=start, ends_at=start + dt.timedelta(days=2),
                  registration_opens_at=None, registration_closes_at=None,
                  cancellation_deadline=None)  # fmt: skip
    # when staff add a visit the day after the end, then one on the last day at 23:00 Tokyo
    with pytest.raises(ValidationError) as refused:
        services.programme_item_create(
            actor=staff, event=event,
            data={"kind": "visit", "title_fr": "Visite", "starts_at": start + dt.timedelta(days=3)},
        )  # fmt: skip
    item = services.programme_item_create(
        actor=staff, event=event,
        data={"kind": "meeting", "title_fr": "Dîner", "starts_at": dt.datetime(2030, 4, 8, 23, tzinfo=tokyo)},
    )  # fmt: skip
    # then the first is refused with the event's days, the second accepted
    assert refused.value.message_dict == {
        "starts_at": ["The item must take place during the event (2030-04-06 – 2030-04-08)."]
    }
    assert ProgrammeItem.objects.filter(event=event).get() == item


def test_a_programme_item_does_not_end_before_it_starts(staff):
    event = draft()
    with pytest.raises(ValidationError) as refused:
        services.programme_item_create(
            actor=staff, event=event,
            data={"kind": "talk", "title_fr": "Exposé", "starts_at": event.starts_at,
                  "ends_at": event.starts_at - dt.timedelta(hours=1)},
        )  # fmt: skip
    assert refused.value.message_dict == {"ends_at": ["The item cannot end before it starts."]}
    assert event.programme.count() == 0


def test_waitlisted_people_count_no_seat_for_the_capacity(staff):
    event = EventFactory(capacity=10)
    RegistrationFactory(event=event)
    RegistrationFactory(
        event=event, status=RegistrationStatus.WAITLISTED, waitlisted_at=timezone.now()
    )
    services.event_update(actor=staff, event=event, data={"capacity": 1})
    event.refresh_from_db()
    assert event.capacity == 1
