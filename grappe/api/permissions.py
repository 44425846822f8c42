"""Who may use the API's own resources (tokens) and its members-only lists."""

from __future__ import annotations

from typing import Any

from grappe.core.permissions import is_authenticated, is_staff
from grappe.members.permissions import can_view_members_directory

# A person with a login keeps at most this many live tokens: one per script is plenty.
MAX_ACTIVE_TOKENS = 20


def can_create_api_token(user: Any) -> bool:
    return is_authenticated(user)


def can_revoke_api_token(user: Any, token: Any) -> bool:
    """The token's owner, or staff (who may cut off a leaked key)."""
    return is_authenticated(user) and (token.user_id == user.pk or is_staff(user))


def can_list_people(user: Any) -> bool:
    """Staff see everyone; members see the consenting contacts of member organisations."""
    return can_view_members_directory(user)


def can_list_invoices(user: Any) -> bool:
    """Staff see every invoice; an organisation's administrators see their own (filtered later)."""
    from grappe.members.selectors import user_roles

    return is_staff(user) or (is_authenticated(user) and user_roles(user).org_admin)
