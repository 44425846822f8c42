"""Tickets and calendars: the signed token a QR code carries, the QR images, and iCalendar
files for one event, one registration, a feed of events.

The token is the registration's short code signed with the site's secret: a scanned QR
code cannot be forged by changing a letter, while the short code alone stays easy to type at
the door. The personal feed's address carries the user's id signed with a key that includes
their password hash: changing one's password revokes every address given out before."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grappe.core.qr import qr_png
from grappe.events.models import Event, EventStatus, Registration, RegistrationStatus
from grappe.members.regions import country_name

TICKET_SALT = "grappe.events.ticket"
FEED_SALT = "grappe.events.feed"


# --- The ticket's token and QR code ----------------------------------------------------------


def ticket_token(registration: Registration) -> str:
    """What the QR code carries: the short code and its signature (`CODE:signature`)."""
    return signing.Signer(salt=TICKET_SALT).sign(registration.code)


def registration_from_token(token: str) -> Registration | None:
    """The registration a scanned token names, or None when it is forged or unknown."""
    try:
        code = signing.Signer(salt=TICKET_SALT).unsign((token or "").strip())
    except signing.BadSignature:
        return None
    return (
        Registration.objects.select_related("event", "person", "ticket", "organisation")
        .filter(code=code)
        .first()
    )


def registration_qr_png(registration_id: int) -> bytes:
    """Mail attachment renderer: the QR code of one registration's ticket."""
    registration = Registration.objects.get(pk=registration_id)
    return qr_png(ticket_token(registration))


# --- iCalendar ------------------------------------------------------------------------------


def _zone(event: Event) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(event.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _host() -> str:
    return urlsplit(settings.GRAPPE_SITE_URL).hostname or "grappe.local"


def event_location(event: Event) -> str:
    """The venue as one line: name, street, postcode and city, country (or 'Online')."""
    place = " ".join(part for part in [event.postcode, event.city] if part)
    parts = [event.venue_name, event.street, place]
    if event.country and event.country != "FR":
        parts.append(country_name(event.country, translation.get_language() or "fr"))
    line = ", ".join(part for part in parts if part)
    return line or (_("Online") if event.online_url else "")


def _vevent(
    event: Event,
    *,
    now: dt.datetime,
    extra: str = "",
    online: bool = False,
    tentative: bool = False,
) -> Any:
    zone = _zone(event)
    vevent = icalendar.Event()
    vevent.add("uid", f"grappe-event-{event.pk}@{_host()}")
    vevent.add("dtstamp", now)
    vevent.add("last-modified", event.updated_at)
    vevent.add("sequence", 1 if event.status == EventStatus.CANCELLED else 0)
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    url = settings.GRAPPE_SITE_URL.rstrip("/") + event.get_absolute_url()
    vevent.add("url", url)
    description = "\n\n".join(p for p in [event.summary or event.description, extra, url] if p)
    if online and event.online_url:
        description = f"{description}\n\n{_('Online link')}: {event.online_url}"
    vevent.add("description", description)
    location = event_location(event)
    if online and event.online_url and not (event.venue_name or event.street):
        location = event.online_url
    if location:
        vevent.add("location", location)
    if event.status == EventStatus.CANCELLED:
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    return vevent


def _calendar(vevents: list[Any], events: list[Event], name: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Grappe//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for vevent in vevents:
        calendar.add_component(vevent)
    if events:
        first = min(e.starts_at for e in events).date() - dt.timedelta(days=366)
        last = max(e.ends_at for e in events).date() + dt.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())


def event_ics(event: Event) -> bytes:
    """One event, as anyone may see it (without the online link, which is for registrants)."""
    return _calendar([_vevent(event, now=timezone.now())], [event])


def feed_ics(events: Iterable[Event], name: str = "") -> bytes:
    """Several events in one calendar (the public feed, a personal feed)."""
    events = list(events)
    now = timezone.now()
    return _calendar([_vevent(event, now=now) for event in events], events, name)


def registration_ics(registration_id: int) -> bytes:
    """One registration's event, in the registrant's language, with the ticket code and,
    for an online event, the link. Also a mail attachment renderer."""
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    with translation.override(registration.language or "fr"):
        extra = _("Your ticket: %(code)s") % {"code": registration.code}
        vevent = _vevent(registration.event, now=timezone.now(), extra=extra, online=True)
        return _calendar([vevent], [registration.event])


def registrations_feed_ics(registrations: Iterable[Registration], name: str = "") -> bytes:
    """A person's own registrations, each with its ticket code and online link; a place on
    the waitlist or a seat offered shows as tentative."""
    registrations = list(registrations)
    now = timezone.now()
    vevents = [
        _vevent(
            r.event,
            now=now,
            extra=_("Your ticket: %(code)s") % {"code": r.code},
            online=r.holds_seat,
            tentative=r.status != RegistrationStatus.CONFIRMED,
        )
        for r in registrations
    ]
    return _calendar(vevents, [r.event for r in registrations], name)


# --- The personal feed's secret address -------------------------------------------------------


def _feed_signer(user: Any) -> signing.Signer:
    # The password hash in the key: changing one's password revokes the old addresses.
    return signing.Signer(salt=f"{FEED_SALT}.{user.password}")


def feed_token(user: Any) -> str:
    """The secret part of a user's personal feed address."""
    return _feed_signer(user).sign(str(user.pk))


def feed_user(token: str) -> Any | None:
    """The active user a feed token belongs to, or None."""
    user_pk, _sep, _signature = (token or "").partition(":")
    if not user_pk.isdigit():
        return None
    user = get_user_model().objects.filter(pk=int(user_pk), is_active=True).first()
    if user is None:
        return None
    try:
        _feed_signer(user).unsign(token)
    except signing.BadSignature:
        return None
    return user
