"""Who may see which figures: everyone sees the aggregates, staff see everything."""

from __future__ import annotations

from typing import Any

from grappe.core.permissions import is_staff


def can_view_staff_figures(user: Any) -> bool:
    """Absolute amounts, the names of organisations that joined or left, the CSV files."""
    return is_staff(user)
