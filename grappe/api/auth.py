"""Who is calling: a script with a token (`Authorization: Bearer <key>`) or a browser with
its session (CSRF-checked on unsafe methods). Public endpoints also let anonymous visitors in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from grappe.accounts.tokens import api_token_user
from grappe.api.errors import ApiError


class TokenAuth(HttpBearer):
    """A bearer token made at /me/tokens/. A token that is sent but unknown or revoked is
    refused outright (401), even on public endpoints: a script must learn its key is dead."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_user(token.strip())
        if user is None:
            raise ApiError(401, "invalid_token", _("This token is unknown or has been revoked."))
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's Django session. Anonymous callers fall through (and get 401, not a CSRF
    error); logged-in callers must pass the CSRF check on POST, PUT, PATCH and DELETE."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if not getattr(request.user, "is_authenticated", False):
            return None
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie."),
            )
        return request.user


def anonymous(request: HttpRequest) -> Any:
    """Public endpoints: nobody identified, the caller is an anonymous visitor."""
    request.user = AnonymousUser()
    return request.user


token_auth = TokenAuth()
session_auth = SessionAuth()
AUTHENTICATED = [token_auth, session_auth]
PUBLIC = [token_auth, session_auth, anonymous]
# In the OpenAPI document: either scheme, or none at all.
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]}
