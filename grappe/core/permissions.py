"""Shared permission helpers; each app decides its own rules in its `permissions.py`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def is_staff(user: Any) -> bool:
    """Cluster staff: the team, with full rights in the back office and the Django admin."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def require(allowed: bool, message: str = "") -> None:
    """Raise PermissionDenied unless `allowed`: services call it before they write."""
    if not allowed:
        raise PermissionDenied(message)


def can_view_audit(user: Any) -> bool:
    return is_staff(user)
