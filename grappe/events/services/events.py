"""Staff write events: the event itself, its price list, its questions and its programme.

Publishing checks the event is complete (see `event_publish_problems`); cancelling is
`grappe.events.services.registrations.event_cancel`, which tells every registrant.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import (
    SEAT_HOLDING,
    Event,
    EventKind,
    EventStatus,
    Price,
    PriceCategory,
    PricingBasis,
    ProgrammeItem,
    Question,
    QuestionKind,
    Registration,
    TicketCategory,
)
from grappe.events.services.registrations import offer_free_seats
from grappe.members.models import Competence, Organisation

EVENT_FIELDS = [
    "slug", "kind", "visibility", "title_fr", "title_en", "summary_fr", "summary_en",
    "description_fr", "description_en", "starts_at", "ends_at", "time_zone", "venue_name",
    "street", "postcode", "city", "country", "online_url", "organiser", "image", "image_alt",
    "registration_opens_at", "registration_closes_at", "cancellation_deadline", "capacity",
    "offer_hours", "pricing_basis", "pricing_note_fr", "pricing_note_en",
]  # fmt: skip
EVENT_RELATIONS = ["partners", "competences"]
TICKET_FIELDS = ["category", "name_fr", "name_en", "capacity", "invitation_only", "position"]
PRICE_FIELDS = ["label_fr", "label_en", "amount", "vat_rate", "valid_from", "valid_until"]
QUESTION_FIELDS = [
    "label_fr", "label_en", "kind", "choices_fr", "choices_en", "required", "position",
]  # fmt: skip
PROGRAMME_FIELDS = [
    "kind", "starts_at", "ends_at", "title_fr", "title_en", "place", "host", "speaker",
]  # fmt: skip
CHOICE_KINDS = {QuestionKind.CHOICE, QuestionKind.CHOICES}
# Kinds where people take part by application (a booth, a place in the delegation) rather
# than by buying a ticket: the price list is optional for them.
APPLICATION_KINDS = {EventKind.TRADE_FAIR, EventKind.TRADE_MISSION}
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _clean(obj: models.Model, errors: dict[str, list[str]], exclude: Iterable[str] = ()) -> None:
    """Add the model's own checks (lengths, choices, constraints) to `errors`, then raise."""
    try:
        # The constraints are checked above, each with its own message naming the field.
        # A field already refused above is not checked twice.
        obj.full_clean(exclude=[*exclude, *errors], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            known = errors.setdefault(field, [])
            known.extend(m for m in messages if m not in known)
    _raise(errors)


def _refuse_if_cancelled(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("This event was cancelled; it cannot change.")]}
        )


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- Events ---------------------------------------------------------------------------------


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


def _validate_event(event: Event, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
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


def _raised(before: Any, after: int | None) -> bool:
    """Whether a capacity now admits more people (no capacity: unlimited)."""
    if before is None:
        return False
    return after is None or after > int(before)


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


# --- Price list -----------------------------------------------------------------------------


def _locked_event(event: Event) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_if_cancelled(event)
    return event


def _validate_ticket(ticket: TicketCategory, errors: dict[str, list[str]]) -> None:
    event = ticket.event
    siblings = event.tickets.exclude(pk=ticket.pk)
    if siblings.filter(category=ticket.category).exists():
        _add(errors, "category", _("The event already has a ticket of this category."))
    if (
        ticket.capacity is not None
        and event.capacity is not None
        and (ticket.capacity > event.capacity)
    ):
        _add(
            errors,
            "capacity",
            _("More seats than the event's capacity (%(capacity)s).")
            % {"capacity": event.capacity},
        )
    if ticket.pk is None:
        return
    registrations = Registration.objects.filter(ticket=ticket)
    stored = TicketCategory.objects.get(pk=ticket.pk)
    if stored.category != ticket.category and registrations.exists():
        _add(errors, "category", _("People registered on this ticket: its category stays."))
    if ticket.capacity is not None:
        held = registrations.filter(status__in=SEAT_HOLDING).count()
        if held > ticket.capacity:
            _add(
                errors,
                "capacity",
                _("%(count)s people already hold a seat: the capacity cannot be lower.")
                % {"count": held},
            )


def ticket_create(*, actor: Any, event: Event, data: dict[str, Any]) -> TicketCategory:
    require(permissions.can_manage_events(actor, event))
    with transaction.atomic():
        event = _locked_event(event)
        ticket = TicketCategory(event=event)
        for field in TICKET_FIELDS:
            if field in data:
                setattr(ticket, field, data[field])
        errors: dict[str, list[str]] = {}
        _validate_ticket(ticket, errors)
        _clean(ticket, errors, exclude=["event"])
        ticket.save()
        audit_record(actor=actor, obj=ticket, action="event.ticket.create")
    return ticket


def ticket_update(*, actor: Any, ticket: TicketCategory, data: dict[str, Any]) -> TicketCategory:
    require(permissions.can_manage_events(actor, ticket.event))
    with transaction.atomic():
        _locked_event(ticket.event)
        ticket = TicketCategory.objects.select_related("event").get(pk=ticket.pk)
        before = snapshot(ticket)
        for field in TICKET_FIELDS:
            if field in data:
                setattr(ticket, field, data[field])
        errors: dict[str, list[str]] = {}
        _validate_ticket(ticket, errors)
        _clean(ticket, errors, exclude=["event"])
        ticket.save()
        audit_record(actor=actor, obj=ticket, action="event.ticket.update", before=before)
        if _raised(before.get("capacity"), ticket.capacity):
            offer_free_seats(ticket.event, timezone.now())
    return ticket


def ticket_delete(*, actor: Any, ticket: TicketCategory) -> None:
    """Remove a ticket nobody registered on (its prices go with it)."""
    require(permissions.can_manage_events(actor, ticket.event))
    with transaction.atomic():
        _locked_event(ticket.event)
        if Registration.objects.filter(ticket=ticket).exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("People registered on this ticket: it cannot be removed.")]}
            )
        audit_record(actor=actor, obj=ticket, action="event.ticket.delete", after={})
        ticket.delete()


def _window(price: Price) -> str:
    start = price.valid_from.isoformat() if price.valid_from else "…"
    end = price.valid_until.isoformat() if price.valid_until else "…"
    return f"{start} – {end}"


def windows_overlap(
    a_from: dt.date | None, a_until: dt.date | None, b_from: dt.date | None, b_until: dt.date | None
) -> bool:
    """Two date windows (None: open-ended) share at least one day."""
    starts_before_b_ends = a_from is None or b_until is None or a_from <= b_until
    b_starts_before_a_ends = b_from is None or a_until is None or b_from <= a_until
    return starts_before_b_ends and b_starts_before_a_ends


def _validate_price(price: Price, errors: dict[str, list[str]]) -> None:
    event = price.ticket.event
    if price.valid_from and price.valid_until and price.valid_until < price.valid_from:
        _add(errors, "valid_until", _("The price cannot end before it starts."))
        return
    if event.pricing_basis == PricingBasis.FREE and price.amount and price.amount > 0:
        _add(errors, "amount", _("The event is free of charge: its prices are zero."))
    others = price.ticket.prices.exclude(pk=price.pk) if price.pk else price.ticket.prices.all()
    # Earliest first, open start first, on every database (NULLs sort differently).
    for other in sorted(others, key=lambda p: (p.valid_from or dt.date.min, p.pk)):
        if windows_overlap(
            price.valid_from, price.valid_until, other.valid_from, other.valid_until
        ):
            _add(
                errors,
                "valid_from",
                _("These dates overlap another price of the same ticket (%(window)s).")
                % {"window": _window(other)},
            )
            break


def _save_price(price: Price, data: dict[str, Any]) -> None:
    for field in PRICE_FIELDS:
        if field in data:
            setattr(price, field, data[field])
    if price.vat_rate is None:
        price.vat_rate = Decimal("20.00")
    errors: dict[str, list[str]] = {}
    _validate_price(price, errors)
    _clean(price, errors, exclude=["ticket"])
    price.save()


def price_create(*, actor: Any, ticket: TicketCategory, data: dict[str, Any]) -> Price:
    """A price of the ticket; its dates (early bird...) must not overlap the ticket's others."""
    require(permissions.can_manage_events(actor, ticket.event))
    with transaction.atomic():
        _locked_event(ticket.event)  # one writer at a time: two overlapping prices cannot race
        price = Price(ticket=ticket)
        _save_price(price, data)
        audit_record(actor=actor, obj=price, action="event.price.create")
    return price


def price_update(*, actor: Any, price: Price, data: dict[str, Any]) -> Price:
    """Change a price; registrations already made keep the price they were sold at."""
    require(permissions.can_manage_events(actor, price.ticket.event))
    with transaction.atomic():
        _locked_event(price.ticket.event)
        price = Price.objects.select_related("ticket__event").get(pk=price.pk)
        before = snapshot(price)
        _save_price(price, data)
        audit_record(actor=actor, obj=price, action="event.price.update", before=before)
    return price


def price_delete(*, actor: Any, price: Price) -> None:
    require(permissions.can_manage_events(actor, price.ticket.event))
    with transaction.atomic():
        _locked_event(price.ticket.event)
        audit_record(actor=actor, obj=price, action="event.price.delete", after={})
        price.delete()


# --- Registration questions -----------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _answered(question: Question) -> bool:
    return Registration.objects.filter(
        event_id=question.event_id, answers__has_key=str(question.pk)
    ).exists()


def _validate_question(question: Question, errors: dict[str, list[str]]) -> None:
    if question.kind in CHOICE_KINDS:
        values = _lines(question.choices_fr)
        if len(values) < 2:
            _add(errors, "choices_fr", _("Give at least two choices, one per line."))
        elif len(set(values)) != len(values):
            _add(errors, "choices_fr", _("Each choice appears once."))
        labels = _lines(question.choices_en)
        if labels and len(labels) != len(values):
            _add(
                errors,
                "choices_en",
                _("Give as many English choices as French ones, in the same order."),
            )
        question.choices_fr, question.choices_en = "\n".join(values), "\n".join(labels)
    else:
        question.choices_fr = question.choices_en = ""
    if question.pk is None:
        return
    stored = Question.objects.get(pk=question.pk)
    if (stored.kind, stored.choices_fr) != (question.kind, question.choices_fr) and _answered(
        stored
    ):
        _add(
            errors,
            "kind" if stored.kind != question.kind else "choices_fr",
            _("People have answered this question: its kind and French choices stay."),
        )


def _save_question(question: Question, data: dict[str, Any]) -> None:
    for field in QUESTION_FIELDS:
        if field in data:
            setattr(question, field, data[field])
    errors: dict[str, list[str]] = {}
    _validate_question(question, errors)
    _clean(question, errors, exclude=["event"])
    question.save()


def question_create(*, actor: Any, event: Event, data: dict[str, Any]) -> Question:
    require(permissions.can_manage_events(actor, event))
    with transaction.atomic():
        event = _locked_event(event)
        question = Question(event=event)
        _save_question(question, data)
        audit_record(actor=actor, obj=question, action="event.question.create")
    return question


def question_update(*, actor: Any, question: Question, data: dict[str, Any]) -> Question:
    require(permissions.can_manage_events(actor, question.event))
    with transaction.atomic():
        _locked_event(question.event)
        question = Question.objects.select_related("event").get(pk=question.pk)
        before = snapshot(question)
        _save_question(question, data)
        audit_record(actor=actor, obj=question, action="event.question.update", before=before)
    return question


def question_delete(*, actor: Any, question: Question) -> None:
    require(permissions.can_manage_events(actor, question.event))
    with transaction.atomic():
        _locked_event(question.event)
        if _answered(question):
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("People have answered this question: it cannot be removed.")]}
            )
        audit_record(actor=actor, obj=question, action="event.question.delete", after={})
        question.delete()


# --- Programme ------------------------------------------------------------------------------


def _event_days(event: Event) -> tuple[dt.date, dt.date]:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    return event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()


def _validate_item(item: ProgrammeItem, errors: dict[str, list[str]]) -> None:
    if item.starts_at is None:
        return
    if item.ends_at and item.ends_at < item.starts_at:
        _add(errors, "ends_at", _("The item cannot end before it starts."))
    first, last = _event_days(item.event)
    day = item.starts_at.astimezone(zoneinfo.ZoneInfo(item.event.time_zone)).date()
    if not first <= day <= last:
        _add(
            errors,
            "starts_at",
            _("The item must take place during the event (%(first)s – %(last)s).")
            % {"first": first.isoformat(), "last": last.isoformat()},
        )


def _save_item(item: ProgrammeItem, data: dict[str, Any]) -> None:
    for field in PROGRAMME_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    errors: dict[str, list[str]] = {}
    _validate_item(item, errors)
    _clean(item, errors, exclude=["event"])
    item.save()


def programme_item_create(*, actor: Any, event: Event, data: dict[str, Any]) -> ProgrammeItem:
    """A talk, a session, or for a trade mission a visit, a meeting or a journey."""
    require(permissions.can_manage_events(actor, event))
    with transaction.atomic():
        event = _locked_event(event)
        item = ProgrammeItem(event=event)
        _save_item(item, data)
        audit_record(actor=actor, obj=item, action="event.programme.create")
    return item


def programme_item_update(
    *, actor: Any, item: ProgrammeItem, data: dict[str, Any]
) -> ProgrammeItem:
    require(permissions.can_manage_events(actor, item.event))
    with transaction.atomic():
        _locked_event(item.event)
        item = ProgrammeItem.objects.select_related("event").get(pk=item.pk)
        before = snapshot(item)
        _save_item(item, data)
        audit_record(actor=actor, obj=item, action="event.programme.update", before=before)
    return item


def programme_item_delete(*, actor: Any, item: ProgrammeItem) -> None:
    require(permissions.can_manage_events(actor, item.event))
    with transaction.atomic():
        _locked_event(item.event)
        audit_record(actor=actor, obj=item, action="event.programme.delete", after={})
        item.delete()


def organisations_for_choice() -> models.QuerySet[Organisation]:
    """Organisations offered as organiser, partner or host, by name."""
    return Organisation.objects.order_by("name")
