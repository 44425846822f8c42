"""Forms of the event, its price list, its questions and its programme."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from grappe.events.forms.base import ModelFieldsForm, ZonedMixin, time_zone_choices
from grappe.events.models import Event, Price, ProgrammeItem, Question, TicketCategory
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
