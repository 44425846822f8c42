"""Who may export and import: staff only; an uploaded file is seen and confirmed by its owner."""

from __future__ import annotations

from typing import Any

from grappe.core.permissions import is_staff
from grappe.dataexchange.models import ImportBatch
from grappe.members.permissions import can_import_export


def can_export(user: Any) -> bool:
    return can_import_export(user)


def can_import(user: Any) -> bool:
    return can_import_export(user)


def can_handle_import(user: Any, batch: ImportBatch) -> bool:
    """See the report of, confirm or cancel an uploaded file: only the staff member who
    uploaded it (the file may hold personal data the others have not chosen to load)."""
    return can_import(user) and is_staff(user) and batch.owner_id == user.pk
