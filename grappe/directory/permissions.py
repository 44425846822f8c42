"""Who sees what in the directory. Field visibility itself is decided by
grappe.members.permissions (`visible_fields`, `viewer_level`); this module applies the same
rules to a whole page of organisations at once (a fixed number of queries)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from grappe.core.permissions import is_staff
from grappe.members.models import VISIBILITY_RANK, Organisation, Visibility
from grappe.members.permissions import can_edit_organisation, effective_visibility, field_limits
from grappe.members.selectors import user_organisations, user_roles


def can_use_members_directory(user: Any) -> bool:
    """The richer directory (more fields and filters): members and staff."""
    roles = user_roles(user)
    return roles.staff or roles.member


def can_list_non_members(user: Any) -> bool:
    return is_staff(user)


def can_view_profile(user: Any, *, is_member: bool) -> bool:
    """A profile is public while the organisation is a member; staff see every profile."""
    return is_member or is_staff(user)


def can_edit_profile(user: Any, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def _base_level(user: Any) -> str:
    if is_staff(user):
        return Visibility.STAFF
    if user_roles(user).member:
        return Visibility.MEMBERS
    return Visibility.PUBLIC


def visible_fields_many(user: Any, organisations: Iterable[Organisation]) -> dict[int, set[str]]:
    """`visible_fields(user, organisation)` for many organisations, with two queries."""
    organisations = list(organisations)
    if not organisations:
        return {}
    limits = field_limits()
    base = _base_level(user)
    own: set[int] = set()
    if getattr(user, "is_authenticated", False):
        own = set(user_organisations(user).values_list("pk", flat=True))
    result = {}
    for organisation in organisations:
        level = VISIBILITY_RANK[Visibility.STAFF if organisation.pk in own else base]
        result[organisation.pk] = {
            name
            for name, needed in effective_visibility(organisation, limits).items()
            if VISIBILITY_RANK[needed] <= level
        }
    return result


def annotate_visibility(user: Any, organisations: list[Organisation], *, members: int) -> None:
    """Set `directory_visible` (field names) and `directory_is_member` on each organisation."""
    visible = visible_fields_many(user, organisations)
    for organisation in organisations:
        organisation.directory_visible = visible.get(organisation.pk, set())  # type: ignore[attr-defined]
        organisation.directory_is_member = bool(members >> organisation.pk & 1)  # type: ignore[attr-defined]
        figures = getattr(organisation, "directory_figures", None)
        organisation.directory_latest_figures = figures[0] if figures else None  # type: ignore[attr-defined]
