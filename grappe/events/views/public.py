"""The public calendar, event pages with their price list and schema.org data, and the
iCalendar files and feeds."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grappe.events.models import ACTIVE, Event, EventKind, EventStatus
from grappe.events.permissions import can_register, can_see_members_events
from grappe.events.selectors.calendar import (
    CalendarFilters,
    PriceLine,
    Seats,
    calendar_events,
    calendar_years,
    event_for_viewer,
    event_price_list,
    event_seats,
    feed_events,
)
from grappe.events.selectors.registrations import viewer_registration
from grappe.events.services.registrations import registration_closed_reason
from grappe.events.services.tickets import (
    event_ics,
    feed_ics,
    feed_user,
    registrations_feed_ics,
)
from grappe.members.selectors import competences_current, user_person

PAGE_SIZE = 20


class CalendarForm(forms.Form):
    """The calendar's filters (GET). A value that does not parse is said next to its field
    and ignored."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    market = forms.ChoiceField(label=gettext_lazy("Market"), required=False)
    month = forms.DateField(
        label=gettext_lazy("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": gettext_lazy("Give the month as YYYY-MM.")},
    )
    members = forms.BooleanField(label=gettext_lazy("Members-only events"), required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("All kinds")),
            *EventKind.choices,
        ]
        cast(forms.ChoiceField, self.fields["market"]).choices = [("", _("All markets"))] + [
            (c.code, c.name) for c in competences_current("market")
        ]
        if not can_see_members_events(viewer):
            del self.fields["members"]

    def filters(self) -> CalendarFilters:
        self.is_valid()  # fills cleaned_data with the fields that parse
        data = self.cleaned_data
        return CalendarFilters(
            kind=data.get("kind") or "",
            market=data.get("market") or "",
            month=data.get("month"),
            members_only=bool(data.get("members")),
            year=data.get("year"),
        )


def calendar(request: HttpRequest) -> HttpResponse:
    """Upcoming events by default; past events by year (`?year=`)."""
    form = CalendarForm(request.GET or None, viewer=request.user)
    filters = form.filters() if form.is_bound else CalendarFilters()
    events = calendar_events(viewer=request.user, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "years": calendar_years(viewer=request.user),
        "feed_url": request.build_absolute_uri(reverse("events:feed")),
    }
    return render(request, "events/public/calendar.html", context)


def _event(request: HttpRequest, slug: str) -> Event:
    event = event_for_viewer(slug=slug, viewer=request.user)
    if event is None:
        raise Http404
    return event


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    seats = event_seats(event)
    lines = event_price_list(event, seats=seats)
    mine = viewer_registration(event=event, viewer=request.user)
    context = {
        "event": event,
        "seats": seats,
        "lines": lines,
        "mine": mine,
        "closed": registration_closed_reason(event),
        "can_register": not request.user.is_authenticated or can_register(request.user, event),
        "json_ld": event_json_ld(request, event, lines, seats),
    }
    return render(request, "events/public/detail.html", context)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    return _ics_response(event_ics(event), f"{event.slug}.ics")


def feed(request: HttpRequest) -> HttpResponse:
    """The public feed: public published events (and cancelled ones, so calendars learn it)."""
    name = _("%(cluster)s events") % {"cluster": settings.GRAPPE_CLUSTER_NAME}
    response = _ics_response(feed_ics(feed_events(), name=name), "events.ics")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


def my_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own registrations, at a secret address (no login: calendar apps fetch it)."""
    user = feed_user(token)
    person = user_person(user) if user is not None else None
    if person is None:
        raise Http404
    registrations = (
        person.registrations.filter(status__in=ACTIVE)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
        .order_by("event__starts_at", "id")
    )
    name = _("My events – %(cluster)s") % {"cluster": settings.GRAPPE_CLUSTER_NAME}
    response = _ics_response(registrations_feed_ics(registrations, name=name), "my-events.ics")
    response["Content-Disposition"] = 'inline; filename="my-events.ics"'
    return response


# --- schema.org ------------------------------------------------------------------------------

SCHEMA = "https://schema.org/"


def _place(event: Event) -> dict[str, Any]:
    return {
        "@type": "Place",
        "name": event.venue_name or event.city,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": event.street,
            "postalCode": event.postcode,
            "addressLocality": event.city,
            "addressCountry": event.country,
        },
    }


def _attendance(event: Event) -> str:
    has_place = bool(event.venue_name or event.street or event.city)
    if event.online_url and has_place:
        return SCHEMA + "MixedEventAttendanceMode"
    if event.online_url:
        return SCHEMA + "OnlineEventAttendanceMode"
    return SCHEMA + "OfflineEventAttendanceMode"


def _offers(url: str, lines: list[PriceLine], seats: Seats) -> list[dict[str, Any]]:
    offers = []
    for line in lines:
        if line.current is None or line.ticket.invitation_only:
            continue
        offer: dict[str, Any] = {
            "@type": "Offer",
            "name": line.ticket.name,
            "price": str(line.current.amount_with_vat),
            "priceCurrency": "EUR",
            "url": url,
            "availability": SCHEMA + ("SoldOut" if line.full else "InStock"),
        }
        if line.current.valid_from:
            offer["validFrom"] = line.current.valid_from.isoformat()
        if line.current.valid_until:
            offer["validThrough"] = line.current.valid_until.isoformat()
        offers.append(offer)
    return offers


def event_json_ld(
    request: HttpRequest, event: Event, lines: list[PriceLine], seats: Seats
) -> SafeString:
    """The schema.org Event of the page, as a JSON string safe inside a <script> element."""
    url = request.build_absolute_uri(event.get_absolute_url())
    cancelled = event.status == EventStatus.CANCELLED
    locations: list[dict[str, Any]] = []
    if event.venue_name or event.street or event.city:
        locations.append(_place(event))
    if event.online_url:
        # The link itself is for registrants: the page is the virtual location's address.
        locations.append({"@type": "VirtualLocation", "url": url})
    organiser = event.organiser
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary or event.description[:500],
        "url": url,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": SCHEMA + ("EventCancelled" if cancelled else "EventScheduled"),
        "eventAttendanceMode": _attendance(event),
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": organiser.name if organiser else settings.GRAPPE_CLUSTER_NAME,
            "url": (organiser.website or "") if organiser else settings.GRAPPE_SITE_URL,
        },
        "offers": _offers(url, lines, seats),
    }
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = seats.left
    if event.image:
        data["image"] = request.build_absolute_uri(event.image.url)
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Nothing in the data may close the <script> element or open a comment.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above
