"""What the staff event pages read: events with their counts, attendee lists, who is in; and
the booths, floor list and delegation of fairs and missions (their public pages read these)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.db.models.functions import Lower
from django.utils import timezone

from grappe.events.models import (
    ACTIVE,
    Booth,
    Event,
    EventMailing,
    ExhibitorApplication,
    ExhibitorStatus,
    Mission,
    MissionApplication,
    MissionApplicationStatus,
    Pavilion,
    Registration,
    RegistrationStatus,
    TicketCategory,
)

S = RegistrationStatus
X = ExhibitorStatus
M = MissionApplicationStatus


def registration_counts() -> dict[str, Any]:
    """Aggregates of an event's registrations, to annotate events with (one query)."""
    return {
        "confirmed_count": Count("registrations", filter=Q(registrations__status=S.CONFIRMED)),
        "waitlisted_count": Count("registrations", filter=Q(registrations__status=S.WAITLISTED)),
        "offered_count": Count("registrations", filter=Q(registrations__status=S.OFFERED)),
        "checked_in_count": Count(
            "registrations",
            filter=Q(registrations__status=S.CONFIRMED, registrations__checked_in_at__isnull=False),
        ),
    }


def staff_event_list(
    *, when: str = "upcoming", kind: str = "", status: str = "", q: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[Event]:  # fmt: skip
    """Events for the staff list: upcoming first (soonest first), or past (latest first)."""
    now = now or timezone.now()
    qs = Event.objects.all()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title_fr__icontains=q) | Q(title_en__icontains=q) | Q(city__icontains=q))
    return qs.annotate(**registration_counts())


def staff_event_get(pk: int) -> Event:
    return Event.objects.select_related("organiser", "created_by").get(pk=pk)


def event_with_counts(event: Event) -> Event:
    """The event annotated like the list's rows (one query)."""
    return Event.objects.annotate(**registration_counts()).get(pk=event.pk)


def ticket_list(event: Event) -> QuerySet[TicketCategory]:
    """The price list with the seats each ticket holds (two queries with its prices)."""
    return (
        event.tickets.annotate(
            held=Count(
                "registrations", filter=Q(registrations__status__in=[S.CONFIRMED, S.OFFERED])
            ),
            waiting=Count("registrations", filter=Q(registrations__status=S.WAITLISTED)),
        )
        .prefetch_related("prices")
        .order_by("position", "pk")
    )


def attendee_list(
    *, event: Event, status: str = "", ticket: TicketCategory | None = None, q: str = ""
) -> QuerySet[Registration]:
    """The event's registrations, by name. `status`: "" registered or waiting, "all",
    "checked_in", or a registration status."""
    qs = Registration.objects.filter(event=event).select_related(
        "person", "organisation", "ticket", "registered_by"
    )
    if status == "":
        qs = qs.filter(status__in=ACTIVE)
    elif status == "checked_in":
        qs = qs.filter(checked_in_at__isnull=False)
    elif status != "all":
        qs = qs.filter(status=status)
    if ticket is not None:
        qs = qs.filter(ticket=ticket)
    if q:
        words = Q()
        for word in q.split():
            words &= (
                Q(person__first_name__icontains=word)
                | Q(person__last_name__icontains=word)
                | Q(person__email__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(code__iexact=word)
            )
        qs = qs.filter(words)
    return qs.order_by(Lower("person__last_name"), Lower("person__first_name"), "pk")


def checked_in_list(event: Event) -> QuerySet[Registration]:
    """Who is in, the latest arrival first."""
    return (
        Registration.objects.filter(event=event, checked_in_at__isnull=False)
        .select_related("person", "organisation", "ticket")
        .order_by("-checked_in_at", "-pk")
    )


def mailing_list(event: Event) -> QuerySet[EventMailing]:
    return event.mailings.select_related("sent_by").order_by("-sent_at", "-pk")


# --- Trade fairs and missions (the public floor list and delegation read these too) -------


def booth_list(pavilion: Pavilion) -> list[Booth]:
    """The booths with the exhibitor each is allocated to (`booth.exhibitor`, or None)."""
    booths: list[Booth] = list(
        pavilion.booths.select_related("pavilion").prefetch_related(
            Prefetch(
                "applications",
                queryset=ExhibitorApplication.objects.filter(status=X.ALLOCATED).select_related(
                    "organisation"
                ),
                to_attr="allocated",
            )
        )
    )
    for booth in booths:
        booth.exhibitor = booth.allocated[0] if booth.allocated else None  # type: ignore[attr-defined]
    return booths


def exhibitor_application_list(pavilion: Pavilion) -> QuerySet[ExhibitorApplication]:
    return (
        pavilion.applications.select_related(
            "organisation", "applicant", "booth__pavilion", "decided_by"
        )
        .annotate(open_first=Case(When(status__in=[X.SUBMITTED], then=0), default=1))
        .order_by("open_first", "created_at", "pk")
    )


def floor_list(pavilion: Pavilion) -> list[ExhibitorApplication]:
    """Allocated exhibitors by booth."""
    return list(
        pavilion.applications.filter(status=X.ALLOCATED)
        .select_related("organisation", "applicant", "booth__pavilion")
        .order_by("booth__label")
    )


@dataclass(frozen=True)
class FloorTotals:
    area: Decimal
    cost: Decimal
    cluster_part: Decimal
    exhibitor_part: Decimal


def floor_totals(applications: list[ExhibitorApplication]) -> FloorTotals:
    booths = [a.booth for a in applications if a.booth is not None]
    return FloorTotals(
        area=sum((b.area_m2 for b in booths), Decimal(0)),
        cost=sum((b.cost for b in booths), Decimal(0)),
        cluster_part=sum((b.cluster_part for b in booths), Decimal(0)),
        exhibitor_part=sum((b.exhibitor_part for b in booths), Decimal(0)),
    )


def mission_application_list(mission: Mission) -> QuerySet[MissionApplication]:
    order = Case(
        When(status=M.SUBMITTED, then=0), When(status=M.SELECTED, then=1),
        When(status=M.RESERVE, then=2), default=3,
    )  # fmt: skip
    return (
        mission.applications.select_related("organisation", "person", "decided_by")
        .annotate(order=order)
        .order_by("order", "created_at", "pk")
    )


def delegation(mission: Mission) -> list[MissionApplication]:
    """The selected participants, by organisation."""
    return list(
        mission.applications.filter(status=M.SELECTED)
        .select_related("organisation", "person")
        .order_by(Lower("organisation__name"), "pk")
    )


def _own(user: Any, applications: QuerySet[Any], person_field: str) -> list[Any]:
    from grappe.members.selectors import user_organisations, user_person

    person = user_person(user)
    if person is None:
        return []
    mine = Q(organisation__in=user_organisations(user)) | Q(**{person_field: person})
    related = (
        ["organisation", "booth__pavilion"] if person_field == "applicant" else ["organisation"]
    )
    return list(applications.filter(mine).select_related(*related).order_by("-created_at"))


def own_exhibitor_applications(user: Any, pavilion: Pavilion) -> list[ExhibitorApplication]:
    """The applications of the user's organisations, or their own, newest first."""
    return _own(user, pavilion.applications.all(), "applicant")


def own_mission_applications(user: Any, mission: Mission) -> list[MissionApplication]:
    return _own(user, mission.applications.all(), "person")


def my_open_applications(user: Any, now: dt.datetime | None = None) -> dict[str, list[Any]]:
    """For "My space": the open booth and mission applications of the user's organisations
    (or their own) for events not yet over — two queries."""
    from grappe.members.selectors import user_organisations, user_person

    person = user_person(user)
    if person is None:
        return {"exhibitor": [], "mission": []}
    now = now or timezone.now()
    organisations = user_organisations(user)
    exhibitor = (
        ExhibitorApplication.objects.filter(
            Q(organisation__in=organisations) | Q(applicant=person),
            status__in=[X.SUBMITTED, X.ALLOCATED],
            pavilion__event__ends_at__gte=now,
        )
        .select_related("organisation", "pavilion__event", "booth__pavilion")
        .order_by("pavilion__event__starts_at", "pk")
    )
    mission = (
        MissionApplication.objects.filter(
            Q(organisation__in=organisations) | Q(person=person),
            status__in=[M.SUBMITTED, M.SELECTED, M.RESERVE],
            mission__event__ends_at__gte=now,
        )
        .select_related("organisation", "mission__event")
        .order_by("mission__event__starts_at", "pk")
    )
    return {"exhibitor": list(exhibitor), "mission": list(mission)}
