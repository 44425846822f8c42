"""API tokens for scripts: the raw key is shown once; only its SHA-256 hash is kept.

A key is 32 random bytes (URL-safe base64, 43 characters). Its first 8 characters are kept
in clear as a prefix so that a person can tell their tokens apart; the rest is never stored.
Looking a key up by its hash needs no constant-time comparison: the hash of a guess reveals
nothing about the keys that exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.accounts.models import ApiToken
from grappe.api import permissions
from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require

PREFIX_LENGTH = 8
# Writing `last_used_at` on every call would turn each read into a write; once in a while is
# enough to tell a person which tokens are still in use.
LAST_USED_PRECISION = dt.timedelta(minutes=5)
AUDITED_FIELDS = ["user", "name", "prefix", "revoked_at"]


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `actor`; returns it with the raw key, which is never shown again."""
    require(permissions.can_create_api_token(actor))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name is limited to 100 characters.")})
    with transaction.atomic():
        active = ApiToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
        if active.filter(name__iexact=name).exists():
            raise ValidationError({"name": _("You already have a token with this name.")})
        if active.count() >= permissions.MAX_ACTIVE_TOKENS:
            raise ValidationError(
                {
                    "name": _("You have %(count)s active tokens: revoke one first.")
                    % {"count": permissions.MAX_ACTIVE_TOKENS}
                }
            )
        raw_key = secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=actor, name=name, key_hash=hash_key(raw_key), prefix=raw_key[:PREFIX_LENGTH]
        )
        audit_record(
            actor=actor,
            obj=token,
            action="api_token.create",
            after=snapshot(token, AUDITED_FIELDS),
        )
    return token, raw_key


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice changes nothing."""
    require(permissions.can_revoke_api_token(actor, token))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        before = snapshot(token, AUDITED_FIELDS)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            obj=token,
            action="api_token.revoke",
            before=before,
            after=snapshot(token, AUDITED_FIELDS),
        )
    return token


def api_token_user(raw_key: str) -> Any | None:
    """The active user behind a live token, or None; notes when the token was last used."""
    if not raw_key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(raw_key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A person's tokens, live ones first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at"
    )
