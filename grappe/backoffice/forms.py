"""Forms of the back office (the admin actions reuse the decision forms)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grappe.backoffice.selectors import MemberStatus
from grappe.backoffice.services import CLUSTER_PROFILE_FIELDS, BandSpec
from grappe.members.models import (
    ClusterProfile,
    College,
    Competence,
    DecisionBody,
    Facet,
    FeeBasis,
    InvoiceStatus,
    MembershipStatus,
    OrgKind,
    TaxonomyVersion,
)
from grappe.members.validators import validate_siret, validate_vat

S = MembershipStatus
ENDINGS = [
    (S.LAPSED, _("Lapsed (not paid or not renewed)")),
    (S.RESIGNED, _("Resigned")),
    (S.EXCLUDED, _("Excluded by the board")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _not_in_future(value: dt.date) -> dt.date:
    if value > timezone.localdate():
        raise ValidationError(_("This date is in the future."))
    return value


class ApproveForm(forms.Form):
    body = forms.ChoiceField(
        label=_("Decided by"), choices=DecisionBody.choices, initial=DecisionBody.STAFF
    )
    decided_on = forms.DateField(
        label=_("Decision date"), widget=DateInput(), initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the decision, e.g. the board meeting's reference."),
    )

    def clean_decided_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["decided_on"])

    def decided_at(self) -> dt.datetime:
        """The decision's time: now when it is today's, else noon on the day given."""
        day = self.cleaned_data["decided_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the organisation's administrators."),
    )


class EndForm(forms.Form):
    status = forms.ChoiceField(label=_("Ending"), choices=ENDINGS)
    on = forms.DateField(
        label=_("Last day of membership"), widget=DateInput(), initial=timezone.localdate
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EndPageForm(EndForm):
    """The back office's ending page, which may also cancel the unpaid invoice."""

    cancel_invoice = forms.BooleanField(
        label=_("Also cancel the unpaid invoice with a credit note"),
        required=False,
        help_text=_(
            "Only for a lapsed membership; the reason above is printed on the credit note."
        ),
    )


class CancelInvoiceForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Printed on the credit note and sent to the organisation."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    issued_on = forms.DateField(
        label=_("Date of the credit note"), widget=DateInput(), initial=timezone.localdate
    )

    def clean_issued_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["issued_on"])


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Payment date"), widget=DateInput(), initial=timezone.localdate
    )
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        required=False,
        help_text=_("Bank transfer reference, cheque number…"),
    )

    def clean_paid_on(self) -> dt.date:
        return _not_in_future(self.cleaned_data["paid_on"])


class ScheduleForm(forms.Form):
    vat_rate = forms.DecimalField(
        label=_("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScheduleCreateForm(ScheduleForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    field_order = ["year", "vat_rate", "notes"]


class BasisForm(forms.Form):
    basis = forms.ChoiceField(label=_("Dues depend on"), choices=FeeBasis.choices)


class BandForm(forms.Form):
    minimum = forms.DecimalField(
        label=_("From"), max_digits=14, decimal_places=2, min_value=Decimal(0), required=False
    )
    maximum = forms.DecimalField(
        label=_("Below"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        help_text=_("Empty for the last band."),
    )
    amount = forms.DecimalField(
        label=_("Dues excl. VAT (€)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = any(data.get(f) is not None for f in ("minimum", "maximum", "amount"))
        if filled and not data.get("DELETE"):
            if data.get("minimum") is None:
                self.add_error("minimum", _("Give the band's lower limit (0 for the first)."))
            if data.get("amount") is None:
                self.add_error("amount", _("Give the dues of this band."))
        return data

    def spec(self) -> BandSpec | None:
        data = self.cleaned_data
        if data.get("DELETE") or data.get("minimum") is None or data.get("amount") is None:
            return None
        return BandSpec(data["minimum"], data.get("maximum"), data["amount"])


BandFormSet = forms.formset_factory(BandForm, extra=2, can_delete=True)


class ClusterProfileForm(forms.ModelForm):
    # Longer than stored: people type the numbers with spaces, removed when cleaned.
    siret = forms.CharField(label=_("SIRET"), max_length=20, required=False)
    vat_number = forms.CharField(label=_("VAT number"), max_length=24, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=50, required=False)

    class Meta:
        model = ClusterProfile
        fields = CLUSTER_PROFILE_FIELDS

    def clean_siret(self) -> str:
        value = self.cleaned_data["siret"].replace(" ", "")
        if value:
            validate_siret(value)
        return value

    def clean_vat_number(self) -> str:
        value = self.cleaned_data["vat_number"].replace(" ", "").upper()
        if value:
            validate_vat(value)
        return value

    def clean_iban(self) -> str:
        return self.cleaned_data["iban"].replace(" ", "").upper()


def _blank(choices: Any, label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class MembershipFilterForm(forms.Form):
    q = forms.CharField(label=_("Organisation"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(S.choices, _("All statuses"))
    )
    college = forms.ChoiceField(
        label=_("Collège"), required=False, choices=_blank(College.choices, _("All collèges"))
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _blank([(y, y) for y in years], _("All years"))  # type: ignore[attr-defined]


class InvoiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or organisation"), required=False)
    year = forms.TypedChoiceField(
        label=_("Year of issue"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(InvoiceStatus.choices, _("All statuses")),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _blank([(y, y) for y in years], _("All years"))  # type: ignore[attr-defined]


MEMBER_STATUS_CHOICES = [
    (MemberStatus.MEMBER, _("Member today")),
    (MemberStatus.APPLIED, _("Application to decide")),
    (MemberStatus.APPROVED, _("Approved, awaiting payment")),
    (MemberStatus.FORMER, _("Former member")),
    (MemberStatus.NEVER, _("Never a member")),
]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or SIREN"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(OrgKind.choices, _("All kinds"))
    )
    college = forms.ChoiceField(
        label=_("Collège"), required=False, choices=_blank(College.choices, _("All collèges"))
    )
    member = forms.ChoiceField(
        label=_("Member status"),
        required=False,
        choices=_blank(MEMBER_STATUS_CHOICES, _("Any status")),
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False)
    member = forms.ChoiceField(
        label=_("Member"),
        required=False,
        choices=[("", _("Anyone")), ("yes", _("Members")), ("no", _("Non-members"))],
    )
    role = forms.ChoiceField(
        label=_("Login and role"),
        required=False,
        choices=[
            ("", _("Any")),
            ("login", _("Has a login")),
            ("no_login", _("No login")),
            ("staff", _("Staff")),
            ("expert", _("Experts")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        required=False,
        choices=_blank(OrgKind.choices, _("All kinds")),
    )


class TaxonomyCopyForm(forms.Form):
    code = forms.CharField(
        label=_("Name of the new version"),
        max_length=20,
        help_text=_("For example 2027.1. It is a draft until you publish it."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changes in this version, for the team."),
    )


class CompetenceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


class CompetenceForm(forms.Form):
    """The shape of a competence; the service checks codes, parents and activity."""

    code = forms.CharField(
        label=_("Code"),
        max_length=80,
        help_text=_(
            "Lowercase, in parts joined by dots; a sub-competence starts with its parent's code "
            "(tech.lasers.fibre under tech.lasers)."
        ),
    )
    facet = forms.ChoiceField(label=_("Facet"), choices=Facet.choices)
    parent = CompetenceChoice(
        label=_("Parent"),
        queryset=Competence.objects.none(),
        required=False,
        empty_label=_("None (top of the facet)"),
    )
    name_fr = forms.CharField(label=_("Name in French"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    keywords = forms.CharField(
        label=_("Search keywords"),
        max_length=500,
        required=False,
        help_text=_("French and English words that find it in the directory, separated by spaces."),
    )
    nace_code = forms.CharField(label=_("NACE code"), max_length=10, required=False)
    photonics21 = forms.CharField(label=_("Photonics21 work group"), max_length=10, required=False)
    position = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        required=False,
        help_text=_("Smaller numbers come first among its siblings."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An inactive competence is no longer offered for tagging; existing tags stay."),
    )

    def __init__(
        self,
        *args: Any,
        version: TaxonomyVersion,
        competence: Competence | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        parents = Competence.objects.filter(version=version).order_by("facet", "code")
        if competence is not None:
            parents = parents.exclude(pk=competence.pk)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["position"] = data.get("position") or 0
        return data
