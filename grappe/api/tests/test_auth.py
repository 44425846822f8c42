"""Tokens for scripts, the session for the browser, CSRF on the session's unsafe methods."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from grappe.accounts.models import ApiToken
from grappe.accounts.tokens import api_token_create, api_token_revoke
from grappe.members.models import MembershipStatus

INVALID_TOKEN = {
    "error": {
        "code": "invalid_token",
        "message": "This token is unknown or has been revoked.",
        "fields": {},
    }
}


def test_a_token_authenticates_a_script_as_its_owner(client, world, member):
    # given a member's token
    _token, raw_key = api_token_create(actor=member, name="CRM sync")

    # when a script lists people with it
    response = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    # then it sees what the member sees: the listed person only
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["items"]] == ["Alice Listed"]


def test_a_token_notes_when_it_was_last_used(client, world, member):
    # given a token never used
    token, raw_key = api_token_create(actor=member, name="CRM sync")
    assert token.last_used_at is None

    # when it is used
    client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    # then its last use is recorded
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def test_a_revoked_token_is_refused_in_the_error_format(client, world, member):
    # given a revoked token
    token, raw_key = api_token_create(actor=member, name="Old script")
    api_token_revoke(actor=member, token=token)

    # when it is used, even on a public endpoint
    people = client.get(
        "/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {raw_key}", HTTP_ACCEPT_LANGUAGE="en"
    )
    taxonomy = client.get(
        "/api/v1/taxonomy", HTTP_AUTHORIZATION=f"Bearer {raw_key}", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then both are 401 in the error format
    assert people.status_code == 401
    assert people.json() == INVALID_TOKEN
    assert taxonomy.status_code == 401
    assert taxonomy.json() == INVALID_TOKEN


def test_an_unknown_token_is_refused(client, world):
    # when a made-up token is sent
    response = client.get(
        "/api/v1/people", HTTP_AUTHORIZATION="Bearer not-a-real-key", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then 401 in the error format
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_the_token_of_a_deactivated_login_is_refused(client, world, member):
    # given a member's token, then the member's login is deactivated
    _token, raw_key = api_token_create(actor=member, name="CRM sync")
    member.is_active = False
    member.save(update_fields=["is_active"])

    # when the token is used
    response = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    # then it is refused
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_no_credentials_is_401_with_a_bearer_challenge(client, world):
    # when an anonymous caller asks for a members-only list
    response = client.get("/api/v1/people", HTTP_ACCEPT_LANGUAGE="en")

    # then 401 tells how to authenticate
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication required: log in, or send a token "
            "(Authorization: Bearer <key>).",
            "fields": {},
        }
    }


def test_the_session_authenticates_the_browser(login, world, staff):
    # given staff logged in
    client = login(staff)

    # when the browser calls the API
    response = client.get("/api/v1/memberships")

    # then the session is enough
    assert response.status_code == 200
    assert response.json()["total"] == 3


def test_a_session_post_without_csrf_token_is_refused(world, staff):
    # given staff logged in, with a browser that enforces CSRF like a real one
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)

    # when it posts without the CSRF header
    response = browser.post(
        f"/api/v1/memberships/{world.applied.pk}/approve",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then it is refused and nothing changed
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "csrf_failed",
            "message": "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie.",
            "fields": {},
        }
    }
    world.applied.refresh_from_db()
    assert world.applied.status == MembershipStatus.APPLIED


def test_a_session_post_with_the_csrf_token_goes_through(world, staff):
    # given staff logged in, who loaded the docs page (which sets the CSRF cookie)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    browser.get("/api/v1/docs")
    csrf = browser.cookies["csrftoken"].value

    # when it posts with the header
    response = browser.post(
        f"/api/v1/memberships/{world.applied.pk}/approve",
        {},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )

    # then the action is carried out
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


def test_a_token_post_needs_no_csrf_token(world, staff):
    # given staff's token, and a client that enforces CSRF
    _token, raw_key = api_token_create(actor=staff, name="Back-office script")
    script = Client(enforce_csrf_checks=True)

    # when the script posts an action
    response = script.post(
        f"/api/v1/memberships/{world.applied.pk}/approve",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw_key}",
    )

    # then it goes through: a bearer token is not sent by a browser on its own
    assert response.status_code == 200
    assert ApiToken.objects.get(user=staff).last_used_at is not None
