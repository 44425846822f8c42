"""Publishing: what keeps a draft from being published, and publishing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import Event, EventKind, EventStatus, Price, PriceCategory, TicketCategory
from grappe.events.services.events.common import _add, _raise


def event_publish_problems(event: Event, now: dt.datetime | None = None) -> dict[str, list[str]]:
    """What keeps a draft from being published, by field (empty when it may be).

    The rules: the event has not ended; it has a French title and summary (the calendar shows
    them); a place (a venue or a city) or an online link; people can take part — a ticket
    open to everyone, each bookable ticket with a price (zero for a free event), or for a trade
    fair a pavilion with a booth, for a trade mission a call for participants; a member price
    below the non-member price is explained in the note on prices (the EU rules on cluster
    activities ask prices to be justified)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if event.status != EventStatus.DRAFT:
        _add(errors, "status", _("Only a draft can be published."))
    if event.ends_at <= now:
        _add(errors, "ends_at", _("The event has already ended."))
    if not event.summary_fr.strip():
        _add(errors, "summary_fr", _("Write a summary in French: the calendar shows it."))
    if not (event.venue_name or event.city or event.online_url):
        _add(errors, "city", _("Give a venue or a city, or an online link."))
    tickets = list(event.tickets.prefetch_related("prices"))
    bookable = [t for t in tickets if not t.invitation_only]
    if event.kind == EventKind.TRADE_FAIR:
        pavilion = getattr(event, "pavilion", None)
        if pavilion is None or not pavilion.booths.exists():
            _add(errors, "pavilion", _("Describe the pavilion and at least one booth."))
    elif event.kind == EventKind.TRADE_MISSION:
        if not hasattr(event, "mission"):
            _add(errors, "mission", _("Write the call for participants."))
    elif not bookable:
        _add(errors, "tickets", _("Add a ticket that anyone may take (not by invitation)."))
    first = max(timezone.localdate(now), _local_day(event.registration_opens_at) or dt.date.min)
    last = _local_day(event.registration_closes_at or event.starts_at) or first
    for ticket in tickets:
        prices = list(ticket.prices.all())
        if not prices:
            _add(
                errors,
                "tickets",
                _("Give a price to the ticket “%(ticket)s” (zero when it is free).")
                % {"ticket": ticket},
            )
            continue
        gap = None if ticket.invitation_only else first_day_without_price(prices, first, last)
        if gap is not None:
            _add(
                errors,
                "tickets",
                _("The ticket “%(ticket)s” has no price on %(date)s, while registration is open.")
                % {"ticket": ticket, "date": gap.isoformat()},
            )
    _check_member_price_note(event, tickets, errors)
    return errors


def _local_day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def first_day_without_price(
    prices: Iterable[Price], first: dt.date, last: dt.date
) -> dt.date | None:
    """The first day from `first` to `last` when none of `prices` is in force, or None."""
    day = first
    windows = sorted((p.valid_from or dt.date.min, p.valid_until or dt.date.max) for p in prices)
    for start, end in windows:
        if day > last:
            return None
        if start > day:
            return day
        if end >= day:
            if end == dt.date.max:
                return None
            day = end + dt.timedelta(days=1)
    return day if day <= last else None


def _check_member_price_note(
    event: Event, tickets: list[TicketCategory], errors: dict[str, list[str]]
) -> None:
    by_category = {t.category: t for t in tickets}
    member, other = by_category.get(PriceCategory.MEMBER), by_category.get(PriceCategory.NON_MEMBER)
    if member is None or other is None:
        return
    member_low = min((p.amount for p in member.prices.all()), default=None)
    other_low = min((p.amount for p in other.prices.all()), default=None)
    cheaper = member_low is not None and other_low is not None and member_low < other_low
    if cheaper and not event.pricing_note_fr.strip():
        _add(
            errors,
            "pricing_note_fr",
            _("Explain in the note on prices why members pay less (e.g. their dues fund it)."),
        )


def event_publish(*, actor: Any, event: Event, now: dt.datetime | None = None) -> Event:
    """A complete draft becomes published: listed in the calendar, open on its dates."""
    require(permissions.can_manage_events(actor, event))
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _raise(event_publish_problems(event, now))
        before = snapshot(event)
        event.status, event.published_at = EventStatus.PUBLISHED, now
        event.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=actor, obj=event, action="event.publish", before=before)
    return event
