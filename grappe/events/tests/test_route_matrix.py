"""Role × route matrix of the public and member event pages and the events API.

`NAMESPACES`, `PAGES` (URL name first) and `API` are read by tests/test_route_matrix.py's
`test_every_route_is_in_a_matrix`: a route of these namespaces without a row fails it.
This module runs them too, against a world of its own, for the root roles:
visitor, registered, member, org_admin, other_member, staff, expert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from grappe.events.models import Event, EventStatus, EventVisibility, PriceCategory, Registration
from grappe.events.services.registrations import registration_cancel, registration_create
from grappe.events.services.tickets import feed_token
from grappe.events.tests.factories import EventFactory, ticket_of
from grappe.members.tests.factories import PersonFactory, UserFactory

NAMESPACES = {"events"}
ROLES = ["visitor", "registered", "member", "org_admin", "other_member", "staff", "expert"]


def row(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


PUBLIC = row(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = row(302, 200, 200, 200, 200, 200, 200)
MEMBERS = row(404, 404, 200, 200, 200, 200, 404)  # members-only event: members and staff
STAFF_ONLY_404 = row(404, 404, 404, 404, 404, 200, 404)  # a draft
MEMBERS_LOGIN = row(302, 404, 200, 200, 200, 200, 404)
DRAFT_LOGIN = row(302, 404, 404, 404, 404, 200, 404)
OWN = row(302, 404, 200, 404, 404, 200, 404)  # the member's own registration
POST_ONLY = row(302, 405, 405, 405, 405, 405, 405)
DONE = 302

# (URL name, world key, expected statuses)
PAGES: list[tuple[str, str | None, dict[str, int]]] = [
    ("events:calendar", None, PUBLIC),
    ("events:feed", None, PUBLIC),
    ("events:my_registrations", None, LOGGED_IN),
    ("events:my_feed", "feed", PUBLIC),
    ("events:detail", "open", PUBLIC),
    ("events:detail", "club", MEMBERS),
    ("events:detail", "draft", STAFF_ONLY_404),
    ("events:event_ics", "open", PUBLIC),
    ("events:event_ics", "club", MEMBERS),
    ("events:event_ics", "draft", STAFF_ONLY_404),
    ("events:register", "open", LOGGED_IN),
    ("events:register", "club", MEMBERS_LOGIN),
    ("events:register", "draft", DRAFT_LOGIN),
    ("events:ticket", "mine", OWN),
    ("events:ticket_ics", "mine", OWN),
    ("events:registration_cancel", "mine", POST_ONLY),
    ("events:offer_confirm", "offered", POST_ONLY),
    ("events:offer_decline", "offered", POST_ONLY),
]
# (URL name, world key, POST data, expected statuses): 302 is the redirect after the action.
ACTIONS: list[tuple[str, str, dict[str, str], dict[str, int]]] = [
    ("events:register", "other", {"person": "me", "ticket": "non_member"}, row(302, DONE, DONE, DONE, DONE, DONE, DONE)),
    ("events:register", "club", {"person": "me", "ticket": "non_member"}, row(302, 404, DONE, DONE, DONE, DONE, 404)),
    ("events:registration_cancel", "mine", {"reason": "Empêché"}, row(302, 404, DONE, 404, 404, DONE, 404)),
    ("events:offer_confirm", "offered", {}, row(302, 404, DONE, 404, 404, DONE, 404)),
    ("events:offer_decline", "offered", {}, row(302, 404, DONE, 404, 404, DONE, 404)),
]  # fmt: skip

A401 = 401
# (method, path, body, expected statuses; the visitor is "anonymous" to the API)
API: list[tuple[str, str, dict | None, dict[str, int]]] = [
    ("GET", "/api/v1/events", None, PUBLIC),
    ("GET", "/api/v1/events?kind=conference&per_page=5", None, PUBLIC),
    ("GET", "/api/v1/events/{open}", None, PUBLIC),
    ("GET", "/api/v1/events/{club}", None, MEMBERS),
    ("GET", "/api/v1/events/{draft}", None, STAFF_ONLY_404),
    ("GET", "/api/v1/events/registrations", None, row(A401, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/events/registrations/{mine}", None, row(A401, 404, 200, 404, 404, 200, 404)),
    ("POST", "/api/v1/events/registrations/{mine}/cancel", {"reason": "Empêché"}, row(A401, 404, 200, 404, 404, 200, 404)),
    ("POST", "/api/v1/events/registrations/{offered}/confirm", None, row(A401, 404, 200, 404, 404, 200, 404)),
    ("POST", "/api/v1/events/registrations/{offered}/decline", None, row(A401, 404, 200, 404, 404, 200, 404)),
    ("POST", "/api/v1/events/{other}/register", {"ticket": "non_member"}, row(A401, 201, 201, 201, 201, 201, 201)),
    ("POST", "/api/v1/events/{club}/register", {"ticket": "non_member"}, row(A401, 404, 201, 201, 201, 201, 404)),
    ("POST", "/api/v1/events/{draft}/register", {"ticket": "non_member"}, row(A401, 404, 404, 404, 404, 409, 404)),
    ("GET", "/api/v1/events/{open}/registrations", None, row(A401, 403, 403, 403, 403, 200, 403)),
    ("GET", "/api/v1/events/{club}/registrations", None, row(A401, 404, 403, 403, 403, 200, 404)),
]  # fmt: skip


@dataclass
class World:
    open: Event  # public, published; the member is registered on it
    other: Event  # public, published, nobody registered: to register on
    club: Event  # members only
    draft: Event
    mine: Registration  # the member's confirmed registration
    offered: Registration  # a seat offered to the member from a waitlist
    feed: str  # the member's personal feed token

    def kwargs(self, key: str | None) -> dict[str, Any]:
        if key is None:
            return {}
        if key in {"mine", "offered"}:
            return {"pk": getattr(self, key).pk}
        if key == "feed":
            return {"token": self.feed}
        return {"slug": getattr(self, key).slug}

    def path(self, template: str) -> str:
        return template.format(
            open=self.open.slug,
            other=self.other.slug,
            club=self.club.slug,
            draft=self.draft.slug,
            mine=self.mine.pk,
            offered=self.offered.pk,
        )


@pytest.fixture
def world(db, member, org_admin, other_member, registered, staff, expert) -> World:
    def mark(user: Any, event: Event) -> Registration:
        return registration_create(
            actor=user,
            event=event,
            person=user.person,
            ticket=ticket_of(event, PriceCategory.NON_MEMBER),
        )

    open_event = EventFactory(slug="journee-ouverte")
    full = EventFactory(slug="complet", capacity=1)
    holder = UserFactory()
    PersonFactory(user=holder, email=holder.email)
    seat = mark(holder, full)
    offered = mark(member, full)
    registration_cancel(actor=holder, registration=seat)
    offered.refresh_from_db()
    return World(
        open=open_event,
        other=EventFactory(slug="autre-journee"),
        club=EventFactory(slug="club-adherents", visibility=EventVisibility.MEMBERS),
        draft=EventFactory(slug="brouillon", status=EventStatus.DRAFT),
        mine=mark(member, open_event),
        offered=offered,
        feed=feed_token(member),
    )


@pytest.fixture
def as_role(client, request):
    def _as(role: str):
        if role != "visitor":
            client.force_login(request.getfixturevalue(role))
        return client

    return _as


@pytest.mark.parametrize(
    ("name", "key", "role", "expected"),
    [
        pytest.param(name, key, role, expected[role], id=f"{name}[{key}] as {role}")
        for name, key, expected in PAGES
        for role in ROLES
    ],
)
def test_page_answers_each_role(world, as_role, name, key, role, expected):
    # given the world and one of the usual people
    client = as_role(role)
    # when they open the page
    response = client.get(reverse(name, kwargs=world.kwargs(key)))
    # then the answer is the one of the matrix; a visitor is sent to the login page
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("name", "key", "data", "role", "expected"),
    [
        pytest.param(name, key, data, role, expected[role], id=f"POST {name}[{key}] as {role}")
        for name, key, data, expected in ACTIONS
        for role in ROLES
    ],
)
def test_action_answers_each_role(world, as_role, name, key, data, role, expected):
    client = as_role(role)
    before = list(Registration.objects.order_by("pk").values_list("pk", "status"))
    response = client.post(reverse(name, kwargs=world.kwargs(key)), data)
    assert response.status_code == expected
    if role == "visitor":
        assert response["Location"].startswith(reverse("account_login"))
    if expected == DONE and role != "visitor":
        assert response["Location"].startswith("/events/registrations/")
    if expected != DONE or role == "visitor":
        # a refused action changed nothing
        assert list(Registration.objects.order_by("pk").values_list("pk", "status")) == before


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "expected"),
    [
        pytest.param(method, path, body, role, expected[role], id=f"{method} {path} as {role}")
        for method, path, body, expected in API
        for role in ROLES
    ],
)
def test_api_route_answers_each_role(world, as_role, method, path, body, role, expected):
    client = as_role(role)
    url = world.path(path)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, body or {}, content_type="application/json")
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"error"}
        assert set(response.json()["error"]) == {"code", "message", "fields"}
