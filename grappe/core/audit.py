"""The audit trail: every service that changes state calls `audit_record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from grappe.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-ready, keyed by attribute name."""
    result: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"created_at", "updated_at", "password", "search_text"}:
            continue
        result[field.name] = _plain(_as_stored(field, getattr(obj, field.attname)))
    return result


def _as_stored(field: models.Field[Any, Any], value: Any) -> Any:
    """A decimal as the database keeps it (40 and 40.00 are one value, not a change)."""
    places = getattr(field, "decimal_places", None)
    if isinstance(value, decimal.Decimal) and places is not None and value.is_finite():
        try:
            return value.quantize(decimal.Decimal(1).scaleb(-places))
        except decimal.InvalidOperation:
            return value
    return value


def audit_record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit row; only the fields whose value changed are kept."""
    before = before or {}
    after = after if after is not None else snapshot(obj)
    changes = {
        key: [before.get(key), value]
        for key, value in after.items()
        if key not in before or before.get(key) != value
    }
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        action=action,
        changes=changes,
    )


def audit_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj.__class__), object_id=str(obj.pk)
    ).select_related("actor")
