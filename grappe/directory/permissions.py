"""Who sees what in the directory. Field visibility itself is decided by
grappe.members.permissions (`visible_fields`, `viewer_level`); this module applies the same
rules to a whole page of organisations at once (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from grappe.core.permissions import is_staff
from grappe.members.models import Organisation
from grappe.members.permissions import (
    can_edit_organisation,
    can_view_members_directory,
    visible_fields_many,
)


def can_use_members_directory(user: Any) -> bool:
    """The richer directory (more fields and filters): members and staff."""
    return can_view_members_directory(user)


def can_list_non_members(user: Any) -> bool:
    return is_staff(user)


def can_view_profile(user: Any, *, is_member: bool) -> bool:
    """A profile is public while the organisation is a member; staff see every profile."""
    return is_member or is_staff(user)


def can_edit_profile(user: Any, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def annotate_visibility(user: Any, organisations: list[Organisation], *, members: int) -> None:
    """Set `directory_visible` (field names) and `directory_is_member` on each organisation."""
    visible = visible_fields_many(user, organisations)
    for organisation in organisations:
        organisation.directory_visible = visible.get(organisation.pk, set())  # type: ignore[attr-defined]
        organisation.directory_is_member = bool(members >> organisation.pk & 1)  # type: ignore[attr-defined]
        figures = getattr(organisation, "directory_figures", None)
        organisation.directory_latest_figures = figures[0] if figures else None  # type: ignore[attr-defined]
