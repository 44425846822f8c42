"""The price list: the ticket categories of an event and their dated prices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import (
    SEAT_HOLDING,
    Event,
    Price,
    PricingBasis,
    Registration,
    TicketCategory,
)
from grappe.events.services.events.common import (
    PRICE_FIELDS,
    TICKET_FIELDS,
    _add,
    _clean,
    _locked_event,
    _raised,
)
from grappe.events.services.registrations import offer_free_seats


def _validate_ticket(ticket: TicketCategory, errors: dict[str, list[str]]) -> None:
    event = ticket.event
    siblings = event.tickets.exclude(pk=ticket.pk)
    if siblings.filter(category=ticket.category).exists():
        _add(errors, "category", _("The event already has a ticket of this category."))
    if (
        ticket.capacity is not None
        and event.capacity is not None
        and (ticket.capacity > event.capacity)
    ):
        _add(
            errors,
            "capacity",
            _("More seats than the event's capacity (%(capacity)s).")
            % {"capacity": event.capacity},
        )
    if ticket.pk is None:
        return
    registrations = Registration.objects.filter(ticket=ticket)
    stored = TicketCategory.objects.get(pk=ticket.pk)
    if stored.category != ticket.category and registrations.exists():
        _add(errors, "category", _("People registered on this ticket: its category stays."))
    if ticket.capacity is not None:
        held = registrations.filter(status__in=SEAT_HOLDING).count()
        if held > ticket.capacity:
            _add(
                errors,
                "capacity",
                _("%(count)s people already hold a seat: the capacity cannot be lower.")
                % {"count": held},
            )


def ticket_create(*, actor: Any, event: Event, data: dict[str, Any]) -> TicketCategory:
    require(permissions.can_manage_events(actor, event))
    with transaction.atomic():
        event = _locked_event(event)
        ticket = TicketCategory(event=event)
        for field in TICKET_FIELDS:
            if field in data:
                setattr(ticket, field, data[field])
        errors: dict[str, list[str]] = {}
        _validate_ticket(ticket, errors)
        _clean(ticket, errors, exclude=["event"])
        ticket.save()
        audit_record(actor=actor, obj=ticket, action="event.ticket.create")
    return ticket


def ticket_update(*, actor: Any, ticket: TicketCategory, data: dict[str, Any]) -> TicketCategory:
    require(permissions.can_manage_events(actor, ticket.event))
    with transaction.atomic():
        _locked_event(ticket.event)
        ticket = TicketCategory.objects.select_related("event").get(pk=ticket.pk)
        before = snapshot(ticket)
        for field in TICKET_FIELDS:
            if field in data:
                setattr(ticket, field, data[field])
        errors: dict[str, list[str]] = {}
        _validate_ticket(ticket, errors)
        _clean(ticket, errors, exclude=["event"])
        ticket.save()
        audit_record(actor=actor, obj=ticket, action="event.ticket.update", before=before)
        if _raised(before.get("capacity"), ticket.capacity):
            offer_free_seats(ticket.event, timezone.now())
    return ticket


def ticket_delete(*, actor: Any, ticket: TicketCategory) -> None:
    """Remove a ticket nobody registered on (its prices go with it)."""
    require(permissions.can_manage_events(actor, ticket.event))
    with transaction.atomic():
        _locked_event(ticket.event)
        if Registration.objects.filter(ticket=ticket).exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("People registered on this ticket: it cannot be removed.")]}
            )
        audit_record(actor=actor, obj=ticket, action="event.ticket.delete", after={})
        ticket.delete()


def _window(price: Price) -> str:
    start = price.valid_from.isoformat() if price.valid_from else "…"
    end = price.valid_until.isoformat() if price.valid_until else "…"
    return f"{start} – {end}"


def windows_overlap(
    a_from: dt.date | None, a_until: dt.date | None, b_from: dt.date | None, b_until: dt.date | None
) -> bool:
    """Two date windows (None: open-ended) share at least one day."""
    starts_before_b_ends = a_from is None or b_until is None or a_from <= b_until
    b_starts_before_a_ends = b_from is None or a_until is None or b_from <= a_until
    return starts_before_b_ends and b_starts_before_a_ends


def _validate_price(price: Price, errors: dict[str, list[str]]) -> None:
    event = price.ticket.event
    if price.valid_from and price.valid_until and price.valid_until < price.valid_from:
        _add(errors, "valid_until", _("The price cannot end before it starts."))
        return
    if event.pricing_basis == PricingBasis.FREE and price.amount and price.amount > 0:
        _add(errors, "amount", _("The event is free of charge: its prices are zero."))
    others = price.ticket.prices.exclude(pk=price.pk) if price.pk else price.ticket.prices.all()
    # Earliest first, open start first, on every database (NULLs sort differently).
    for other in sorted(others, key=lambda p: (p.valid_from or dt.date.min, p.pk)):
        if windows_overlap(
            price.valid_from, price.valid_until, other.valid_from, other.valid_until
        ):
            _add(
                errors,
                "valid_from",
                _("These dates overlap another price of the same ticket (%(window)s).")
                % {"window": _window(other)},
            )
            break


def _save_price(price: Price, data: dict[str, Any]) -> None:
    for field in PRICE_FIELDS:
        if field in data:
            setattr(price, field, data[field])
    if price.vat_rate is None:
        price.vat_rate = Decimal("20.00")
    errors: dict[str, list[str]] = {}
    _validate_price(price, errors)
    _clean(price, errors, exclude=["ticket"])
    price.save()


def price_create(*, actor: Any, ticket: TicketCategory, data: dict[str, Any]) -> Price:
    """A price of the ticket; its dates (early bird...) must not overlap the ticket's others."""
    require(permissions.can_manage_events(actor, ticket.event))
    with transaction.atomic():
        _locked_event(ticket.event)  # one writer at a time: two overlapping prices cannot race
        price = Price(ticket=ticket)
        _save_price(price, data)
        audit_record(actor=actor, obj=price, action="event.price.create")
    return price


def price_update(*, actor: Any, price: Price, data: dict[str, Any]) -> Price:
    """Change a price; registrations already made keep the price they were sold at."""
    require(permissions.can_manage_events(actor, price.ticket.event))
    with transaction.atomic():
        _locked_event(price.ticket.event)
        price = Price.objects.select_related("ticket__event").get(pk=price.pk)
        before = snapshot(price)
        _save_price(price, data)
        audit_record(actor=actor, obj=price, action="event.price.update", before=before)
    return price


def price_delete(*, actor: Any, price: Price) -> None:
    require(permissions.can_manage_events(actor, price.ticket.event))
    with transaction.atomic():
        _locked_event(price.ticket.event)
        audit_record(actor=actor, obj=price, action="event.price.delete", after={})
        price.delete()
