"""Cancelling an event: every active registration ends and every registrant is told why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import ACTIVE, Event, EventStatus, Registration
from grappe.events.services.registrations.common import S, _lock, _mail


def event_cancel(*, actor: Any, event: Event, reason: str, now: dt.datetime | None = None) -> Event:
    """Cancel the event: every registration still active ends, and every registrant (seated,
    offered or waiting) is told why, each in their language."""
    require(permissions.can_cancel_event(actor, event))
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: it is sent to every registrant.")})
    with transaction.atomic():
        event = _lock(event)
        if event.status == EventStatus.CANCELLED:
            raise ValidationError({"status": _("This event is already cancelled.")})
        before = snapshot(event)
        event.status, event.cancelled_at, event.cancel_reason = EventStatus.CANCELLED, now, reason
        event.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        registrations = list(
            event.registrations.filter(status__in=ACTIVE).select_related("person", "event")
        )
        for registration in registrations:
            _mail(registration, "events_cancelled", reason=reason, previous=registration.status)
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            status=S.CANCELLED,
            cancelled_at=now,
            cancelled_by=actor,
            cancel_reason=reason[:300],
            updated_at=now,
        )
        audit_record(
            actor=actor,
            obj=event,
            action="event.cancel",
            before=before,
            after={**snapshot(event), "registrations_cancelled": len(registrations)},
        )
    return event
