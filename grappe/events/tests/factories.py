"""Factories for events: an event with its price list, registrations. Extend them here."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

import factory
from django.utils import timezone

from grappe.events.models import (
    Event,
    EventKind,
    EventStatus,
    Price,
    PriceCategory,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from grappe.members.tests.factories import PersonFactory


def _in_days(days: int, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    """A published conference in 30 days, open for registration now, 50 seats."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"journee-photonique-{n}")
    kind = EventKind.CONFERENCE
    status = EventStatus.PUBLISHED
    title_fr = factory.Sequence(lambda n: f"Journée photonique {n}")
    title_en = factory.Sequence(lambda n: f"Photonics day {n}")
    summary_fr = "Une journée d'exposés et de rencontres autour des lasers."
    summary_en = "A day of talks and meetings about lasers."
    starts_at = factory.LazyFunction(lambda: _in_days(30, 9))
    ends_at = factory.LazyFunction(lambda: _in_days(30, 17))
    venue_name = "Hôtel technologique"
    street = "45 rue Frédéric Joliot-Curie"
    postcode = "13013"
    city = "Marseille"
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    registration_closes_at = factory.LazyFunction(lambda: _in_days(29, 18))
    cancellation_deadline = factory.LazyFunction(lambda: _in_days(28, 18))
    capacity = 50
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def price_list(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Member €90, non-member €150, academic €60, guest free (invitation), VAT 20 %."""
        if not create or extracted is False:
            return
        for position, (category, amount, invitation) in enumerate(
            [
                (PriceCategory.MEMBER, "90.00", False),
                (PriceCategory.NON_MEMBER, "150.00", False),
                (PriceCategory.ACADEMIC, "60.00", False),
                (PriceCategory.GUEST, "0.00", True),
            ]
        ):
            ticket = TicketCategory.objects.create(
                event=self, category=category, invitation_only=invitation, position=position
            )
            Price.objects.create(ticket=ticket, amount=Decimal(amount))


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketCategory

    event = factory.SubFactory(EventFactory, price_list=False)
    category = PriceCategory.NON_MEMBER


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Price

    ticket = factory.SubFactory(TicketFactory)
    amount = Decimal("100.00")


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration on the event's non-member ticket (ORM only: no service)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    ticket = factory.LazyAttribute(
        lambda r: r.event.tickets.get_or_create(category=PriceCategory.NON_MEMBER)[0]
    )
    person = factory.SubFactory(PersonFactory)
    status = RegistrationStatus.CONFIRMED
    amount = Decimal("150.00")
    vat_rate = Decimal("20.00")
    code = factory.LazyFunction(lambda: secrets.token_hex(4).upper())
    confirmed_at = factory.LazyFunction(timezone.now)


# --- Registration core (e1) -------------------------------------------------------------------


class QuestionFactory(factory.django.DjangoModelFactory):
    """A free-text question; give `kind`, `choices_fr`/`choices_en` and `required` as needed."""

    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label_fr = factory.Sequence(lambda n: f"Question {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.TEXT


def ticket_of(event: Event, category: str) -> TicketCategory:
    """The event's ticket of that category (EventFactory makes member, non-member, academic
    and guest)."""
    return event.tickets.get(category=category)


def add_ticket(
    event: Event, category: str, amount: str = "0.00", **fields: object
) -> TicketCategory:
    """Add a ticket category with one open-ended price (e.g. the student price)."""
    ticket = TicketCategory.objects.create(event=event, category=category, **fields)
    Price.objects.create(ticket=ticket, amount=Decimal(amount))
    return ticket


# --- Trade fairs and missions (e2) ------------------------------------------------------------


class PavilionFactory(factory.django.DjangoModelFactory):
    """The shared pavilion of a published trade fair in 60 days; the cluster pays 50 %."""

    class Meta:
        model = "events.Pavilion"

    event = factory.SubFactory(
        EventFactory,
        kind=EventKind.TRADE_FAIR,
        price_list=False,
        starts_at=factory.LazyFunction(lambda: _in_days(60, 9)),
        ends_at=factory.LazyFunction(lambda: _in_days(62, 18)),
        registration_closes_at=None,
        cancellation_deadline=None,
    )
    name = factory.Sequence(lambda n: f"Pavillon Optique Sud {n}")
    hall = "Hall 4, stand B12"
    total_area_m2 = Decimal("120.00")
    application_deadline = factory.LazyFunction(lambda: _in_days(30, 18))
    cluster_share = Decimal("50.00")
    terms_fr = "Stand équipé, mobilier et électricité compris."


class BoothFactory(factory.django.DjangoModelFactory):
    """A 9 m² booth at €400 per m² excl. VAT."""

    class Meta:
        model = "events.Booth"

    pavilion = factory.SubFactory(PavilionFactory)
    label = factory.Sequence(lambda n: f"B{n}")
    area_m2 = Decimal("9.00")
    unit_price = Decimal("400.00")


class ExhibitorApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.ExhibitorApplication"

    pavilion = factory.SubFactory(PavilionFactory)
    organisation = factory.SubFactory("grappe.members.tests.factories.OrganisationFactory")
    applicant = factory.SubFactory(PersonFactory)
    products = "Lasers à fibre femtoseconde"


class MissionFactory(factory.django.DjangoModelFactory):
    """The call of a published trade mission to Japan in 90 days: 4 places at €3,000, half
    co-funded by the Region; applications close in 40 days."""

    class Meta:
        model = "events.Mission"

    event = factory.SubFactory(
        EventFactory,
        kind=EventKind.TRADE_MISSION,
        price_list=False,
        time_zone="Asia/Tokyo",
        country="JP",
        city="Tokyo",
        starts_at=factory.LazyFunction(lambda: _in_days(90, 2)),
        ends_at=factory.LazyFunction(lambda: _in_days(94, 10)),
        registration_closes_at=None,
        cancellation_deadline=None,
    )
    call_fr = "Mission photonique au Japon : rencontres avec des intégrateurs."
    call_en = "Photonics mission to Japan: meetings with integrators."
    application_deadline = factory.LazyFunction(lambda: _in_days(40, 18))
    places = 4
    cost_per_participant = Decimal("3000.00")
    cofunded_share = Decimal("50.00")
    cofunder = "Région Sud"


class MissionApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.MissionApplication"

    mission = factory.SubFactory(MissionFactory)
    organisation = factory.SubFactory("grappe.members.tests.factories.OrganisationFactory")
    person = factory.SubFactory(PersonFactory)
    motivation = "Trouver un distributeur au Japon."
    target_markets = "Intégrateurs de systèmes de vision"
    products = "Caméras infrarouges"
