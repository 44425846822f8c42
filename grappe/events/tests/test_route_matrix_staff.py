"""Role × route matrix of the staff event pages (/staff/events/) and of the trade-fair and
trade-mission pages under /events/. Read by tests/test_route_matrix.py like the others.

Each row names a route, the world object its arguments come from and the status for each
role (in the order of ROLES). 302 for a visitor means "sent to the login page"; a page that
only takes POST answers 405 to a GET from those allowed past the staff gate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from grappe.events.models import EventKind, EventStatus
from grappe.events.tests.factories import (
    BoothFactory,
    EventFactory,
    ExhibitorApplicationFactory,
    MissionApplicationFactory,
    MissionFactory,
    PavilionFactory,
    RegistrationFactory,
)

NAMESPACES = {"events_staff", "events"}
ROLES = ["visitor", "registered", "member", "org_admin", "other_member", "staff", "expert"]


def row(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


PUBLIC = row(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = row(302, 200, 200, 200, 200, 200, 200)
STAFF = row(302, 403, 403, 403, 403, 200, 403)
STAFF_POST = row(302, 403, 403, 403, 403, 405, 403)
POST_ONLY = row(405, 405, 405, 405, 405, 405, 405)
DONE = 302

# (URL name, world key, expected statuses of a GET)
PAGES: list[tuple[str, str | None, dict[str, int]]] = [
    ("events_staff:list", None, STAFF),
    ("events_staff:create", None, STAFF),
    ("events_staff:statistics", None, STAFF),
    ("events_staff:detail", "event", STAFF),
    ("events_staff:edit", "event", STAFF),
    ("events_staff:publish", "draft", STAFF_POST),
    ("events_staff:cancel", "event", STAFF),
    ("events_staff:tickets", "event", STAFF),
    ("events_staff:ticket_edit", "ticket", STAFF),
    ("events_staff:ticket_delete", "ticket", STAFF_POST),
    ("events_staff:price_create", "ticket", STAFF),
    ("events_staff:price_edit", "price", STAFF),
    ("events_staff:price_delete", "price", STAFF_POST),
    ("events_staff:questions", "event", STAFF),
    ("events_staff:question_edit", "question", STAFF),
    ("events_staff:question_delete", "question", STAFF_POST),
    ("events_staff:programme", "event", STAFF),
    ("events_staff:programme_edit", "item", STAFF),
    ("events_staff:programme_delete", "item", STAFF_POST),
    ("events_staff:attendees", "event", STAFF),
    ("events_staff:attendees_export", "attendees_csv", STAFF),
    ("events_staff:attendee_register", "event", STAFF),
    ("events_staff:attendee_cancel", "registration", STAFF),
    ("events_staff:badges", "event", STAFF),
    ("events_staff:mailing", "event", STAFF),
    ("events_staff:check_in", "event", STAFF),
    ("events_staff:pavilion", "fair", STAFF),
    ("events_staff:booth_create", "fair", STAFF),
    ("events_staff:booth_edit", "booth", STAFF),
    ("events_staff:booth_delete", "booth", STAFF_POST),
    ("events_staff:exhibitor", "exhibitor_staff", STAFF),
    ("events_staff:exhibitor_allocate", "exhibitor_staff", STAFF_POST),
    ("events_staff:exhibitor_refuse", "exhibitor_staff", STAFF_POST),
    ("events_staff:floor_export", "floor_csv", STAFF),
    ("events_staff:mission", "mission", STAFF),
    ("events_staff:mission_application", "candidate_staff", STAFF),
    ("events_staff:delegation_export", "delegation_csv", STAFF),
    ("events:pavilion", "fair_slug", PUBLIC),
    ("events:pavilion", "members_fair_slug", row(404, 404, 200, 200, 200, 200, 404)),
    ("events:pavilion_apply", "fair_slug", LOGGED_IN),
    ("events:exhibitor_withdraw", "exhibitor", POST_ONLY),
    ("events:mission", "mission_slug", PUBLIC),
    ("events:mission_apply", "mission_slug", LOGGED_IN),
    ("events:mission_withdraw", "candidate", POST_ONLY),
]
API: list[tuple] = []  # the events API is e1's (test_route_matrix.py)


@dataclass
class World:
    event: Any
    draft: Any
    registration: Any
    fair: Any
    members_fair: Any
    booth: Any
    free_booth: Any
    exhibitor: Any
    mission: Any
    candidate: Any

    def kwargs(self, key: str | None) -> dict[str, Any]:
        event, fair, mission = self.event, self.fair, self.mission.event
        ticket = self.registration.ticket
        values: dict[str | None, Callable[[], dict[str, Any]]] = {
            None: lambda: {},
            "event": lambda: {"pk": event.pk},
            "draft": lambda: {"pk": self.draft.pk},
            "ticket": lambda: {"pk": event.pk, "ticket": ticket.pk},
            "price": lambda: {"pk": event.pk, "price": ticket.prices.get().pk},
            "question": lambda: {"pk": event.pk, "question": event.questions.get().pk},
            "item": lambda: {"pk": event.pk, "item": event.programme.get().pk},
            "registration": lambda: {"pk": event.pk, "registration": self.registration.pk},
            "attendees_csv": lambda: {"pk": event.pk, "fmt": "csv"},
            "fair": lambda: {"pk": fair.pk},
            "booth": lambda: {"pk": fair.pk, "booth": self.free_booth.pk},
            "exhibitor_staff": lambda: {"pk": fair.pk, "application": self.exhibitor.pk},
            "floor_csv": lambda: {"pk": fair.pk, "fmt": "csv"},
            "mission": lambda: {"pk": mission.pk},
            "candidate_staff": lambda: {"pk": mission.pk, "application": self.candidate.pk},
            "delegation_csv": lambda: {"pk": mission.pk, "fmt": "csv"},
            "fair_slug": lambda: {"slug": fair.slug},
            "members_fair_slug": lambda: {"slug": self.members_fair.slug},
            "exhibitor": lambda: {"slug": fair.slug, "pk": self.exhibitor.pk},
            "mission_slug": lambda: {"slug": mission.slug},
            "candidate": lambda: {"slug": mission.slug, "pk": self.candidate.pk},
        }
        return values[key]()


# (URL name, world key, POST data from the world, expected statuses)
ACTIONS: list[tuple[str, str, Callable[[World], dict[str, Any]], dict[str, int]]] = [
    ("events_staff:publish", "draft", lambda w: {}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("events_staff:cancel", "event", lambda w: {"reason": "Salle fermée"},
     row(302, 403, 403, 403, 403, DONE, 403)),
    ("events_staff:attendee_cancel", "registration", lambda w: {"reason": ""},
     row(302, 403, 403, 403, 403, DONE, 403)),
    ("events_staff:check_in", "event", lambda w: {"code": w.registration.code},
     row(302, 403, 403, 403, 403, 200, 403)),
    ("events_staff:mailing", "event",
     lambda w: {"audience": "all", "subject": "Accès", "body": "Le plan."},
     row(302, 403, 403, 403, 403, DONE, 403)),
    ("events_staff:exhibitor_allocate", "exhibitor_staff", lambda w: {"booth": w.free_booth.pk},
     row(302, 403, 403, 403, 403, DONE, 403)),
    ("events_staff:mission_application", "candidate_staff", lambda w: {"decision": "selected"},
     row(302, 403, 403, 403, 403, DONE, 403)),
    ("events:exhibitor_withdraw", "exhibitor", lambda w: {},
     row(302, 403, DONE, DONE, 403, 403, 403)),
    ("events:mission_withdraw", "candidate", lambda w: {},
     row(302, 403, DONE, DONE, 403, 403, 403)),
]  # fmt: skip


@pytest.fixture
def world(db, member, org_admin, other_member, registered, expert, member_org) -> World:
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    event.questions.create(label_fr="Régime", kind="text")
    event.programme.create(kind="talk", title_fr="Ouverture", starts_at=event.starts_at)
    draft = EventFactory(
        status=EventStatus.DRAFT, published_at=None, pricing_note_fr="Les cotisations."
    )
    pavilion = PavilionFactory()
    members_fair = PavilionFactory(event__visibility="members").event
    booth = BoothFactory(pavilion=pavilion, label="A1")
    free_booth = BoothFactory(pavilion=pavilion, label="A2")
    exhibitor = ExhibitorApplicationFactory(
        pavilion=pavilion, organisation=member_org, applicant=member.person
    )
    mission = MissionFactory()
    candidate = MissionApplicationFactory(
        mission=mission, organisation=member_org, person=member.person
    )
    assert pavilion.event.kind == EventKind.TRADE_FAIR
    return World(
        event=event, draft=draft, registration=registration, fair=pavilion.event,
        members_fair=members_fair, booth=booth, free_booth=free_booth, exhibitor=exhibitor,
        mission=mission, candidate=candidate,
    )  # fmt: skip


@pytest.fixture
def as_role(client, request):
    def _as(role: str):
        if role != "visitor":
            client.force_login(request.getfixturevalue(role))
        return client

    return _as


CASES = [
    pytest.param(name, key, role, expected[role], id=f"{name}[{key}] as {role}")
    for name, key, expected in PAGES
    for role in ROLES
]


@pytest.mark.parametrize(("name", "key", "role", "expected"), CASES)
def test_page_answers_each_role(world, staff, as_role, name, key, role, expected):
    # given the world and one of the usual people
    client = as_role(role)
    # when they open the page
    response = client.get(reverse(name, kwargs=world.kwargs(key)))
    # then the answer is the one of the matrix; a visitor is sent to the login page
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


ACTION_CASES = [
    pytest.param(name, key, data, role, expected[role], id=f"POST {name}[{key}] as {role}")
    for name, key, data, expected in ACTIONS
    for role in ROLES
]


@pytest.mark.parametrize(("name", "key", "data", "role", "expected"), ACTION_CASES)
def test_action_answers_each_role(world, staff, as_role, name, key, data, role, expected):
    # given the world and one of the usual people
    client = as_role(role)
    # when they post the action
    response = client.post(reverse(name, kwargs=world.kwargs(key)), data(world))
    # then the answer is the one of the matrix; done actions do not go to the login page
    assert response.status_code == expected
    if role == "visitor":
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == DONE:
        assert not response["Location"].startswith(reverse("account_login"))
