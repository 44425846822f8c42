"""Who may use the back office and change what it governs (the team: cluster staff)."""

from __future__ import annotations

from typing import Any

from grappe.core.permissions import is_staff
from grappe.members import permissions as members_permissions


def can_use_backoffice(user: Any) -> bool:
    return is_staff(user)


def can_edit_fee_schedule(user: Any) -> bool:
    return members_permissions.can_edit_fee_schedule(user)


def can_edit_cluster_profile(user: Any) -> bool:
    return is_staff(user)


def can_edit_field_policy(user: Any) -> bool:
    return is_staff(user)


def can_set_expert(user: Any, target: Any = None) -> bool:
    return is_staff(user)


def can_manage_users(user: Any, target: Any = None) -> bool:
    """Staff manage logins; granting or changing superuser rights takes a superuser."""
    if not is_staff(user):
        return False
    if target is not None and getattr(target, "is_superuser", False):
        return bool(user.is_superuser)
    return True


def can_grant_superuser(user: Any) -> bool:
    return is_staff(user) and bool(user.is_superuser)
