"""Reads about registrations: one's own (and those one made for colleagues), one ticket,
waitlist positions, an event's attendees, the colleagues one may register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from grappe.events.models import ACTIVE, Event, Registration, RegistrationStatus
from grappe.events.permissions import can_view_registration
from grappe.members.models import Affiliation
from grappe.members.selectors import affiliation_current_q, user_organisations, user_person


def _with_related(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    return qs.select_related("event", "ticket", "person", "organisation", "registered_by")


def registrations_of(user: Any) -> QuerySet[Registration]:
    """The user's own registrations and those they made for colleagues, by event date."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    person = user_person(user)
    condition = Q(registered_by=user)
    if person is not None:
        condition |= Q(person=person)
    return _with_related(Registration.objects.filter(condition)).order_by(
        "event__starts_at", "event_id", "person__last_name", "id"
    )


def upcoming_registrations(user: Any, now: dt.datetime | None = None) -> list[Registration]:
    """The user's own active registrations for events not yet over ("My space")."""
    now = now or timezone.now()
    person = user_person(user)
    if person is None:
        return []
    qs = _with_related(
        Registration.objects.filter(person=person, status__in=ACTIVE, event__ends_at__gte=now)
    )
    return list(qs.order_by("event__starts_at", "id"))


def registration_for_viewer(*, pk: int, viewer: Any) -> Registration | None:
    registration = _with_related(Registration.objects.filter(pk=pk)).first()
    if registration is None or not can_view_registration(viewer, registration):
        return None
    return registration


def viewer_registration(*, event: Event, viewer: Any) -> Registration | None:
    """The viewer's own active registration for `event`, if any (the event page says so)."""
    person = user_person(viewer)
    if person is None:
        return None
    return (
        Registration.objects.filter(event=event, person=person, status__in=ACTIVE)
        .select_related("ticket")
        .first()
    )


def waitlist_positions(registrations: list[Registration]) -> dict[int, int]:
    """Registration id → place in its event's waitlist (1 = next), in one query."""
    events = {r.event_id for r in registrations if r.status == RegistrationStatus.WAITLISTED}
    if not events:
        return {}
    positions: dict[int, int] = {}
    counters: dict[int, int] = {}
    waiting = (
        Registration.objects.filter(event_id__in=events, status=RegistrationStatus.WAITLISTED)
        .order_by("event_id", "waitlisted_at", "id")
        .values_list("pk", "event_id")
    )
    for pk, event_id in waiting:
        counters[event_id] = counters.get(event_id, 0) + 1
        positions[pk] = counters[event_id]
    return positions


def event_attendees(*, event: Event, status: str = "") -> QuerySet[Registration]:
    """An event's registrations for staff: seated first, then the waitlist in order."""
    qs = _with_related(Registration.objects.filter(event=event))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "waitlisted_at", "person__last_name", "person__first_name", "id")


def colleagues_of(user: Any) -> list[Affiliation]:
    """The current contacts of the organisations the user is a contact of (themselves
    excluded): the people the user may register as colleagues, with the organisation."""
    person = user_person(user)
    if person is None:
        return []
    today = timezone.localdate()
    return list(
        Affiliation.objects.filter(
            affiliation_current_q(today), organisation__in=user_organisations(user)
        )
        .exclude(person=person)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__last_name", "person__first_name")
    )
