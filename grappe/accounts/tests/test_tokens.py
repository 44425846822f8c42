"""API tokens: only a hash is kept, names are checked, revocation is immediate and audited."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from grappe.accounts.models import ApiToken
from grappe.accounts.tokens import api_token_create, api_token_revoke, api_token_user
from grappe.api.permissions import MAX_ACTIVE_TOKENS
from grappe.core.models import AuditEntry


def test_a_token_keeps_only_the_hash_and_a_prefix_of_its_key(member):
    # when a member creates a token
    token, raw_key = api_token_create(actor=member, name="  CRM sync ")

    # then the key is long and random, and only its SHA-256 and 8 first characters are stored
    assert len(raw_key) == 43
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.name == "CRM sync"
    assert stored.key_hash == hashlib.sha256(raw_key.encode()).hexdigest()
    assert stored.prefix == raw_key[:8]
    assert raw_key not in {str(getattr(stored, f.attname)) for f in ApiToken._meta.fields}
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor == member
    assert "key_hash" not in entry.changes
    assert entry.changes["name"] == [None, "CRM sync"]


def test_the_key_finds_its_user_until_revoked(member):
    # given a token
    token, raw_key = api_token_create(actor=member, name="CRM sync")
    assert api_token_user(raw_key) == member

    # when it is revoked
    api_token_revoke(actor=member, token=token)

    # then the key no longer finds anybody, and the revocation is audited
    assert api_token_user(raw_key) is None
    assert api_token_user("") is None
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=member).count() == 1


def test_revoking_twice_changes_nothing(member):
    token, _raw_key = api_token_create(actor=member, name="CRM sync")
    first = api_token_revoke(actor=member, token=token).revoked_at

    second = api_token_revoke(actor=member, token=token).revoked_at

    assert second == first
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Give the token a name, e.g. the script that uses it."),
        ("x" * 101, "The name is limited to 100 characters."),
        ("crm SYNC", "You already have a token with this name."),
    ],
)
def test_a_bad_name_is_refused_and_nothing_is_written(member, name, message):
    # given an existing token named "CRM sync"
    api_token_create(actor=member, name="CRM sync")

    # when another token is asked for with a bad name, in English
    with translation.override("en"), pytest.raises(ValidationError) as error:
        api_token_create(actor=member, name=name)

    # then the field and the reason are given, and no token was added
    assert error.value.message_dict == {"name": [message]}
    assert ApiToken.objects.filter(user=member).count() == 1


def test_a_revoked_tokens_name_can_be_reused(member):
    token, _raw_key = api_token_create(actor=member, name="CRM sync")
    api_token_revoke(actor=member, token=token)

    again, _raw_key = api_token_create(actor=member, name="CRM sync")

    assert again.pk != token.pk


def test_the_number_of_live_tokens_is_capped(member):
    # given a member with the maximum of live tokens
    for index in range(MAX_ACTIVE_TOKENS):
        api_token_create(actor=member, name=f"script {index}")

    # when they ask for one more
    with pytest.raises(ValidationError):
        api_token_create(actor=member, name="one too many")

    # then none was added
    assert ApiToken.objects.filter(user=member).count() == MAX_ACTIVE_TOKENS


def test_anonymous_callers_cannot_create_tokens(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        api_token_create(actor=AnonymousUser(), name="CRM sync")
    assert ApiToken.objects.count() == 0


def test_nobody_revokes_someone_elses_token_but_staff(member, other_member, staff):
    # given a member's token
    token, raw_key = api_token_create(actor=member, name="CRM sync")

    # when another member tries to revoke it
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=other_member, token=token)

    # then it still works; staff, though, may cut it off
    assert api_token_user(raw_key) == member
    api_token_revoke(actor=staff, token=token)
    assert api_token_user(raw_key) is None
