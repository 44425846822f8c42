"""Events: a readable address, then creating and changing an event."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import SEAT_HOLDING, Event, EventKind, EventStatus, Price, PricingBasis
from grappe.events.services.events.common import (
    EVENT_FIELDS,
    EVENT_RELATIONS,
    MAX_IMAGE_BYTES,
    _add,
    _clean,
    _raised,
    _refuse_if_cancelled,
)
from grappe.events.services.registrations import offer_free_seats
from grappe.members.models import Competence


def unique_slug(title: str, starts_at: dt.datetime | None, exclude_pk: int | None = None) -> str:
    """A readable address from the title and the year: `journee-photonique-2026`, then -2, -3."""
    base = slugify(title)[:100] or "evenement"
    if starts_at is not None:
        base = f"{base}-{starts_at.year}"
    others = Event.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _apply_event_data(event: Event, data: dict[str, Any]) -> None:
    for field in EVENT_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "image":
            # As a file field's form data: None keeps the image, False removes it.
            if value is None:
                continue
            value = "" if value is False else value
        elif field in {"slug"} and value is None:
            value = ""
        setattr(event, field, value)


# Addresses under /events/ that the site's own pages use (grappe/events/urls_public.py).
RESERVED_SLUGS = {"my", "registrations"}


def _validate_event(event: Event, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if event.slug in RESERVED_SLUGS:
        _add(errors, "slug", _("This address is one of the site's own pages: choose another."))
    if event.time_zone not in zoneinfo.available_timezones():
        _add(errors, "time_zone", _("Choose a time zone from the list (e.g. Europe/Paris)."))
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        _add(errors, "ends_at", _("The event cannot end before it starts."))
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes < opens:
        _add(errors, "registration_closes_at", _("Registration cannot close before it opens."))
    if closes and event.ends_at and closes > event.ends_at:
        _add(errors, "registration_closes_at", _("Registration must close before the event ends."))
    if (
        event.cancellation_deadline
        and event.starts_at
        and (event.cancellation_deadline > event.starts_at)
    ):
        _add(
            errors,
            "cancellation_deadline",
            _("The cancellation deadline must be before the event starts."),
        )
    if event.image and not event.image_alt.strip():
        _add(errors, "image_alt", _("Describe the image for people who cannot see it."))
    image = data.get("image")
    if image and getattr(image, "size", 0) > MAX_IMAGE_BYTES:
        _add(errors, "image", _("The image is larger than 5 MB."))
    competences = data.get("competences")
    if competences is not None:
        ids = {c.pk for c in competences}
        current = set(
            Competence.objects.filter(
                pk__in=ids, version__is_current=True, is_active=True
            ).values_list("pk", flat=True)
        )
        if ids - current:
            _add(errors, "competences", _("Choose competences of the current taxonomy."))
    partners = data.get("partners")
    if partners is not None and event.organiser_id in {p.pk for p in partners}:
        _add(errors, "partners", _("The organiser is not also a partner."))
    if event.pk is not None:
        _validate_existing(event, errors)


def _validate_existing(event: Event, errors: dict[str, list[str]]) -> None:
    """Changes an event with a pavilion, a mission or registrations cannot take."""
    if event.kind != EventKind.TRADE_FAIR and hasattr(event, "pavilion"):
        _add(errors, "kind", _("This event has a pavilion: it stays a trade fair."))
    if event.kind != EventKind.TRADE_MISSION and hasattr(event, "mission"):
        _add(errors, "kind", _("This event has a call for participants: it stays a trade mission."))
    if event.capacity is not None:
        held = event.registrations.filter(status__in=SEAT_HOLDING).count()
        if held > event.capacity:
            _add(
                errors,
                "capacity",
                _("%(count)s people already hold a seat: the capacity cannot be lower.")
                % {"count": held},
            )
    if (
        event.pricing_basis == PricingBasis.FREE
        and Price.objects.filter(ticket__event=event, amount__gt=0).exists()
    ):
        _add(errors, "pricing_basis", _("Some prices are not zero: set them to zero first."))


def _save_event(event: Event, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if not event.slug:
        event.slug = unique_slug(event.title_fr, event.starts_at, exclude_pk=event.pk)
    _validate_event(event, data, errors)
    _clean(event, errors, exclude=["created_by"])
    event.save()
    for relation in EVENT_RELATIONS:
        if data.get(relation) is not None:
            getattr(event, relation).set(data[relation])


def event_create(*, actor: Any, data: dict[str, Any]) -> Event:
    """A new event, as a draft: nobody sees it until it is published."""
    require(permissions.can_manage_events(actor))
    with transaction.atomic():
        event = Event(status=EventStatus.DRAFT)
        event.created_by = actor if getattr(actor, "is_authenticated", False) else None
        _apply_event_data(event, data)
        _save_event(event, data, {})
        audit_record(actor=actor, obj=event, action="event.create")
    return event


def event_update(*, actor: Any, event: Event, data: dict[str, Any]) -> Event:
    require(permissions.can_manage_events(actor, event))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _refuse_if_cancelled(event)
        before = snapshot(event)
        _apply_event_data(event, data)
        _save_event(event, data, {})
        audit_record(actor=actor, obj=event, action="event.update", before=before)
        if _raised(before.get("capacity"), event.capacity):
            offer_free_seats(event, timezone.now())  # the freed seats go to the waitlist now
    return event
