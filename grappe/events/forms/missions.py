"""Forms of the trade missions: the call, the applications and the decisions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.events.forms.base import ModelFieldsForm
from grappe.events.models import Mission, MissionApplication, MissionApplicationStatus
from grappe.members.models import Facet, Organisation
from grappe.members.selectors import competences_current


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
