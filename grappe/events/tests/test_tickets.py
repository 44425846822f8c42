"""Tickets: the signed token and its QR codes, the iCalendar files and the feed address."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import icalendar
import pytest
from PIL import Image

from grappe.core.qr import qr_png, qr_svg
from grappe.events.models import EventStatus
from grappe.events.services.tickets import (
    event_ics,
    feed_ics,
    feed_token,
    feed_user,
    registration_from_token,
    registration_ics,
    registrations_feed_ics,
    ticket_token,
)
from grappe.events.tests.factories import EventFactory, RegistrationFactory
from grappe.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _event(**fields):
    starts = dt.datetime(2027, 3, 12, 9, 30, tzinfo=PARIS)
    defaults = {
        "title_fr": "Journée lasers",
        "title_en": "Laser day",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=8),
        "registration_closes_at": starts,
        "cancellation_deadline": starts,
    }
    return EventFactory(**{**defaults, **fields})


def _vevents(content: bytes) -> list:
    return [c for c in icalendar.Calendar.from_ical(content).walk("VEVENT")]


def test_a_ticket_token_names_its_registration_and_cannot_be_forged():
    # given a registration
    registration = RegistrationFactory(code="K7MX3QPA")
    # when its token is made and read back, and when one letter of the code is changed
    token = ticket_token(registration)
    forged = "K7MX3QPB" + token[len("K7MX3QPA") :]
    # then the token carries the code, reads back, and the forged one reads as nothing
    assert token.startswith("K7MX3QPA:")
    assert registration_from_token(token) == registration
    assert registration_from_token(forged) is None
    assert registration_from_token("not a token") is None


def test_the_qr_codes_are_an_svg_and_a_png():
    svg = qr_svg("K7MX3QPA:signature")
    png = qr_png("K7MX3QPA:signature")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] == image.size[1] >= 200


def test_an_event_file_has_its_times_in_its_time_zone_and_no_online_link(settings):
    # given an event in Marseille that also has an online link
    settings.GRAPPE_SITE_URL = "https://pole.example"
    event = _event(online_url="https://visio.example/secret")
    # when its .ics is made
    (vevent,) = _vevents(event_ics(event))
    # then it holds the dates with the time zone, the place and the page; not the link
    assert vevent["summary"] == "Journée lasers"
    assert vevent.decoded("dtstart") == dt.datetime(2027, 3, 12, 9, 30, tzinfo=PARIS)
    assert vevent["dtstart"].params["TZID"] == "Europe/Paris"
    assert vevent["location"] == (
        "Hôtel technologique, 45 rue Frédéric Joliot-Curie, 13013 Marseille"
    )
    assert vevent["url"] == f"https://pole.example/events/{event.slug}/"
    assert vevent["uid"] == f"grappe-event-{event.pk}@pole.example"
    assert vevent["status"] == "CONFIRMED"
    assert "visio.example" not in event_ics(event).decode()
    calendar = icalendar.Calendar.from_ical(event_ics(event))
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_a_registration_file_carries_the_code_and_the_online_link_in_the_registrants_language():
    event = _event(online_url="https://visio.example/secret", venue_name="", street="", city="")
    registration = RegistrationFactory(event=event, code="K7MX3QPA", language="en")
    (vevent,) = _vevents(registration_ics(registration.pk))
    assert vevent["summary"] == "Laser day"
    assert "Your ticket: K7MX3QPA" in vevent["description"]
    assert "https://visio.example/secret" in vevent["description"]
    assert vevent["location"] == "https://visio.example/secret"


def test_a_feed_lists_its_events_and_marks_the_cancelled_ones():
    events = [_event(), _event(status=EventStatus.CANCELLED)]
    vevents = _vevents(feed_ics(events, name="Événements"))
    assert [v["status"] for v in vevents] == ["CONFIRMED", "CANCELLED"]
    assert (
        icalendar.Calendar.from_ical(feed_ics(events, name="Événements"))["x-wr-calname"]
        == "Événements"
    )


def test_the_feed_address_names_its_user_until_the_password_changes():
    # given a user and their feed token
    user = UserFactory()
    token = feed_token(user)
    # when the token is read back, tampered with, then after a password change
    assert feed_user(token) == user
    assert feed_user(f"{user.pk + 1}:{token.partition(':')[2]}") is None
    assert feed_user("nonsense") is None
    user.set_password("another horse battery staple")
    user.save()
    # then the old address no longer works
    assert feed_user(token) is None


def test_an_event_abroad_is_written_in_its_own_time_zone():
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    starts = dt.datetime(2027, 4, 6, 8, tzinfo=tokyo)
    event = EventFactory(
        time_zone="Asia/Tokyo",
        starts_at=starts,
        ends_at=starts + dt.timedelta(days=4),
        registration_closes_at=starts,
        cancellation_deadline=starts,
        country="JP",
        city="Tokyo",
        venue_name="",
        street="",
        postcode="",
    )
    (vevent,) = _vevents(event_ics(event))
    assert vevent["dtstart"].params["TZID"] == "Asia/Tokyo"
    assert vevent.decoded("dtstart").astimezone(dt.UTC) == starts.astimezone(dt.UTC)
    assert vevent["location"] == "Tokyo, Japon"


def test_a_personal_feed_shows_a_place_on_the_waitlist_as_tentative():
    seated = RegistrationFactory(event=_event(), code="SEATED22")
    waiting = RegistrationFactory(
        event=_event(), code="WAITING2", status="waitlisted", waitlisted_at=seated.created_at
    )
    vevents = _vevents(registrations_feed_ics([seated, waiting]))
    assert [v["status"] for v in vevents] == ["CONFIRMED", "TENTATIVE"]
    assert "Votre billet : WAITING2" in vevents[1]["description"]
