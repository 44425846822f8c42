"""Registrations: take a seat or a place on the waitlist, cancel, confirm or decline a freed
seat, check in at the door; and cancel a whole event.

No seat is ever sold twice: every service that takes or frees a seat first locks the event's
row (`SELECT … FOR UPDATE`), so the services of one event run one after the other, then
counts the seat-holding registrations of the event and of the ticket. A partial unique
constraint keeps one active registration per person and event. Before anything else, each
service on an event expires the offers whose deadline has passed and offers the freed seats
to the waitlist, first come first served (`events_tick` does the same for every event)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import is_staff, require
from grappe.events import permissions
from grappe.events.models import (
    ACTIVE,
    SEAT_HOLDING,
    Event,
    EventStatus,
    PriceCategory,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from grappe.events.services.pricing import price_in_force, ticket_eligibility
from grappe.events.services.tickets import registration_from_token
from grappe.members.models import Affiliation, Organisation, Person
from grappe.members.selectors import affiliation_current_q

S = RegistrationStatus
# Short ticket codes: no 0/O, 1/I, easy to read out and type at the door.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


@dataclass(frozen=True)
class CheckIn:
    """The outcome of a check-in: `already` when the person had come in before, at `at`."""

    registration: Registration
    already: bool
    at: dt.datetime


# --- Shared pieces ---------------------------------------------------------------------------


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


# --- The waitlist ----------------------------------------------------------------------------


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


# --- Registering -----------------------------------------------------------------------------


def _clean_answers(event: Event, answers: dict[Any, Any] | None) -> dict[str, Any]:
    """The answers keyed by question id, checked against each question's kind and choices.
    Errors are named `question_<id>` (the registration form's field names)."""
    answers = {str(key): value for key, value in (answers or {}).items()}
    questions = {str(q.pk): q for q in Question.objects.filter(event=event)}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise ValidationError(
            {"answers": _("Unknown question: %(ids)s.") % {"ids": ", ".join(unknown)}}
        )
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, question in questions.items():
        value, problem = _clean_answer(question, answers.get(key))
        if problem:
            errors[f"question_{key}"] = problem
        elif value not in (None, "", []):
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_answer(question: Question, value: Any) -> tuple[Any, str | None]:
    required = _("This question needs an answer.")
    options = [stored for stored, _label in question.options]
    if question.kind == QuestionKind.YES_NO:
        if value in (None, ""):
            return None, required if question.required else None
        if isinstance(value, bool):
            return value, None
        if str(value).lower() in {"yes", "true", "1", "oui"}:
            return True, None
        if str(value).lower() in {"no", "false", "0", "non"}:
            return False, None
        return None, _("Answer yes or no.")
    if question.kind == QuestionKind.CHOICES:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        values = [str(v) for v in values]
        if not values:
            return [], required if question.required else None
        if any(v not in options for v in values):
            return None, _("Choose among the proposed answers.")
        return values, None
    text = "" if value is None else str(value).strip()
    if not text:
        return "", required if question.required else None
    if question.kind == QuestionKind.CHOICE and text not in options:
        return None, _("Choose one of the proposed answers.")
    if len(text) > 2000:
        return None, _("Answer in at most 2,000 characters.")
    return text, None


def _check_registrant(
    event: Event,
    ticket: TicketCategory,
    person: Person,
    organisation: Organisation | None,
    now: dt.datetime,
) -> None:
    if ticket.event_id != event.pk:
        raise ValidationError({"ticket": _("This ticket is not one of this event's.")})
    if organisation is not None and not (
        Affiliation.objects.filter(
            affiliation_current_q(timezone.localdate(now)), person=person, organisation=organisation
        ).exists()
    ):
        raise ValidationError(
            {
                "organisation": _("%(person)s is not a current contact of %(organisation)s.")
                % {"person": person.full_name, "organisation": organisation.name}
            }
        )
    existing = Registration.objects.filter(event=event, person=person, status__in=ACTIVE).first()
    if existing is not None:
        raise _already_registered(person, existing)


def _already_registered(person: Person, existing: Registration | None) -> ValidationError:
    if existing is not None and existing.status == S.WAITLISTED:
        message = _("%(person)s is already on the waitlist of this event.")
    else:
        message = _("%(person)s is already registered for this event.")
    return ValidationError({"person": message % {"person": person.full_name}})


def registration_create(
    *,
    actor: Any,
    event: Event,
    person: Person,
    ticket: TicketCategory,
    organisation: Organisation | None = None,
    answers: dict[Any, Any] | None = None,
    student: bool = False,
    now: dt.datetime | None = None,
) -> Registration:
    """Register `person` on `ticket`: a confirmed seat when one is free in the event and in
    the ticket category, else a place on the waitlist. The price in force today is frozen on
    the registration; the mail (with the ticket when confirmed) goes to the person."""
    require(permissions.can_register_person(actor, event, person, organisation))
    now = now or timezone.now()
    # Everything that does not depend on the seats is checked before taking the lock, so
    # that the lock is held for a few queries only (see bench/registration_race.py).
    _check_open(event, actor, now)
    _check_registrant(event, ticket, person, organisation, now)
    reason = ticket_eligibility(
        ticket=ticket,
        person=person,
        organisation=organisation,
        event=event,
        student=student,
        actor=actor,
    )
    if reason:
        raise ValidationError({"ticket": reason})
    price = price_in_force(ticket, timezone.localdate(now))
    if price is None:
        raise ValidationError({"ticket": _("This ticket has no price in force today.")})
    cleaned = _clean_answers(event, answers)
    code = _new_code()
    _refreshed(event, now)
    with transaction.atomic():
        event = _lock(event)
        _check_open(event, actor, now)  # again: it may have been cancelled meanwhile
        confirmed = _seat_free(event, ticket, now)
        registration = Registration(
            event=event,
            ticket=ticket,
            person=person,
            organisation=organisation,
            registered_by=actor if getattr(actor, "is_authenticated", False) else None,
            status=S.CONFIRMED if confirmed else S.WAITLISTED,
            price_label=f"{ticket.name} – {price.label}" if price.label else ticket.name,
            amount=price.amount,
            vat_rate=price.vat_rate,
            answers=cleaned,
            student_declared=bool(student) and ticket.category == PriceCategory.STUDENT,
            language=person.language or "fr",
            code=code,
            confirmed_at=now if confirmed else None,
            waitlisted_at=None if confirmed else now,
        )
        try:
            registration.save()
        except IntegrityError as error:
            # The partial unique constraint: the same person's other request got in first.
            # The transaction is rolled back as the ValidationError leaves the block.
            raise _already_registered(person, None) from error
        audit_record(actor=actor, obj=registration, action="registration.create")
    # Rendered once the lock is released; sent after the commit of any outer transaction.
    if confirmed:
        _mail(registration, "events_registration_confirmed")
    else:
        _mail(
            registration,
            "events_registration_waitlisted",
            position=waitlist_position(registration),
        )
    return registration


def _check_open(event: Event, actor: Any, now: dt.datetime) -> None:
    closed = registration_closed_reason(event, now)
    if closed and not (is_staff(actor) and event.status == EventStatus.PUBLISHED):
        raise ValidationError({"event": closed})
    if now >= event.ends_at:
        raise ValidationError({"event": _("This event is over.")})


def _seat_free(event: Event, ticket: TicketCategory, now: dt.datetime) -> bool:
    """Whether a seat is free for `ticket` once the people waiting had theirs (the caller
    holds the event's lock)."""
    total, by_ticket = seats_taken(event)
    if _has_seat(event, ticket, total, by_ticket) and _promote(event, now):
        total, by_ticket = seats_taken(event)  # a raised capacity went to the waitlist first
    return _has_seat(event, ticket, total, by_ticket)


def registration_create_for_new_colleague(
    *,
    actor: Any,
    event: Event,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str,
    ticket: TicketCategory,
    answers: dict[Any, Any] | None = None,
    student: bool = False,
    now: dt.datetime | None = None,
) -> Registration:
    """An organisation's administrator registers a colleague not yet known: the person and
    a confirmed affiliation are made (as on the contacts page), then the registration. All or
    nothing: a refused registration leaves no new contact behind."""
    from grappe.members.services import contact_add

    require(
        permissions.can_register(actor, event)
        and permissions.can_add_colleague(actor, organisation)
    )
    errors = {}
    if not (first_name or "").strip():
        errors["first_name"] = _("Give the colleague's first name.")
    if not (last_name or "").strip():
        errors["last_name"] = _("Give the colleague's last name.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        affiliation = contact_add(
            actor=actor,
            organisation=organisation,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )
        return registration_create(
            actor=actor,
            event=event,
            person=affiliation.person,
            ticket=ticket,
            organisation=organisation,
            answers=answers,
            student=student,
            now=now,
        )


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


# --- Cancelling, confirming, declining -------------------------------------------------------


def _reloaded(registration: Registration) -> Registration:
    return Registration.objects.select_related("event", "person", "ticket").get(pk=registration.pk)


def _ended_message(registration: Registration) -> str:
    if registration.status == S.EXPIRED:
        return _("The offered seat was not confirmed in time: it went to the next person.")
    return _("This registration is already cancelled.")


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


# --- Cancelling an event ---------------------------------------------------------------------


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
