"""The events API: the calendar, one event, registering, one's registrations, cancelling,
answering an offer, the attendee list; with the same rules and the one error format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from grappe.accounts.tokens import api_token_create
from grappe.events.models import (
    EventStatus,
    EventVisibility,
    PriceCategory,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from grappe.events.services.registrations import registration_cancel, registration_create
from grappe.events.services.tickets import registration_from_token
from grappe.events.tests.factories import EventFactory, QuestionFactory, ticket_of
from grappe.members.models import Person
from grappe.members.tests.factories import AffiliationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _post(client, path, body=None, **headers):
    return client.post(path, body or {}, content_type="application/json", **headers)


@pytest.fixture
def bearer():
    """`bearer(user)`: the Authorization header of one API key per user in the test."""
    keys: dict[int, str] = {}

    def _bearer(user) -> dict[str, str]:
        if user.pk not in keys:
            _token, keys[user.pk] = api_token_create(actor=user, name="script")
        return {"HTTP_AUTHORIZATION": f"Bearer {keys[user.pk]}"}

    return _bearer


def someone():
    user = UserFactory()
    PersonFactory(user=user, email=user.email)
    return user


def test_the_calendar_is_public_and_filtered_like_the_page(client):
    EventFactory(slug="webinaire", kind="webinar")
    EventFactory(slug="conference")
    EventFactory(slug="club", visibility=EventVisibility.MEMBERS)
    response = client.get("/api/v1/events?kind=webinar")
    assert response.status_code == 200
    body = response.json()
    assert [e["slug"] for e in body["items"]] == ["webinaire"]
    assert body["total"] == 1
    all_slugs = [e["slug"] for e in client.get("/api/v1/events").json()["items"]]
    assert set(all_slugs) == {"webinaire", "conference"}


def test_a_bad_month_is_named(client):
    response = client.get("/api/v1/events?month=2027-13")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "month": ["Indiquez le mois sous la forme AAAA-MM."]
    }


def test_an_event_shows_its_price_list_in_force_and_its_questions(client):
    event = EventFactory(capacity=30, pricing_note_en="Members' dues fund the difference.")
    question = QuestionFactory(event=event, kind=QuestionKind.CHOICE, choices_fr="A\nB")
    body = client.get(f"/api/v1/events/{event.slug}?lang=en").json()
    assert body["seats_left"] == 30
    assert body["pricing_basis"] == "cost"
    assert body["pricing_note"] == "Members' dues fund the difference."
    assert body["registration_closed_reason"] is None
    member = body["tickets"][0]
    assert (member["category"], member["name"], member["price"]["amount"]) == (
        "member", "Member", "90.00",
    )  # fmt: skip
    assert member["price"]["amount_with_vat"] == "108.00"
    assert body["questions"] == [
        {
            "id": question.pk,
            "label": question.label_en,
            "kind": "choice",
            "required": False,
            "choices": ["A", "B"],
        }
    ]


def test_drafts_are_not_found_by_others(client, login, staff):
    draft = EventFactory(status=EventStatus.DRAFT)
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
    assert login(staff).get(f"/api/v1/events/{draft.slug}").status_code == 200


def test_a_member_registers_with_a_token_and_gets_the_ticket(member, member_org, client, bearer):
    # given an event and a member with an API token
    event = EventFactory(capacity=1)
    # when the script registers them on the member ticket
    response = _post(
        client,
        f"/api/v1/events/{event.slug}/register",
        {"ticket": "member", "organisation": member_org.slug},
        **bearer(member),
    )
    # then the seat is theirs at the member price, with the QR code's token
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["amount"], body["organisation"]) == (
        "confirmed", "90.00", member_org.slug,
    )  # fmt: skip
    assert registration_from_token(body["ticket_token"]).pk == body["id"]
    # and a second person joins the waitlist at place 1
    other = someone()
    second = _post(
        client, f"/api/v1/events/{event.slug}/register", {"ticket": "non_member"}, **bearer(other)
    ).json()
    assert (second["status"], second["waitlist_position"], second["ticket_token"]) == (
        "waitlisted", 1, None,
    )  # fmt: skip


def test_a_refused_price_is_a_400_naming_the_ticket(registered, client, bearer):
    event = EventFactory()
    response = _post(
        client,
        f"/api/v1/events/{event.slug}/register?lang=en",
        {"ticket": "member"},
        **bearer(registered),
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "ticket": [
            "The member price is for contacts of a member organisation: choose your organisation."
        ]
    }
    assert Registration.objects.count() == 0


def test_registering_twice_or_when_closed_is_a_conflict(registered, client, bearer):
    event = EventFactory()
    headers = bearer(registered)
    path = f"/api/v1/events/{event.slug}/register?lang=en"
    assert _post(client, path, {"ticket": "non_member"}, **headers).status_code == 201
    again = _post(client, path, {"ticket": "non_member"}, **headers)
    assert again.status_code == 409
    assert again.json()["error"]["fields"] == {
        "person": [f"{registered.person.full_name} is already registered for this event."]
    }
    closed = EventFactory(registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    response = _post(
        client,
        f"/api/v1/events/{closed.slug}/register?lang=en",
        {"ticket": "non_member"},
        **headers,
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Registration is closed."


def test_wrong_answers_and_an_unknown_ticket_are_named(registered, client, bearer):
    event = EventFactory()
    question = QuestionFactory(event=event, kind=QuestionKind.YES_NO, required=True)
    headers = bearer(registered)
    path = f"/api/v1/events/{event.slug}/register?lang=en"
    response = _post(client, path, {"ticket": "non_member", "answers": {}}, **headers)
    assert response.json()["error"]["fields"] == {
        f"question_{question.pk}": ["This question needs an answer."]
    }
    unknown = _post(client, path, {"ticket": "student"}, **headers)
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"ticket": ["This event has no such ticket."]}
    invalid = _post(client, path, {"ticket": "vip"}, **headers)
    assert invalid.status_code == 422
    assert list(invalid.json()["error"]["fields"]) == ["ticket"]


def test_registering_a_colleague_and_a_new_colleague(org_admin, member_org, client, bearer):
    event = EventFactory()
    colleague = PersonFactory()
    AffiliationFactory(person=colleague, organisation=member_org)
    headers = bearer(org_admin)
    path = f"/api/v1/events/{event.slug}/register"
    known = _post(
        client,
        path,
        {"ticket": "member", "person": colleague.pk, "organisation": member_org.slug},
        **headers,
    )
    new = _post(
        client,
        path,
        {
            "ticket": "member",
            "organisation": member_org.slug,
            "new_colleague": {
                "first_name": "Inès",
                "last_name": "Nouvelle",
                "email": "ines@lumiere.example",
            },
        },
        **headers,
    )
    assert (known.status_code, new.status_code) == (201, 201)
    assert known.json()["person_id"] == colleague.pk
    assert new.json()["person_id"] == Person.objects.get(email="ines@lumiere.example").pk
    mine = client.get("/api/v1/events/registrations", **headers).json()
    assert mine["total"] == 2


def test_registering_a_stranger_is_forbidden(member, other_member, client, bearer):
    event = EventFactory()
    response = _post(
        client,
        f"/api/v1/events/{event.slug}/register",
        {"ticket": "non_member", "person": other_member.person.pk},
        **bearer(member),
    )
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_cancel_confirm_and_decline_through_the_api(client, bearer):
    event = EventFactory(capacity=1)
    holder, first, second = someone(), someone(), someone()
    seat, offered, behind = (
        registration_create(
            actor=u, event=event, person=u.person, ticket=ticket_of(event, PriceCategory.NON_MEMBER)
        )
        for u in (holder, first, second)
    )
    cancelled = _post(
        client,
        f"/api/v1/events/registrations/{seat.pk}/cancel",
        {"reason": "Empêché"},
        **bearer(holder),
    )
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = _post(
        client, f"/api/v1/events/registrations/{seat.pk}/cancel?lang=en", **bearer(holder)
    )
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "This registration is already cancelled."
    declined = _post(client, f"/api/v1/events/registrations/{offered.pk}/decline", **bearer(first))
    assert declined.json()["status"] == "cancelled"
    confirmed = _post(client, f"/api/v1/events/registrations/{behind.pk}/confirm", **bearer(second))
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["ticket_token"] is not None


def test_someone_elses_registration_is_not_found(registered, other_member, client, bearer):
    event = EventFactory()
    registration = registration_create(
        actor=registered,
        event=event,
        person=registered.person,
        ticket=ticket_of(event, "non_member"),
    )
    headers = bearer(other_member)
    assert (
        client.get(f"/api/v1/events/registrations/{registration.pk}", **headers).status_code == 404
    )
    assert (
        _post(
            client, f"/api/v1/events/registrations/{registration.pk}/cancel", **headers
        ).status_code
        == 404
    )
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_the_attendee_list_is_for_staff(staff, member, client, bearer):
    event = EventFactory(capacity=1)
    people = [someone() for _ in range(3)]
    for user in people:
        registration_create(
            actor=user, event=event, person=user.person, ticket=ticket_of(event, "non_member")
        )
    registration_cancel(actor=staff, registration=Registration.objects.filter(event=event).first())
    body = client.get(f"/api/v1/events/{event.slug}/registrations", **bearer(staff)).json()
    assert [r["status"] for r in body["items"]] == ["cancelled", "offered", "waitlisted"]
    assert [r["waitlist_position"] for r in body["items"]] == [None, None, 1]
    waiting = client.get(
        f"/api/v1/events/{event.slug}/registrations?status=waitlisted", **bearer(staff)
    ).json()
    assert waiting["total"] == 1
    denied = client.get(f"/api/v1/events/{event.slug}/registrations", **bearer(member))
    assert denied.status_code == 403
    assert set(denied.json()["error"]) == {"code", "message", "fields"}


def test_an_unauthenticated_registration_is_a_401(client):
    event = EventFactory()
    response = _post(client, f"/api/v1/events/{event.slug}/register", {"ticket": "non_member"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert Decimal("0") == Decimal(Registration.objects.count())
