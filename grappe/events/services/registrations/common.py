"""Shared by the registration services: the event's lock, ticket codes, the registration
window, the seats held, and the mails to the registrant."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.i18n import date_format
from grappe.core.mail import mail_after_commit
from grappe.events.models import (
    SEAT_HOLDING,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    TicketCategory,
)

S = RegistrationStatus
# Short ticket codes: no 0/O, 1/I, easy to read out and type at the door.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _lock(event: Event) -> Event:
    """The event row, locked until the end of the transaction (a no-op on SQLite, where
    writes are serialised anyway)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def normalise_code(text: str) -> str:
    """A typed code: case and spaces (and dashes) do not matter."""
    return "".join((text or "").split()).replace("-", "").upper()


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
        if not Registration.objects.filter(code=code).exists():
            return code


def cancellation_deadline(event: Event) -> dt.datetime:
    """Registrants cancel online until then: the deadline set, else the start."""
    return event.cancellation_deadline or event.starts_at


def registration_closed_reason(event: Event, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register now (cancelled, not open yet, closed), or None when open.
    The window is the event's own, separate from the price windows."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return _("This event is cancelled.")
    if event.status != EventStatus.PUBLISHED:
        return _("This event is not published.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(date)s.") % {
            "date": date_format(timezone.localtime(event.registration_opens_at), "DATETIME_FORMAT")
        }
    closes = event.registration_closes_at or event.starts_at
    if now >= closes:
        return _("Registration is closed.")
    return None


def seats_taken(event: Event) -> tuple[int, dict[int, int]]:
    """Seats held (confirmed and offered) in the event and per ticket category."""
    rows = (
        Registration.objects.filter(event=event, status__in=SEAT_HOLDING)
        .values("ticket")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_ticket = {row["ticket"]: row["n"] for row in rows}
    return sum(by_ticket.values()), by_ticket


def _has_seat(event: Event, ticket: TicketCategory, total: int, by_ticket: dict[int, int]) -> bool:
    if event.capacity is not None and total >= event.capacity:
        return False
    return ticket.capacity is None or by_ticket.get(ticket.pk, 0) < ticket.capacity


def _ticket_attachments(registration: Registration) -> list[tuple[str, str, dict[str, Any], str]]:
    return [
        (
            f"ticket-{registration.code}.png",
            "grappe.events.services.tickets.registration_qr_png",
            {"registration_id": registration.pk},
            "image/png",
        ),
        (
            f"{registration.event.slug}.ics",
            "grappe.events.services.tickets.registration_ics",
            {"registration_id": registration.pk},
            "text/calendar",
        ),
    ]


def _mail(registration: Registration, template: str, **extra: Any) -> None:
    """One mail to the registrant, in their language; the confirmation carries the ticket."""
    attachments = _ticket_attachments(registration) if template.endswith("_confirmed") else None
    mail_after_commit(
        to=[registration.person.email],
        template=template,
        context={"registration": registration, "event": registration.event, **extra},
        language=registration.language or "fr",
        attachments=attachments,
    )


def _reloaded(registration: Registration) -> Registration:
    return Registration.objects.select_related("event", "person", "ticket").get(pk=registration.pk)


def _ended_message(registration: Registration) -> str:
    if registration.status == S.EXPIRED:
        return _("The offered seat was not confirmed in time: it went to the next person.")
    return _("This registration is already cancelled.")
