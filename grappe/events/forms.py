"""Forms of the staff event pages and of the exhibitor and trade-mission applications.

The forms take their fields from the models (labels, lengths, choices) but do not run the
models' validation: the services check everything and name the field they refuse."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, ClassVar, cast

from django import forms
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.backoffice.forms import DateInput
from grappe.events.models import (
    Booth,
    Event,
    EventMailing,
    ExhibitorApplication,
    Mission,
    MissionApplication,
    MissionApplicationStatus,
    Pavilion,
    Price,
    ProgrammeItem,
    Question,
    RegistrationStatus,
    TicketCategory,
)
from grappe.events.services.events import (
    EVENT_FIELDS,
    PRICE_FIELDS,
    PROGRAMME_FIELDS,
    QUESTION_FIELDS,
    TICKET_FIELDS,
)
from grappe.members.forms import CompetenceChoiceField, competence_tree
from grappe.members.models import Competence, Facet, Organisation
from grappe.members.selectors import competences_current

IMAGE_TYPES = "image/png,image/jpeg,image/webp"
EVENT_FACETS = {Facet.TECHNOLOGY: "competences_technology", Facet.MARKET: "competences_market"}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if isinstance(field, models.DateTimeField):
        kwargs.setdefault("widget", DateTimeLocalInput())
    elif isinstance(field, models.DateField):
        kwargs.setdefault("widget", DateInput())
    if isinstance(field, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
    return field.formfield(**kwargs)


class ModelFieldsForm(forms.Form):
    """A plain form with the model's fields `model_fields`, filled from `instance`."""

    model: ClassVar[type[models.Model]]
    model_fields: ClassVar[list[str]]

    def __init__(self, *args: Any, instance: models.Model | None = None, **kwargs: Any) -> None:
        self.instance = instance
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {**model_to_dict(instance, fields=self.model_fields), **initial}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        callback: Any = _formfield
        generated = fields_for_model(
            self.model, fields=self.model_fields, formfield_callback=callback
        )
        ordered: dict[str, forms.Field] = {}
        for name in self.model_fields:
            field = self.fields.get(name) or generated.get(name)
            if field is not None:
                ordered[name] = field
        ordered.update({k: v for k, v in self.fields.items() if k not in ordered})
        self.fields = ordered

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.model_fields if name in self.fields}


class ZonedMixin:
    """Times are typed and shown in the event's own time zone (a mission to Tokyo)."""

    zoned: ClassVar[tuple[str, ...]] = ()
    initial: Any
    cleaned_data: Any

    def show_in_zone(self, zone_name: str) -> None:
        zone = _zone(zone_name) or timezone.get_current_timezone()
        for name in self.zoned:
            value = self.initial.get(name)
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def read_in_zone(self, zone_name: str) -> None:
        zone = _zone(zone_name)
        if zone is None:
            return
        for name in self.zoned:
            value = self.cleaned_data.get(name)
            if isinstance(value, dt.datetime):
                wall = timezone.localtime(value).replace(tzinfo=None)
                self.cleaned_data[name] = timezone.make_aware(wall, zone)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


# --- Events ---------------------------------------------------------------------------------


class EventForm(ZonedMixin, ModelFieldsForm):
    model = Event
    model_fields = [*EVENT_FIELDS, "partners"]
    zoned = (
        "starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
        "cancellation_deadline",
    )  # fmt: skip

    time_zone = forms.ChoiceField(label=_("time zone"), initial="Europe/Paris")
    competences_technology = CompetenceChoiceField(label=_("Technologies"))
    competences_market = CompetenceChoiceField(label=_("Application markets"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]
        fields["time_zone"].help_text = Event._meta.get_field("time_zone").help_text
        fields["slug"].required = False
        fields["slug"].help_text = _("The page's address; made from the title when left empty.")
        organisations = Organisation.objects.order_by("name")
        cast(forms.ModelChoiceField, fields["organiser"]).queryset = organisations
        cast(forms.ModelMultipleChoiceField, fields["partners"]).queryset = organisations
        fields["partners"].widget.attrs["size"] = 8
        fields["image"].widget = forms.ClearableFileInput(attrs={"accept": IMAGE_TYPES})
        for name in ("summary_fr", "summary_en"):
            fields[name].widget = forms.Textarea(attrs={"rows": 2})
        for name in ("description_fr", "description_en"):
            fields[name].widget.attrs["rows"] = 8
        fields["pricing_note_fr"].help_text = _(
            "Published with the prices: how they are set, why members pay less."
        )
        self._competences = list(competences_current().select_related("parent"))
        chosen: set[int] = set()
        if self.instance is not None and self.instance.pk:
            chosen = set(cast(Event, self.instance).competences.values_list("pk", flat=True))
            self.show_in_zone(cast(Event, self.instance).time_zone)
        for facet, name in EVENT_FACETS.items():
            in_facet = [c for c in self._competences if c.facet == facet]
            field = cast(CompetenceChoiceField, fields[name])
            field.queryset = Competence.objects.filter(pk__in=[c.pk for c in in_facet])
            if not self.is_bound:
                self.initial[name] = [c.pk for c in in_facet if c.pk in chosen]

    FIELDSETS = [
        (_("What and for whom"), [
            "kind", "visibility", "title_fr", "title_en", "summary_fr", "summary_en",
            "description_fr", "description_en", "slug",
        ]),
        (_("When and where"), [
            "starts_at", "ends_at", "time_zone", "venue_name", "street", "postcode", "city",
            "country", "online_url",
        ]),
        (_("Organiser, partners and image"), ["organiser", "partners", "image", "image_alt"]),
        (_("Registration"), [
            "registration_opens_at", "registration_closes_at", "cancellation_deadline",
            "capacity", "offer_hours",
        ]),
        (_("Prices"), ["pricing_basis", "pricing_note_fr", "pricing_note_en"]),
    ]  # fmt: skip

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(legend), [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.read_in_zone(cleaned.get("time_zone") or "")
        return cleaned

    def competence_groups(self) -> list[dict[str, Any]]:
        groups = []
        for facet, name in EVENT_FACETS.items():
            checked = {str(v) for v in self[name].value() or []}
            in_facet = [c for c in self._competences if c.facet == facet]
            groups.append(
                {
                    "name": name,
                    "label": Facet(facet).label,
                    "field": self[name],
                    "nodes": competence_tree(in_facet, checked),
                }
            )
        return groups

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if "image" not in self.changed_data:
            data["image"] = None  # keep the current image
        offered = {c.pk for c in self._competences if c.facet in EVENT_FACETS}
        kept: list[Competence] = []
        if self.instance is not None and self.instance.pk:
            # Competences of other facets, or since deactivated, are not offered: they stay.
            event = cast(Event, self.instance)
            kept = [c for c in event.competences.all() if c.pk not in offered]
        data["competences"] = kept + [
            c for name in EVENT_FACETS.values() for c in self.cleaned_data[name]
        ]
        return data


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to every person registered or waiting."),
    )


class TicketForm(ModelFieldsForm):
    model = TicketCategory
    model_fields = TICKET_FIELDS


class PriceForm(ModelFieldsForm):
    model = Price
    model_fields = PRICE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].help_text = _("Empty: from the start of sales.")
        self.fields["valid_until"].help_text = _("Empty: until the event.")


class QuestionForm(ModelFieldsForm):
    model = Question
    model_fields = QUESTION_FIELDS


class ProgrammeItemForm(ZonedMixin, ModelFieldsForm):
    model = ProgrammeItem
    model_fields = PROGRAMME_FIELDS
    zoned = ("starts_at", "ends_at")

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        host = cast(forms.ModelChoiceField, self.fields["host"])
        host.queryset = Organisation.objects.order_by("name")
        for name in self.zoned:
            self.fields[name].help_text = _("In the event's time zone (%(zone)s).") % {
                "zone": event.time_zone
            }
        self.show_in_zone(event.time_zone)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.read_in_zone(self.event.time_zone)
        return cleaned


# --- Attendees ------------------------------------------------------------------------------


class AttendeeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Registered or waiting")), ("all", _("All, cancelled included"))]
        + list(RegistrationStatus.choices)
        + [("checked_in", _("Checked in"))],
    )
    ticket = forms.ModelChoiceField(
        label=_("Ticket"), required=False, queryset=TicketCategory.objects.none()
    )
    q = forms.CharField(label=_("Name, e-mail or organisation"), required=False, max_length=100)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ticket = cast(forms.ModelChoiceField, self.fields["ticket"])
        ticket.queryset = event.tickets.all()
        ticket.empty_label = _("All tickets")


class StaffRegistrationForm(forms.Form):
    """Staff register someone: an existing person found by e-mail, or a new one."""

    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        required=False,
        help_text=_("Needed only for a person not yet known to the platform."),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    language = forms.ChoiceField(
        label=_("Language of the mails"), choices=[("fr", "Français"), ("en", "English")]
    )
    ticket = forms.ModelChoiceField(label=_("Ticket"), queryset=TicketCategory.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("The organisation the person comes for; it decides the member price."),
    )
    student = forms.BooleanField(label=_("Student"), required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["ticket"]).queryset = event.tickets.all()
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = Organisation.objects.order_by("name")


class RegistrationCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent to the person."),
    )


class MailingForm(ModelFieldsForm):
    model = EventMailing
    model_fields = ["audience", "subject", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["rows"] = 10
        self.fields["body"].help_text = _(
            "Sent as written, each person in one mail; the event's name, date and place are "
            "added below it."
        )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=2000,
        help_text=_("Scan the QR code or type the code printed under it."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class BadgeForm(forms.Form):
    LAYOUTS = [("a4", _("Eight badges per A4 page, with cut marks")), ("a6", _("One A6 badge per page"))]  # fmt: skip
    layout = forms.ChoiceField(label=_("Layout"), choices=LAYOUTS, initial="a4")


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(y, y) for y in years]


# --- Trade fairs ----------------------------------------------------------------------------


class PavilionForm(ModelFieldsForm):
    model = Pavilion
    model_fields = [
        "name", "hall", "total_area_m2", "application_deadline", "cluster_share", "terms_fr",
        "terms_en",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("terms_fr", "terms_en"):
            self.fields[name].widget.attrs["rows"] = 8


class BoothForm(ModelFieldsForm):
    model = Booth
    model_fields = ["label", "area_m2", "pricing", "unit_price", "cluster_share", "corner"]


class ExhibitorApplyForm(ModelFieldsForm):
    model = ExhibitorApplication
    model_fields = ["organisation", "wanted_area_m2", "products", "message"]

    accept_terms = forms.BooleanField(label=_("I have read the pavilion's terms and accept them"))

    def __init__(self, *args: Any, organisations: models.QuerySet[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = organisations.order_by("name")
        organisation.label = _("Organisation exhibiting")
        self.fields["products"].widget.attrs["rows"] = 4

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        del data["organisation"]
        return data


class AllocateForm(forms.Form):
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=Booth.objects.none())

    def __init__(self, *args: Any, booths: models.QuerySet[Booth], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["booth"]).queryset = booths


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the applicant."),
    )


# --- Trade missions -------------------------------------------------------------------------


class MissionForm(ModelFieldsForm):
    model = Mission
    model_fields = [
        "call_fr", "call_en", "target_markets", "application_deadline", "places",
        "cost_per_participant", "cofunded_share", "cofunder", "selection_criteria_fr",
        "selection_criteria_en",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        markets = cast(forms.ModelMultipleChoiceField, self.fields["target_markets"])
        markets.widget = forms.CheckboxSelectMultiple()
        markets.queryset = competences_current(Facet.MARKET)  # also gives the widget its choices
        for name in ("call_fr", "call_en"):
            self.fields[name].widget.attrs["rows"] = 8


class MissionApplyForm(ModelFieldsForm):
    model = MissionApplication
    model_fields = ["organisation", "motivation", "target_markets", "products"]

    accept_terms = forms.BooleanField(
        label=_("I have read the call and its cost share, and I accept them")
    )

    def __init__(self, *args: Any, organisations: models.QuerySet[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        organisation = cast(forms.ModelChoiceField, self.fields["organisation"])
        organisation.queryset = organisations.order_by("name")
        organisation.label = _("Organisation taking part")

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        del data["organisation"]
        return data


class MissionDecisionForm(forms.Form):
    DECISIONS = [
        (MissionApplicationStatus.SELECTED, pgettext_lazy("application", "Selected")),
        (MissionApplicationStatus.RESERVE, _("On the reserve list")),
        (MissionApplicationStatus.REFUSED, _("Not selected")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the applicant; required unless selected."),
    )
