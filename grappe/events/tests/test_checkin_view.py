"""The check-in page: a scanned token or a typed code lets a person in; the answer is clear
with and without JavaScript; who is in is counted and listed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from grappe.events.models import RegistrationStatus
from grappe.events.services.tickets import ticket_token
from grappe.events.tests.factories import EventFactory, RegistrationFactory
from grappe.members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def door(login, staff):
    """Staff at the door, logged in."""
    return login(staff)


def check_in(client, event, code, **headers):
    return client.post(reverse("events_staff:check_in", args=[event.pk]), {"code": code}, **headers)


def test_a_typed_code_checks_the_person_in(door, event):
    # given a confirmed registration for an organisation
    registration = RegistrationFactory(
        event=event, code="K7M2Q9XR", person__first_name="Léa", person__last_name="Arnaud",
        organisation=OrganisationFactory(name="Photon Nice"),
    )  # fmt: skip
    # when staff type its code in lower case with spaces
    response = check_in(door, event, " k7m2 q9xr ")
    # then the page says who came in, and counts them
    page = response.content.decode()
    registration.refresh_from_db()
    assert response.status_code == 200
    assert registration.checked_in_at is not None
    assert "Léa Arnaud" in page
    assert "Photon Nice" in page
    assert "Bienvenue : entrée enregistrée." in page
    assert "1 entrés, sur 1 confirmés" in page


def test_a_scanned_token_checks_in_and_a_second_scan_says_since_when(door, event):
    registration = RegistrationFactory(event=event)
    arrived = timezone.make_aware(dt.datetime(2031, 6, 10, 8, 42))
    registration.checked_in_at = arrived
    registration.save()
    response = check_in(door, event, ticket_token(registration))
    assert "Déjà entré depuis 08:42." in response.content.decode()


def test_refused_codes_say_why(door, event):
    RegistrationFactory(event=event, code="CANCEL22", status=RegistrationStatus.CANCELLED)
    other = RegistrationFactory(code="ELSEWH33")
    cases = {
        "NOPE9999": "Aucun billet ne porte ce code.",
        "CANCEL22": "Cette inscription a été annulée.",
        "ELSEWH33": f"Ce billet est pour un autre événement : {other.event.title_fr}.",
        "ELSEWH33:forged": "Ce QR code n'est pas l'un de nos billets.",
    }
    for code, reason in cases.items():
        response = check_in(door, event, code)
        assert response.status_code == 400, code
        assert escape(reason) in response.content.decode(), code
    assert event.registrations.filter(checked_in_at__isnull=False).count() == 0


def test_with_htmx_only_the_panel_comes_back(door, event):
    RegistrationFactory(event=event, code="HTMX4444")
    response = check_in(door, event, "HTMX4444", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div id="check-in-panel">')
    assert "<html" not in page
    assert response["Vary"].count("HX-Request") == 1


def test_the_page_lists_who_is_in_with_fixed_queries(door, event, django_assert_max_num_queries):
    now = timezone.now()
    for n in range(20):
        RegistrationFactory(event=event, checked_in_at=now - dt.timedelta(minutes=n))
    with django_assert_max_num_queries(10):
        response = door.get(reverse("events_staff:check_in", args=[event.pk]))
    assert len(response.context["arrivals"]) == 20
    assert response.context["counts"].checked_in == 20


def test_only_staff_check_in(login, member, event):
    registration = RegistrationFactory(event=event, code="MEMB5555")
    response = check_in(login(member), event, "MEMB5555")
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None
