"""The programme: talks and sessions, or for a trade mission visits, meetings and journeys."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import Event, ProgrammeItem
from grappe.events.services.events.common import PROGRAMME_FIELDS, _add, _clean, _locked_event


def _event_days(event: Event) -> tuple[dt.date, dt.date]:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    return event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()


def _validate_item(item: ProgrammeItem, errors: dict[str, list[str]]) -> None:
    if item.starts_at is None:
        return
    if item.ends_at and item.ends_at < item.starts_at:
        _add(errors, "ends_at", _("The item cannot end before it starts."))
    first, last = _event_days(item.event)
    day = item.starts_at.astimezone(zoneinfo.ZoneInfo(item.event.time_zone)).date()
    if not first <= day <= last:
        _add(
            errors,
            "starts_at",
            _("The item must take place during the event (%(first)s – %(last)s).")
            % {"first": first.isoformat(), "last": last.isoformat()},
        )


def _save_item(item: ProgrammeItem, data: dict[str, Any]) -> None:
    for field in PROGRAMME_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    errors: dict[str, list[str]] = {}
    _validate_item(item, errors)
    _clean(item, errors, exclude=["event"])
    item.save()


def programme_item_create(*, actor: Any, event: Event, data: dict[str, Any]) -> ProgrammeItem:
    """A talk, a session, or for a trade mission a visit, a meeting or a journey."""
    require(permissions.can_manage_events(actor, event))
    with transaction.atomic():
        event = _locked_event(event)
        item = ProgrammeItem(event=event)
        _save_item(item, data)
        audit_record(actor=actor, obj=item, action="event.programme.create")
    return item


def programme_item_update(
    *, actor: Any, item: ProgrammeItem, data: dict[str, Any]
) -> ProgrammeItem:
    require(permissions.can_manage_events(actor, item.event))
    with transaction.atomic():
        _locked_event(item.event)
        item = ProgrammeItem.objects.select_related("event").get(pk=item.pk)
        before = snapshot(item)
        _save_item(item, data)
        audit_record(actor=actor, obj=item, action="event.programme.update", before=before)
    return item


def programme_item_delete(*, actor: Any, item: ProgrammeItem) -> None:
    require(permissions.can_manage_events(actor, item.event))
    with transaction.atomic():
        _locked_event(item.event)
        audit_record(actor=actor, obj=item, action="event.programme.delete", after={})
        item.delete()
