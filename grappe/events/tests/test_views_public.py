"""The public pages: calendar, event page (price list, JSON-LD), feeds, registration form,
my registrations, ticket, cancel and answer an offer."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html import unescape

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.events.models import (
    EventStatus,
    EventVisibility,
    PriceCategory,
    PricingBasis,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from grappe.events.services.registrations import registration_cancel, registration_create
from grappe.events.services.tickets import feed_token
from grappe.events.tests.factories import EventFactory, QuestionFactory, ticket_of
from grappe.members.models import Person
from grappe.members.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def someone():
    user = UserFactory()
    PersonFactory(user=user, email=user.email)
    return user


# --- Calendar and event page -----------------------------------------------------------------


def test_the_calendar_lists_upcoming_events_and_links_the_feed(
    client, django_assert_max_num_queries
):
    EventFactory(title_fr="Journée lasers")
    EventFactory(title_fr="Réservé", visibility=EventVisibility.MEMBERS)
    EventFactory.create_batch(5)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:calendar"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Journée lasers" in html
    assert "Réservé" not in html
    assert 'href="/events/feed.ics"' in html
    assert 'href="/events/"' in html  # the main menu's link


def test_a_month_that_does_not_parse_is_said_next_to_its_field(client):
    EventFactory(title_fr="Journée lasers")
    response = client.get(reverse("events:calendar"), {"month": "mars"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez le mois sous la forme AAAA-MM." in html
    assert "Journée lasers" in html


def test_the_event_page_shows_the_price_list_the_note_and_schema_org_data(client):
    # given an event with a pricing note and an online link for registrants
    event = EventFactory(
        title_fr="Journée lasers",
        pricing_basis=PricingBasis.COST,
        pricing_note_fr="Le tarif adhérent est financé par les cotisations.",
        online_url="https://visio.example/secret",
        capacity=40,
    )
    # when a visitor opens it
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    # then the price list, how prices are set and the note are shown; not the link
    assert response.status_code == 200
    assert "90,00 €" in html and "108,00 €" in html and "150,00 €" in html
    assert "Reflète les coûts." in html
    assert "Le tarif adhérent est financé par les cotisations." in html
    assert "visio.example" not in html
    # and the schema.org Event describes it
    data = _json_ld(html)
    assert data["@type"] == "Event"
    assert data["name"] == "Journée lasers"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"][0]["address"]["addressLocality"] == "Marseille"
    assert data["location"][1]["@type"] == "VirtualLocation"
    assert data["organizer"]["@type"] == "Organization"
    assert data["remainingAttendeeCapacity"] == 40
    assert [(o["name"], o["price"]) for o in data["offers"]] == [
        ("Adhérent", "108.00"),
        ("Non-adhérent", "180.00"),
        ("Académique ou recherche publique", "72.00"),
    ]


def test_a_cancelled_event_says_so_in_the_page_and_the_data(client):
    event = EventFactory(status=EventStatus.CANCELLED, cancel_reason="Salle indisponible")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Cet événement est annulé." in html and "Salle indisponible" in html
    assert _json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"


def test_drafts_and_members_only_events_are_not_found_by_others(
    client, login, registered, member, staff
):
    draft = EventFactory(status=EventStatus.DRAFT)
    club = EventFactory(visibility=EventVisibility.MEMBERS)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(club.get_absolute_url()).status_code == 404
    assert login(registered).get(club.get_absolute_url()).status_code == 404
    assert login(member).get(club.get_absolute_url()).status_code == 200
    assert login(staff).get(draft.get_absolute_url()).status_code == 200


def test_the_feeds_are_icalendar(client):
    event = EventFactory(title_fr="Journée lasers")
    feed = client.get(reverse("events:feed"))
    one = client.get(reverse("events:event_ics", kwargs={"slug": event.slug}))
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert [
        str(v["summary"]) for v in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    ] == ["Journée lasers"]
    assert one["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'


def test_the_personal_feed_lists_my_registrations_at_a_secret_address(client):
    user = someone()
    event = EventFactory(title_fr="Journée lasers")
    registration_create(
        actor=user, event=event, person=user.person, ticket=ticket_of(event, "non_member")
    )
    response = client.get(reverse("events:my_feed", kwargs={"token": feed_token(user)}))
    vevents = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(v["summary"]) for v in vevents] == ["Journée lasers"]
    assert client.get(reverse("events:my_feed", kwargs={"token": "1:forged"})).status_code == 404


# --- Registering -----------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_to_register(client):
    event = EventFactory()
    response = client.get(reverse("events:register", kwargs={"slug": event.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_registers_through_the_form_and_lands_on_the_ticket(
    login, member, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    # given an event with a required question
    event = EventFactory()
    diet = QuestionFactory(
        event=event, kind=QuestionKind.CHOICE, choices_fr="Standard\nVégétarien", required=True
    )
    client = login(member)
    url = reverse("events:register", kwargs={"slug": event.slug})
    assert "Végétarien" in client.get(url).content.decode()
    # when they post the form for themselves, on the member ticket
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "person": "me",
                "organisation": str(member_org.pk),
                "ticket": "member",
                f"question_{diet.pk}": "Végétarien",
            },
        )
    # then they are registered and sent to their ticket with its QR code
    registration = Registration.objects.get(event=event)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:ticket", kwargs={"pk": registration.pk})
    assert (registration.status, registration.amount) == (S.CONFIRMED, Decimal("90.00"))
    assert registration.answers == {str(diet.pk): "Végétarien"}
    assert len(mailoutbox) == 1
    ticket_page = client.get(response["Location"]).content.decode()
    assert "<svg" in ticket_page and registration.code[:4] in ticket_page


def test_a_refused_member_price_is_said_next_to_the_ticket_and_nothing_is_written(
    login, registered
):
    event = EventFactory()
    response = login(registered).post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {"person": "me", "organisation": "", "ticket": "member"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        "Le tarif adhérent est réservé aux contacts d'une organisation adhérente : "
        "choisissez votre organisation." in html
    )
    assert Registration.objects.count() == 0


def test_the_invitation_ticket_is_not_offered_to_people(login, registered):
    event = EventFactory()
    html = (
        login(registered)
        .get(reverse("events:register", kwargs={"slug": event.slug}))
        .content.decode()
    )
    assert 'value="non_member"' in html
    assert 'value="guest"' not in html


def test_an_administrator_registers_a_new_colleague_through_the_form(login, org_admin, member_org):
    event = EventFactory()
    response = login(org_admin).post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {
            "person": "new",
            "organisation": str(member_org.pk),
            "ticket": "member",
            "first_name": "Inès",
            "last_name": "Nouvelle",
            "email": "ines@lumiere.example",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="ines@lumiere.example")
    assert Registration.objects.get(event=event).person == person


def test_a_closed_registration_shows_why_and_no_form(login, registered):
    event = EventFactory(registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    response = login(registered).get(reverse("events:register", kwargs={"slug": event.slug}))
    html = response.content.decode()
    assert "Les inscriptions sont closes." in html
    assert 'name="ticket"' not in html


# --- My registrations, ticket, cancel, offers ------------------------------------------------


def test_my_registrations_show_the_status_and_the_private_feed_address(login, registered):
    event = EventFactory(title_fr="Journée lasers", capacity=0)
    registration_create(
        actor=registered,
        event=event,
        person=registered.person,
        ticket=ticket_of(event, PriceCategory.NON_MEMBER),
    )
    html = login(registered).get(reverse("events:my_registrations")).content.decode()
    assert "Journée lasers" in html
    assert "n° 1 dans la file" in html
    assert feed_token(registered) in html


def test_the_dashboard_lists_my_coming_events(login, registered):
    event = EventFactory(title_fr="Journée lasers")
    registration_create(
        actor=registered,
        event=event,
        person=registered.person,
        ticket=ticket_of(event, "non_member"),
    )
    html = login(registered).get(reverse("core:dashboard")).content.decode()
    assert "Journée lasers" in html


def test_someone_elses_ticket_is_not_found(login, registered, other_member):
    event = EventFactory()
    registration = registration_create(
        actor=registered,
        event=event,
        person=registered.person,
        ticket=ticket_of(event, "non_member"),
    )
    url = reverse("events:ticket", kwargs={"pk": registration.pk})
    assert login(other_member).get(url).status_code == 404


def test_cancelling_from_the_ticket_page(login, registered):
    event = EventFactory()
    registration = registration_create(
        actor=registered,
        event=event,
        person=registered.person,
        ticket=ticket_of(event, "non_member"),
    )
    client = login(registered)
    response = client.post(
        reverse("events:registration_cancel", kwargs={"pk": registration.pk}), {"reason": "Empêché"}
    )
    registration.refresh_from_db()
    assert response.status_code == 302
    assert (registration.status, registration.cancel_reason) == (S.CANCELLED, "Empêché")
    again = client.post(
        reverse("events:registration_cancel", kwargs={"pk": registration.pk}), follow=True
    )
    assert "Cette inscription est déjà annulée." in again.content.decode()


def test_confirming_and_declining_an_offer_from_the_ticket_page(login):
    event = EventFactory(capacity=1)
    holder, first, second = someone(), someone(), someone()
    seat, offered, behind = (
        registration_create(
            actor=u, event=event, person=u.person, ticket=ticket_of(event, "non_member")
        )
        for u in (holder, first, second)
    )
    registration_cancel(actor=holder, registration=seat)
    client = login(first)
    page = client.get(reverse("events:ticket", kwargs={"pk": offered.pk})).content.decode()
    assert "Confirmer ma place" in page
    client.post(reverse("events:offer_decline", kwargs={"pk": offered.pk}))
    behind.refresh_from_db()
    assert behind.status == S.OFFERED
    login(second).post(reverse("events:offer_confirm", kwargs={"pk": behind.pk}))
    behind.refresh_from_db()
    assert behind.status == S.CONFIRMED


def test_a_login_without_a_person_completes_its_profile_first(login):
    event = EventFactory()
    response = login(UserFactory()).get(reverse("events:register", kwargs={"slug": event.slug}))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('members:my_profile')}?next=%2Fevents%2F{event.slug}%2Fregister%2F"
    )
