"""The waitlist: lapsed offers expire, freed seats are offered in order of arrival, and the
person offered a seat confirms or declines it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import Event, EventStatus, Registration
from grappe.events.services.registrations.common import (
    S,
    _ended_message,
    _lock,
    _mail,
    _reloaded,
    seats_taken,
)


def _expire(event: Event, now: dt.datetime) -> int:
    """Offers past their deadline lapse (the caller holds the event's lock)."""
    expired = list(
        event.registrations.filter(status=S.OFFERED, offer_expires_at__lte=now).select_related(
            "person", "event"
        )
    )
    for registration in expired:
        before = snapshot(registration)
        registration.status = S.EXPIRED
        registration.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None, obj=registration, action="registration.offer_expire", before=before
        )
        _mail(registration, "events_offer_expired")
    return len(expired)


def _promote(event: Event, now: dt.datetime) -> list[Registration]:
    """Offer the free seats to the waitlist in order of arrival; someone waiting for a full
    ticket category lets the next one by. The caller holds the event's lock."""
    if now >= event.starts_at or event.status != EventStatus.PUBLISHED:
        return []
    waiting = event.registrations.filter(status=S.WAITLISTED)
    if not waiting.exists():  # the usual case before the event is full: one query
        return []
    total, by_ticket = seats_taken(event)
    if event.capacity is not None and total >= event.capacity:
        return []
    capacities = dict(event.tickets.values_list("pk", "capacity"))
    deadline = min(now + dt.timedelta(hours=event.offer_hours), event.starts_at)
    promoted: list[Registration] = []
    for registration in waiting.select_related("person", "event").order_by("waitlisted_at", "id"):
        if event.capacity is not None and total >= event.capacity:
            break
        capacity = capacities.get(registration.ticket_id)
        if capacity is not None and by_ticket.get(registration.ticket_id, 0) >= capacity:
            continue
        before = snapshot(registration)
        registration.status = S.OFFERED
        registration.offered_at, registration.offer_expires_at = now, deadline
        registration.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        audit_record(actor=None, obj=registration, action="registration.offer", before=before)
        _mail(registration, "events_offer_made")
        total += 1
        by_ticket[registration.ticket_id] = by_ticket.get(registration.ticket_id, 0) + 1
        promoted.append(registration)
    return promoted


def _refresh(event: Event, now: dt.datetime) -> int:
    """Expire lapsed offers, then offer every free seat (a raised capacity included)."""
    expired = _expire(event, now)
    _promote(event, now)
    return expired


def _refreshed(event: Event, now: dt.datetime) -> None:
    """Bring the event's waitlist up to date in a transaction of its own, before the
    service's: an offer that has lapsed stays lapsed even when the action is then refused."""
    lapsed = Registration.objects.filter(
        event_id=event.pk, status=S.OFFERED, offer_expires_at__lte=now
    )
    if not lapsed.exists():  # the usual case costs one indexed query and no lock
        return
    with transaction.atomic():
        _refresh(_lock(event), now)


def offer_free_seats(event: Event, now: dt.datetime) -> list[Registration]:
    """Offer the seats a raised capacity frees; the caller holds the event's lock (a service
    that changed the capacity in its own transaction)."""
    return _promote(event, now)


def waitlist_promote(*, event: Event, now: dt.datetime | None = None) -> list[Registration]:
    """Offer the free seats now (call it after raising a capacity)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(event)
        _expire(locked, now)
        return _promote(locked, now)


def offers_expire(*, event: Event | None = None, now: dt.datetime | None = None) -> int:
    """Expire the offers past their deadline and pass the seats on; for one event or for
    every event with offers or a waitlist (`events_tick`). Returns how many expired."""
    now = now or timezone.now()
    if event is not None:
        ids = [event.pk]
    else:
        ids = list(
            Event.objects.filter(
                Q(registrations__status=S.OFFERED, registrations__offer_expires_at__lte=now)
                | Q(registrations__status=S.WAITLISTED, starts_at__gt=now)
            )
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    expired = 0
    for pk in ids:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=pk)
            expired += _refresh(locked, now)
    return expired


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not waiting."""
    if registration.status != S.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = Registration.objects.filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk),
        event_id=registration.event_id,
        status=S.WAITLISTED,
    ).count()
    return ahead + 1


# --- Confirming, declining -------------------------------------------------------------------


def offer_confirm(
    *, actor: Any, registration: Registration, now: dt.datetime | None = None
) -> Registration:
    """Take the seat offered from the waitlist, before its deadline."""
    require(permissions.can_answer_offer(actor, registration))
    now = now or timezone.now()
    _refreshed(registration.event, now)
    with transaction.atomic():
        _lock(registration.event)
        registration = _reloaded(registration)
        if registration.status != S.OFFERED:
            if registration.status in {S.EXPIRED, S.CANCELLED}:
                raise ValidationError({"registration": _ended_message(registration)})
            raise ValidationError({"registration": _("No seat is offered on this registration.")})
        before = snapshot(registration)
        registration.status, registration.confirmed_at = S.CONFIRMED, now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_record(actor=actor, obj=registration, action="registration.confirm", before=before)
        _mail(registration, "events_registration_confirmed")
    return registration


def offer_decline(
    *, actor: Any, registration: Registration, now: dt.datetime | None = None
) -> Registration:
    """Decline the seat offered: it goes to the next person waiting."""
    require(permissions.can_answer_offer(actor, registration))
    now = now or timezone.now()
    _refreshed(registration.event, now)
    with transaction.atomic():
        event = _lock(registration.event)
        registration = _reloaded(registration)
        if registration.status != S.OFFERED:
            if registration.status in {S.EXPIRED, S.CANCELLED}:
                raise ValidationError({"registration": _ended_message(registration)})
            raise ValidationError({"registration": _("No seat is offered on this registration.")})
        before = snapshot(registration)
        registration.status = S.CANCELLED
        registration.cancelled_at, registration.cancelled_by = now, actor
        registration.cancel_reason = "offer declined"
        registration.save()
        audit_record(actor=actor, obj=registration, action="registration.decline", before=before)
        _mail(registration, "events_offer_declined")
        _promote(event, now)
    return registration
