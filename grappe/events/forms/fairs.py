"""Forms of the trade fairs: the pavilion, its booths, the exhibitors' applications."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from grappe.events.forms.base import ModelFieldsForm
from grappe.events.models import Booth, ExhibitorApplication, Pavilion
from grappe.members.models import Organisation


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
