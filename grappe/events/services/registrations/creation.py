"""Registering: the answers to the questions, the registrant's checks, then a seat or a place
on the waitlist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record
from grappe.core.permissions import is_staff, require
from grappe.events import permissions
from grappe.events.models import (
    ACTIVE,
    Event,
    EventStatus,
    PriceCategory,
    Question,
    QuestionKind,
    Registration,
    TicketCategory,
)
from grappe.events.services.pricing import price_in_force, ticket_eligibility
from grappe.events.services.registrations.common import (
    S,
    _has_seat,
    _lock,
    _mail,
    _new_code,
    registration_closed_reason,
    seats_taken,
)
from grappe.events.services.registrations.waitlist import _promote, _refreshed, waitlist_position
from grappe.members.models import Affiliation, Organisation, Person
from grappe.members.selectors import affiliation_current_q


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
