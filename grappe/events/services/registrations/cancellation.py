"""Cancelling a registration, and letting a registrant in at the door."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.i18n import date_format
from grappe.core.permissions import is_staff, require
from grappe.events import permissions
from grappe.events.models import ACTIVE, Event, Registration
from grappe.events.services.registrations.common import (
    S,
    _ended_message,
    _lock,
    _mail,
    _reloaded,
    cancellation_deadline,
    normalise_code,
)
from grappe.events.services.registrations.waitlist import _promote, _refreshed
from grappe.events.services.tickets import registration_from_token


@dataclass(frozen=True)
class CheckIn:
    """The outcome of a check-in: `already` when the person had come in before, at `at`."""

    registration: Registration
    already: bool
    at: dt.datetime


# --- Cancelling ------------------------------------------------------------------------------


def registration_cancel(
    *, actor: Any, registration: Registration, reason: str = "", now: dt.datetime | None = None
) -> Registration:
    """Cancel a registration or leave the waitlist. A confirmed seat may be given back online
    until the cancellation deadline (staff at any time); the freed seat is offered on."""
    require(permissions.can_cancel_registration(actor, registration))
    now = now or timezone.now()
    _refreshed(registration.event, now)
    with transaction.atomic():
        event = _lock(registration.event)
        registration = _reloaded(registration)
        if registration.status not in ACTIVE:
            raise ValidationError({"registration": _ended_message(registration)})
        deadline = cancellation_deadline(event)
        if registration.status == S.CONFIRMED and now > deadline and not is_staff(actor):
            raise ValidationError(
                {
                    "registration": _(
                        "Registrations can be cancelled online until %(deadline)s; "
                        "write to the cluster's team."
                    )
                    % {"deadline": date_format(timezone.localtime(deadline), "DATETIME_FORMAT")}
                }
            )
        held = registration.holds_seat
        before = snapshot(registration)
        registration.status = S.CANCELLED
        registration.cancelled_at, registration.cancelled_by = now, actor
        registration.cancel_reason = (reason or "").strip()[:300]
        registration.save()
        audit_record(actor=actor, obj=registration, action="registration.cancel", before=before)
        by_self = registration.person.user_id == getattr(actor, "pk", None)
        _mail(registration, "events_registration_cancelled", by_self=by_self)
        if held:
            _promote(event, now)
    return registration


# --- At the door -----------------------------------------------------------------------------


def registration_check_in(
    *, actor: Any, event: Event, code: str, now: dt.datetime | None = None
) -> CheckIn:
    """Let a registrant in: `code` is the typed short code (case and spaces do not matter)
    or the token scanned from the QR code. Checking in twice is not an error: `already`."""
    require(permissions.can_check_in(actor, event))
    now = now or timezone.now()
    text = (code or "").strip()
    if not text:
        raise ValidationError({"code": _("Type the ticket's code or scan its QR code.")})
    with transaction.atomic():
        if ":" in text:
            found = registration_from_token(text)
            if found is None:
                raise ValidationError({"code": _("This QR code is not a ticket of ours.")})
            code_value = found.code
        else:
            code_value = normalise_code(text)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "person", "ticket", "organisation")
            .filter(code=code_value)
            .first()
        )
        registration = _admissible(registration, event)
        if registration.checked_in_at is not None:
            return CheckIn(registration=registration, already=True, at=registration.checked_in_at)
        before = snapshot(registration)
        registration.checked_in_at, registration.checked_in_by = now, actor
        registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
        audit_record(actor=actor, obj=registration, action="registration.check_in", before=before)
    return CheckIn(registration=registration, already=False, at=now)


def _admissible(registration: Registration | None, event: Event) -> Registration:
    if registration is None:
        raise ValidationError({"code": _("No ticket has this code.")})
    if registration.event_id != event.pk:
        raise ValidationError(
            {
                "code": _("This ticket is for another event: %(event)s.")
                % {"event": registration.event.title}
            }
        )
    reasons: dict[str, str] = {
        S.CANCELLED: _("This registration was cancelled."),
        S.EXPIRED: _("This person did not confirm the seat offered: no seat."),
        S.WAITLISTED: _("This person is on the waitlist and has no seat."),
        S.OFFERED: _("This person was offered a seat but has not confirmed it yet."),
    }
    if registration.status in reasons:
        raise ValidationError({"code": reasons[registration.status]})
    return registration
