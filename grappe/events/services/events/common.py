"""Shared by the event services: the fields each service writes, collecting and raising the
errors by field, and the event's lock."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from grappe.events.models import Event, EventKind, EventStatus, QuestionKind

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


def _raised(before: Any, after: int | None) -> bool:
    """Whether a capacity now admits more people (no capacity: unlimited)."""
    if before is None:
        return False
    return after is None or after > int(before)


def _locked_event(event: Event) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _refuse_if_cancelled(event)
    return event
