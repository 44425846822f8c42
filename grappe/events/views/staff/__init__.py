"""The staff's event pages (/staff/events/): events, price lists, questions, programme,
attendees and their exports, registering and cancelling, mails, check-in, badges, statistics.

Each view parses its input, calls one service or selector and renders or redirects."""

from grappe.events.views.staff.attendees import (
    attendee_cancel,
    attendee_register,
    attendees,
    attendees_export,
    badges,
    check_in,
    mailing,
)
from grappe.events.views.staff.common import FORMATS, event_get, spreadsheet, staff_only
from grappe.events.views.staff.events import (
    event_cancel,
    event_create,
    event_detail,
    event_edit,
    event_list,
    event_publish,
    statistics,
)
from grappe.events.views.staff.items import (
    price_create,
    price_delete,
    price_edit,
    programme,
    programme_delete,
    programme_edit,
    question_delete,
    question_edit,
    questions,
    ticket_delete,
    ticket_edit,
    tickets,
)

__all__ = [
    "FORMATS", "attendee_cancel", "attendee_register", "attendees", "attendees_export",
    "badges", "check_in", "event_cancel", "event_create", "event_detail", "event_edit",
    "event_get", "event_list", "event_publish", "mailing", "price_create", "price_delete",
    "price_edit", "programme", "programme_delete", "programme_edit", "question_delete",
    "question_edit", "questions", "spreadsheet", "staff_only", "statistics", "ticket_delete",
    "ticket_edit", "tickets",
]  # fmt: skip
