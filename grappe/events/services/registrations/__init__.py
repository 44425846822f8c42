"""Registrations: take a seat or a place on the waitlist, cancel, confirm or decline a freed
seat, check in at the door; and cancel a whole event.

No seat is ever sold twice: every service that takes or frees a seat first locks the event's
row (`SELECT … FOR UPDATE`), so the services of one event run one after the other, then
counts the seat-holding registrations of the event and of the ticket. A partial unique
constraint keeps one active registration per person and event. Before anything else, each
service on an event expires the offers whose deadline has passed and offers the freed seats
to the waitlist, first come first served (`events_tick` does the same for every event)."""

from grappe.events.services.registrations.cancellation import (
    CheckIn,
    registration_cancel,
    registration_check_in,
)
from grappe.events.services.registrations.common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    cancellation_deadline,
    normalise_code,
    registration_closed_reason,
    seats_taken,
)
from grappe.events.services.registrations.creation import (
    registration_create,
    registration_create_for_new_colleague,
)
from grappe.events.services.registrations.event_cancellation import event_cancel
from grappe.events.services.registrations.waitlist import (
    offer_confirm,
    offer_decline,
    offer_free_seats,
    offers_expire,
    waitlist_position,
    waitlist_promote,
)

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "CheckIn", "cancellation_deadline", "event_cancel",
    "normalise_code", "offer_confirm", "offer_decline", "offer_free_seats", "offers_expire",
    "registration_cancel", "registration_check_in", "registration_closed_reason",
    "registration_create", "registration_create_for_new_colleague", "seats_taken",
    "waitlist_position", "waitlist_promote",
]  # fmt: skip
