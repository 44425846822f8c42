"""The /me/tokens/ page: list, create (key shown once), revoke."""

from __future__ import annotations

from django.urls import reverse

from grappe.accounts.models import ApiToken
from grappe.accounts.tokens import api_token_create, hash_key
from grappe.members.tests.factories import PASSWORD

TOKENS = "/me/tokens/"


def test_the_page_needs_a_login(client, db):
    response = client.get(TOKENS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_person_creates_a_token_and_sees_its_key_once(login, member):
    client = login(member)

    # when they create a token
    response = client.post(TOKENS, {"name": "CRM sync"}, HTTP_ACCEPT_LANGUAGE="en")

    # then the key is shown on that response only, and works
    assert response.status_code == 200
    raw_key = response.context["raw_key"]
    token = ApiToken.objects.get(user=member)
    assert token.key_hash == hash_key(raw_key)
    assert raw_key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "Copy it now: it will not be shown again." in response.content.decode()
    later = client.get(TOKENS)
    assert raw_key not in later.content.decode()
    assert f"{token.prefix}…" in later.content.decode()


def test_a_blank_name_is_refused_on_the_form(login, member):
    response = login(member).post(TOKENS, {"name": ""}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert not ApiToken.objects.exists()


def test_a_duplicate_name_is_refused_by_the_service(login, member):
    api_token_create(actor=member, name="CRM sync")

    response = login(member).post(TOKENS, {"name": "CRM sync"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["You already have a token with this name."]}
    assert ApiToken.objects.count() == 1


def test_a_person_revokes_a_token(login, member):
    token, _raw_key = api_token_create(actor=member, name="CRM sync")

    response = login(member).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_anothers_token_from_the_page(login, member, other_member):
    token, _raw_key = api_token_create(actor=member, name="CRM sync")

    response = login(other_member).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(login, member):
    token, _raw_key = api_token_create(actor=member, name="CRM sync")

    response = login(member).get(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_list_shows_only_ones_own_tokens(login, member, other_member):
    api_token_create(actor=member, name="Mine")
    api_token_create(actor=other_member, name="Theirs")

    response = login(member).get(TOKENS)

    assert [t.name for t in response.context["tokens"]] == ["Mine"]


def test_the_authenticator_qr_code_is_described_not_spelled_out(login, member):
    # given a person setting up a second factor, who confirmed their password
    client = login(member)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT_LANGUAGE="en")
    # then the QR code's description says what it is, and the secret stays in its own field
    html = page.content.decode()
    assert page.status_code == 200
    assert 'alt="QR code of your authenticator secret, to scan with your app"' in html
    secret = page.context["form"].secret
    assert f'alt="{secret}"' not in html
