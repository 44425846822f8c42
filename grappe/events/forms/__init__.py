"""Forms of the staff event pages and of the exhibitor and trade-mission applications.

The forms take their fields from the models (labels, lengths, choices) but do not run the
models' validation: the services check everything and name the field they refuse."""

from grappe.events.forms.attendees import (
    AttendeeFilterForm,
    BadgeForm,
    CheckInForm,
    MailingForm,
    RegistrationCancelForm,
    StaffRegistrationForm,
    YearForm,
)
from grappe.events.forms.base import (
    DateTimeLocalInput,
    ModelFieldsForm,
    ZonedMixin,
    time_zone_choices,
)
from grappe.events.forms.events import (
    EVENT_FACETS,
    IMAGE_TYPES,
    CancelEventForm,
    EventForm,
    PriceForm,
    ProgrammeItemForm,
    QuestionForm,
    TicketForm,
)
from grappe.events.forms.fairs import (
    AllocateForm,
    BoothForm,
    DecisionReasonForm,
    ExhibitorApplyForm,
    PavilionForm,
)
from grappe.events.forms.missions import MissionApplyForm, MissionDecisionForm, MissionForm

__all__ = [
    "EVENT_FACETS", "IMAGE_TYPES", "AllocateForm", "AttendeeFilterForm", "BadgeForm", "BoothForm",
    "CancelEventForm", "CheckInForm", "DateTimeLocalInput", "DecisionReasonForm", "EventForm",
    "ExhibitorApplyForm", "MailingForm", "MissionApplyForm", "MissionDecisionForm",
    "MissionForm", "ModelFieldsForm", "PavilionForm", "PriceForm", "ProgrammeItemForm",
    "QuestionForm", "RegistrationCancelForm", "StaffRegistrationForm", "TicketForm",
    "YearForm", "ZonedMixin", "time_zone_choices",
]  # fmt: skip
