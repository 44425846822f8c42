"""Staff write events: the event itself, its price list, its questions and its programme.

Publishing checks the event is complete (see `event_publish_problems`); cancelling is
`grappe.events.services.registrations.event_cancel`, which tells every registrant.
"""

from grappe.events.services.events.common import (
    APPLICATION_KINDS,
    CHOICE_KINDS,
    EVENT_FIELDS,
    EVENT_RELATIONS,
    MAX_IMAGE_BYTES,
    PRICE_FIELDS,
    PROGRAMME_FIELDS,
    QUESTION_FIELDS,
    TICKET_FIELDS,
    _add,
    _clean,
    _raise,
)
from grappe.events.services.events.editing import event_create, event_update, unique_slug
from grappe.events.services.events.price_list import (
    price_create,
    price_delete,
    price_update,
    ticket_create,
    ticket_delete,
    ticket_update,
    windows_overlap,
)
from grappe.events.services.events.programme import (
    programme_item_create,
    programme_item_delete,
    programme_item_update,
)
from grappe.events.services.events.publishing import (
    event_publish,
    event_publish_problems,
    first_day_without_price,
)
from grappe.events.services.events.questions import (
    question_create,
    question_delete,
    question_update,
)

# `_add`, `_clean` and `_raise` are shared with the trade fair and trade mission services.
__all__ = [
    "APPLICATION_KINDS", "CHOICE_KINDS", "EVENT_FIELDS", "EVENT_RELATIONS", "MAX_IMAGE_BYTES",
    "PRICE_FIELDS", "PROGRAMME_FIELDS", "QUESTION_FIELDS", "TICKET_FIELDS", "_add", "_clean",
    "_raise", "event_create", "event_publish", "event_publish_problems", "event_update",
    "first_day_without_price", "price_create", "price_delete",
    "price_update", "programme_item_create", "programme_item_delete", "programme_item_update",
    "question_create", "question_delete", "question_update", "ticket_create", "ticket_delete",
    "ticket_update", "unique_slug", "windows_overlap",
]  # fmt: skip
