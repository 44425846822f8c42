"""Badges: eight per A4 page with cut marks, or one A6 per page; a QR code of each ticket."""

import base64

import pytest
from django.urls import reverse

from grappe.events.models import RegistrationStatus
from grappe.events.services.badges import badge_pages, badges_document, badges_pdf
from grappe.events.services.tickets import ticket_token
from grappe.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_badges_are_grouped_eight_per_a4_page_or_one_per_a6():
    # given ten registrations
    event = EventFactory()
    registrations = RegistrationFactory.create_batch(10, event=event)
    # then A4 makes two pages (8 + 2), A6 ten
    assert [len(page) for page in badge_pages(registrations, "a4")] == [8, 2]
    assert [len(page) for page in badge_pages(registrations, "a6")] == [1] * 10


def test_each_badge_carries_the_signed_ticket_token_as_a_qr_code():
    registration = RegistrationFactory(code="QRCODE42")
    [[badge]] = badge_pages([registration], "a4")
    svg = base64.b64decode(badge["qr"].removeprefix("data:image/svg+xml;base64,")).decode()
    assert badge["registration"] == registration
    assert svg.startswith("<?xml") or svg.startswith("<svg")
    assert ticket_token(registration).startswith("QRCODE42:")


def test_the_pdf_has_one_page_per_eight_badges():
    event = EventFactory()
    registrations = RegistrationFactory.create_batch(9, event=event)
    document = badges_document(event, registrations, layout="a4")
    assert len(document.pages) == 2
    assert badges_pdf(event, registrations[:1], layout="a6").startswith(b"%PDF")


def test_staff_print_the_badges_of_the_confirmed(login, staff, django_assert_max_num_queries):
    # given two confirmed registrations and a cancelled one
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    client = login(staff)
    # when staff print the badges, one A6 each
    with django_assert_max_num_queries(8):
        response = client.get(reverse("events_staff:badges", args=[event.pk]), {"layout": "a6"})
    # then a PDF comes back, named after the event
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{event.slug}-badges.pdf"'
    assert response.content.startswith(b"%PDF")


def test_a_member_cannot_print_badges(login, member):
    event = EventFactory()
    response = login(member).get(reverse("events_staff:badges", args=[event.pk]))
    assert response.status_code == 403
