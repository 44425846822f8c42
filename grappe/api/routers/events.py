"""The events API under /api/v1/events: the calendar and event pages, one's registrations,
registering, cancelling and answering a seat offered from the waitlist, and the attendee list
for staff. The same selectors, services and permissions as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from grappe.api.auth import AUTHENTICATED, PUBLIC, PUBLIC_OPENAPI
from grappe.api.errors import ErrorOut, conflict_when
from grappe.api.pagination import PageOut, PageQuery, paginate
from grappe.core.permissions import is_staff, require
from grappe.events.models import (
    ACTIVE,
    Event,
    EventKind,
    EventStatus,
    PriceCategory,
    Registration,
    RegistrationStatus,
)
from grappe.events.permissions import can_manage_registrations, can_view_event
from grappe.events.selectors.calendar import (
    CalendarFilters,
    PriceLine,
    calendar_events,
    event_for_viewer,
    event_price_list,
    event_seats,
)
from grappe.events.selectors.registrations import (
    event_attendees,
    registration_for_viewer,
    registrations_of,
    waitlist_positions,
)
from grappe.events.services import registrations as services
from grappe.events.services.tickets import ticket_token
from grappe.members.models import Organisation, Person
from grappe.members.selectors import user_person

router = Router(tags=["events"])

READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACTION_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# --- Schemas ---------------------------------------------------------------------------------


class PriceOut(Schema):
    label: str
    amount: Decimal = Field(description="Excluding VAT.")
    vat_rate: Decimal
    amount_with_vat: Decimal
    currency: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    in_force: bool


class TicketOut(Schema):
    category: str
    name: str
    invitation_only: bool
    capacity: int | None
    seats_left: int | None = Field(description="Left in this category; null: no own limit.")
    full: bool = Field(description="A registration on it now joins the waitlist.")
    price: PriceOut | None = Field(description="The price in force today.")
    prices: list[PriceOut]


class EventSummary(Schema):
    slug: str
    title: str
    kind: str
    kind_label: str
    status: str
    visibility: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    venue_name: str
    city: str
    country: str
    online: bool
    url: str


class EventOut(EventSummary):
    description: str
    street: str
    postcode: str
    organiser: str | None = Field(description="Slug of the organising organisation.")
    partners: list[str]
    competences: list[str] = Field(description="Competence codes.")
    capacity: int | None
    seats_left: int | None
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    registration_closed_reason: str | None = Field(
        description="Why nobody can register now; null when registration is open."
    )
    cancellation_deadline: dt.datetime
    offer_hours: int
    pricing_basis: str
    pricing_basis_label: str
    pricing_note: str
    cancel_reason: str
    tickets: list[TicketOut]
    questions: list[QuestionOut]


class QuestionOut(Schema):
    id: int
    label: str
    kind: str
    required: bool
    choices: list[str] = Field(description="Values to send back (the French wording).")


EventOut.model_rebuild()


class EventFilters(PageQuery):
    kind: EventKind | None = None
    market: str = Field("", description="Code of a competence of the market facet.")
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM.")
    members_only: bool = Field(False, description="Members-only events (members and staff).")
    year: int | None = Field(None, ge=2000, le=2100, description="Past events of that year.")


class EventPage(PageOut):
    items: list[EventSummary]


class RegistrationOut(Schema):
    id: int
    event: str = Field(description="The event's slug.")
    event_title: str
    starts_at: dt.datetime
    person_id: int
    person_name: str
    organisation: str | None = Field(description="Slug of the organisation.")
    ticket: str
    price_label: str
    amount: Decimal
    vat_rate: Decimal
    amount_with_vat: Decimal
    currency: str
    status: str
    status_label: str
    waitlist_position: int | None
    offer_expires_at: dt.datetime | None
    code: str = Field(description="Typed at the entrance.")
    ticket_token: str | None = Field(description="What the QR code carries (seat confirmed).")
    answers: dict[str, Any]
    checked_in_at: dt.datetime | None
    created_at: dt.datetime


class RegistrationPage(PageOut):
    items: list[RegistrationOut]


class NewColleagueIn(Schema):
    first_name: str
    last_name: str
    email: str


class RegisterIn(Schema):
    ticket: PriceCategory
    person: int | None = Field(None, description="A colleague's person id; empty: oneself.")
    organisation: str = Field("", description="Slug of the organisation one comes for.")
    answers: dict[str, Any] = Field({}, description="Question id → answer.")
    student: bool = Field(False, description="Declares being a student (student price).")
    new_colleague: NewColleagueIn | None = Field(
        None, description="Administrators: register a colleague not known yet."
    )


class CancelIn(Schema):
    reason: str = Field("", max_length=300)


class AttendeeFilters(PageQuery):
    status: RegistrationStatus | None = None


# --- Outputs ---------------------------------------------------------------------------------


def _price_out(price: Any, current: Any) -> dict[str, Any]:
    return {
        "label": price.label,
        "amount": price.amount,
        "vat_rate": price.vat_rate,
        "amount_with_vat": price.amount_with_vat,
        "currency": "EUR",
        "valid_from": price.valid_from,
        "valid_until": price.valid_until,
        "in_force": current is not None and price.pk == current.pk,
    }


def _ticket_out(line: PriceLine) -> dict[str, Any]:
    return {
        "category": line.ticket.category,
        "name": line.ticket.name,
        "invitation_only": line.ticket.invitation_only,
        "capacity": line.ticket.capacity,
        "seats_left": line.seats_left,
        "full": line.full,
        "price": _price_out(line.current, line.current) if line.current else None,
        "prices": [_price_out(p, line.current) for p in line.prices],
    }


def _summary(request: HttpRequest, event: Event) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "status": event.status,
        "visibility": event.visibility,
        "summary": event.summary,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "venue_name": event.venue_name,
        "city": event.city,
        "country": event.country,
        "online": bool(event.online_url),
        "url": request.build_absolute_uri(event.get_absolute_url()),
    }


def _event_out(request: HttpRequest, event: Event) -> dict[str, Any]:
    seats = event_seats(event)
    return {
        **_summary(request, event),
        "description": event.description,
        "street": event.street,
        "postcode": event.postcode,
        "organiser": event.organiser.slug if event.organiser else None,
        "partners": [p.slug for p in event.partners.all()],
        "competences": [c.code for c in event.competences.all()],
        "capacity": event.capacity,
        "seats_left": seats.left,
        "registration_opens_at": event.registration_opens_at,
        "registration_closes_at": event.registration_closes_at,
        "registration_closed_reason": services.registration_closed_reason(event),
        "cancellation_deadline": services.cancellation_deadline(event),
        "offer_hours": event.offer_hours,
        "pricing_basis": event.pricing_basis,
        "pricing_basis_label": event.get_pricing_basis_display(),
        "pricing_note": event.pricing_note,
        "cancel_reason": event.cancel_reason,
        "tickets": [_ticket_out(line) for line in event_price_list(event, seats=seats)],
        "questions": [
            {
                "id": q.pk,
                "label": q.label,
                "kind": q.kind,
                "required": q.required,
                "choices": [value for value, _label in q.options],
            }
            for q in event.questions.all()
        ],
    }


def _registration_out(registration: Registration, position: int | None) -> dict[str, Any]:
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return {
        "id": registration.pk,
        "event": registration.event.slug,
        "event_title": registration.event.title,
        "starts_at": registration.event.starts_at,
        "person_id": registration.person_id,
        "person_name": registration.person.full_name,
        "organisation": registration.organisation.slug if registration.organisation else None,
        "ticket": registration.ticket.category,
        "price_label": registration.price_label,
        "amount": registration.amount,
        "vat_rate": registration.vat_rate,
        "amount_with_vat": registration.amount_with_vat,
        "currency": "EUR",
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "waitlist_position": position,
        "offer_expires_at": (
            registration.offer_expires_at
            if registration.status == RegistrationStatus.OFFERED
            else None
        ),
        "code": registration.code,
        "ticket_token": ticket_token(registration) if confirmed else None,
        "answers": registration.answers,
        "checked_in_at": registration.checked_in_at,
        "created_at": registration.created_at,
    }


def _registrations_page(qs: Any, filters: PageQuery) -> dict[str, Any]:
    result = paginate(qs, page=filters.page, per_page=filters.per_page)
    positions = waitlist_positions(result["items"])
    result["items"] = [_registration_out(r, positions.get(r.pk)) for r in result["items"]]
    return result


def _one(registration_id: int, viewer: Any) -> dict[str, Any]:
    registration = registration_for_viewer(pk=registration_id, viewer=viewer)
    if registration is None:
        raise Http404
    return _registration_out(registration, waitlist_positions([registration]).get(registration.pk))


def _event(slug: str, viewer: Any) -> Event:
    event = event_for_viewer(slug=slug, viewer=viewer)
    if event is None:
        raise Http404
    return event


def _registration(registration_id: int, viewer: Any) -> Registration:
    registration = registration_for_viewer(pk=registration_id, viewer=viewer)
    if registration is None:
        raise Http404
    return registration


# --- Calendar --------------------------------------------------------------------------------


@router.get(
    "/events",
    response={200: EventPage, 401: ErrorOut, 422: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    summary="The calendar: upcoming events, or the past events of a year",
)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    month = None
    if filters.month:
        try:
            month = dt.date.fromisoformat(f"{filters.month}-01")
        except ValueError as error:
            raise ValidationError({"month": _("Give the month as YYYY-MM.")}) from error
    events = calendar_events(
        viewer=request.user,
        filters=CalendarFilters(
            kind=filters.kind or "",
            market=filters.market,
            month=month,
            members_only=filters.members_only,
            year=filters.year,
        ),
    )
    result = paginate(events, page=filters.page, per_page=filters.per_page)
    result["items"] = [_summary(request, e) for e in result["items"]]
    return result


# Fixed paths before /events/{slug}: an event cannot be named "registrations".
@router.get(
    "/events/registrations",
    response={200: RegistrationPage, **READ_ERRORS},
    auth=AUTHENTICATED,
    summary="My registrations, and those I made for colleagues",
)
def my_registration_list(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    return _registrations_page(registrations_of(request.user), filters)


@router.get(
    "/events/registrations/{int:registration_id}",
    response={200: RegistrationOut, **READ_ERRORS},
    auth=AUTHENTICATED,
    summary="One registration (the registrant, who registered them, staff)",
)
def registration_detail(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    return _one(registration_id, request.user)


@router.post(
    "/events/registrations/{int:registration_id}/cancel",
    response={200: RegistrationOut, **ACTION_ERRORS},
    auth=AUTHENTICATED,
    summary="Cancel a registration or leave the waitlist (until the deadline; staff always)",
)
def registration_cancel(
    request: HttpRequest, registration_id: int, payload: CancelIn
) -> dict[str, Any]:
    registration = _registration(registration_id, request.user)
    with conflict_when(True):
        services.registration_cancel(
            actor=request.user, registration=registration, reason=payload.reason
        )
    return _one(registration_id, request.user)


@router.post(
    "/events/registrations/{int:registration_id}/confirm",
    response={200: RegistrationOut, **ACTION_ERRORS},
    auth=AUTHENTICATED,
    summary="Take the seat offered from the waitlist, before its deadline",
)
def offer_confirm(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    registration = _registration(registration_id, request.user)
    with conflict_when(True):
        services.offer_confirm(actor=request.user, registration=registration)
    return _one(registration_id, request.user)


@router.post(
    "/events/registrations/{int:registration_id}/decline",
    response={200: RegistrationOut, **ACTION_ERRORS},
    auth=AUTHENTICATED,
    summary="Decline the seat offered: it goes to the next person waiting",
)
def offer_decline(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    registration = _registration(registration_id, request.user)
    with conflict_when(True):
        services.offer_decline(actor=request.user, registration=registration)
    return _one(registration_id, request.user)


@router.get(
    "/events/{slug}",
    response={200: EventOut, 401: ErrorOut, 404: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    summary="One event with its price list (price in force today) and seats",
)
def event_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _event_out(request, _event(slug, request.user))


def _registrant(request: HttpRequest, payload: RegisterIn) -> Person:
    if payload.person is None:
        person = user_person(request.user)
        if person is None:
            raise ValidationError(
                {"person": _("Complete your profile first: your name is needed.")}
            )
        return person
    person = Person.objects.filter(pk=payload.person).first()
    if person is None:
        raise ValidationError({"person": _("No person has this id.")})
    return person


def _organisation(slug: str) -> Organisation | None:
    if not slug:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise ValidationError({"organisation": _("No organisation has this slug.")})
    return organisation


@router.post(
    "/events/{slug}/register",
    response={201: RegistrationOut, **ACTION_ERRORS, 422: ErrorOut},
    auth=AUTHENTICATED,
    summary="Register oneself or a colleague: a seat, or a place on the waitlist when full",
)
def event_register(request: HttpRequest, slug: str, payload: RegisterIn) -> Status[Any]:
    # The event alone (not the page's prefetches): this is the hot path of a rush.
    event = Event.objects.filter(slug=slug).first()
    if event is None or not can_view_event(request.user, event):
        raise Http404
    ticket = event.tickets.filter(category=payload.ticket).first()
    if ticket is None:
        raise ValidationError({"ticket": _("This event has no such ticket.")})
    organisation = _organisation(payload.organisation)
    common: dict[str, Any] = {
        "actor": request.user,
        "event": event,
        "ticket": ticket,
        "answers": payload.answers,
        "student": payload.student,
    }
    staff_may = is_staff(request.user) and event.status == EventStatus.PUBLISHED
    closed = services.registration_closed_reason(event) is not None and not staff_may
    if payload.new_colleague is not None:
        if organisation is None:
            raise ValidationError({"organisation": _("Choose the organisation of your colleague.")})
        with conflict_when(closed):
            registration = services.registration_create_for_new_colleague(
                organisation=organisation,
                first_name=payload.new_colleague.first_name,
                last_name=payload.new_colleague.last_name,
                email=payload.new_colleague.email,
                **common,
            )
    else:
        person = _registrant(request, payload)
        already = Registration.objects.filter(event=event, person=person, status__in=ACTIVE)
        with conflict_when(closed or already.exists()):
            registration = services.registration_create(
                person=person, organisation=organisation, **common
            )
    position = services.waitlist_position(registration)
    return Status(201, _registration_out(registration, position))


@router.get(
    "/events/{slug}/registrations",
    response={200: RegistrationPage, **READ_ERRORS},
    auth=AUTHENTICATED,
    summary="The attendee list (staff): seated first, then the waitlist in order",
)
def event_attendee_list(
    request: HttpRequest, slug: str, filters: Query[AttendeeFilters]
) -> dict[str, Any]:
    event = _event(slug, request.user)
    require(can_manage_registrations(request.user, event))
    return _registrations_page(event_attendees(event=event, status=filters.status or ""), filters)
