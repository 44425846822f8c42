"""Figures computed from the data, never typed in."""

from __future__ import annotations

from typing import Any

from grappe.members.selectors import member_organisations


def public_headline() -> dict[str, Any]:
    return {"members": member_organisations().count()}
