"""Every route × every role → the expected status, as data. Each row is one route; its
statuses are given in the order of ROLES:
anonymous, registered, member, org_admin, other_member, staff, expert."""

from __future__ import annotations

import pytest

from grappe.api.tests.conftest import ROLES

A, R, M, OA, OM, S, E = range(7)


def statuses(*codes: int) -> dict[str, int]:
    assert len(codes) == len(ROLES)
    return dict(zip(ROLES, codes, strict=True))


PUBLIC = statuses(200, 200, 200, 200, 200, 200, 200)
STAFF_ONLY = statuses(401, 403, 403, 403, 403, 200, 403)
STAFF_AND_ORG_ADMIN = statuses(401, 403, 403, 200, 403, 200, 403)

# (method, path, body, statuses)
MATRIX: list[tuple[str, str, dict | None, dict[str, int]]] = [
    ("GET", "/api/v1/taxonomy", None, PUBLIC),
    ("GET", "/api/v1/organisations", None, PUBLIC),
    ("GET", "/api/v1/organisations?technology=tech.lasers&per_page=5", None, PUBLIC),
    ("GET", "/api/v1/organisations/{org}", None, PUBLIC),
    (
        "GET",
        "/api/v1/organisations/{non_member}",
        None,
        statuses(404, 404, 404, 404, 404, 200, 404),
    ),
    ("GET", "/api/v1/organisations/no-such-org", None, statuses(404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/organisations/{org}/memberships", None, STAFF_AND_ORG_ADMIN),
    ("GET", "/api/v1/people", None, statuses(401, 403, 200, 200, 200, 200, 403)),
    ("GET", "/api/v1/people/{listed}", None, statuses(401, 403, 200, 200, 200, 200, 403)),
    ("GET", "/api/v1/people/{unlisted}", None, statuses(401, 403, 404, 404, 404, 200, 403)),
    ("GET", "/api/v1/memberships", None, STAFF_ONLY),
    ("GET", "/api/v1/memberships/{applied}", None, STAFF_ONLY),
    ("POST", "/api/v1/memberships/{applied}/approve", {"note": "Board of 3 March"}, STAFF_ONLY),
    ("POST", "/api/v1/memberships/{applied}/refuse", {"note": "Outside our field"}, STAFF_ONLY),
    ("POST", "/api/v1/memberships/{approved}/activate", None, STAFF_ONLY),
    ("POST", "/api/v1/memberships/{active}/end", {"status": "resigned"}, STAFF_ONLY),
    # other_member administers its own organisation: it may list invoices (its own, none).
    ("GET", "/api/v1/invoices", None, statuses(401, 403, 403, 200, 200, 200, 403)),
    ("GET", "/api/v1/invoices/{invoice}", None, STAFF_AND_ORG_ADMIN),
    ("GET", "/api/v1/invoices/{invoice}/pdf", None, STAFF_AND_ORG_ADMIN),
    ("POST", "/api/v1/invoices/{invoice}/pay", {"reference": "VIR 2291"}, STAFF_ONLY),
    (
        "POST",
        "/api/v1/invoices/{invoice}/cancel",
        {"reason": "Issued twice"},
        statuses(401, 403, 403, 403, 403, 201, 403),
    ),
    # Credit notes follow the rule of the invoice they cancel.
    ("GET", "/api/v1/credit-notes", None, statuses(401, 403, 403, 200, 200, 200, 403)),
    ("GET", "/api/v1/credit-notes/{credit_note}", None, STAFF_AND_ORG_ADMIN),
    ("GET", "/api/v1/credit-notes/{credit_note}/pdf", None, STAFF_AND_ORG_ADMIN),
]

CASES = [
    pytest.param(method, path, body, role, expected[role], id=f"{method} {path} as {role}")
    for method, path, body, expected in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), CASES)
def test_route_answers_each_role_as_the_pages_do(call, world, method, path, body, role, expected):
    # given the test world and one of the usual people, logged in through the session
    # when they call the route
    response = call(role, method, world.format(path), body)

    # then the status is the one of the table, and an error comes in the error format
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"error"}
        assert set(response.json()["error"]) == {"code", "message", "fields"}


TOKEN_CASES = [
    pytest.param(method, path, body, role, expected[role], id=f"{method} {path} as {role}")
    for method, path, body, expected in MATRIX
    if "pdf" not in path  # one PDF is enough: rendering is slow
    for role in ROLES
    if role in {"anonymous", "member", "org_admin", "staff"}
]


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), TOKEN_CASES)
def test_route_answers_the_same_through_a_token(call, world, method, path, body, role, expected):
    # given a role calling with its own token instead of a session
    # when they call the route
    response = call(role, method, world.format(path), body, token=True)

    # then the answer is the same as through the session
    assert response.status_code == expected, response.content
