"""The forms of the project-file pages: they parse input; the services decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from grappe.members.models import Competence, Organisation
from grappe.members.selectors import competences_current
from grappe.projects.models import (
    CommitteeRole,
    Criterion,
    Decision,
    DocumentKind,
    EligibilityRule,
    ExpertProfile,
    FundingScheme,
    LabellingRequest,
    LabellingSession,
    Partner,
    RequestStatus,
    Stage,
)
from grappe.projects.services.files import EDITABLE, PARTNER_FIELDS
from grappe.projects.services.sessions import CRITERION_FIELDS, SESSION_FIELDS
from grappe.projects.storage import document_max_bytes


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class CompetenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Competence) -> str:
        return obj.name


# --- the applicant's forms -------------------------------------------------------------------


class RequestCreateForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Labelling session"), queryset=LabellingSession.objects.none()
    )
    lead = forms.ModelChoiceField(
        label=_("Coordinating organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("A member organisation you are a contact of."),
    )
    acronym = forms.CharField(label=_("Acronym"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=300)
    scheme = forms.ChoiceField(label=_("Target scheme"), choices=FundingScheme.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.FULL)
    summary_public = forms.CharField(
        label=_("Public summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Shown publicly once labelled, if the consortium agrees."),
    )

    def __init__(self, *args: Any, sessions: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["lead"].queryset = organisations  # type: ignore[attr-defined]


class RequestForm(forms.Form):
    """The draft's main fields (the model's own labels and limits)."""

    acronym = forms.CharField(label=_("Acronym"), max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(LabellingRequest, fields=EDITABLE)
        for name in EDITABLE:
            field = fields[name]
            assert field is not None
            self.fields[name] = field
        for name in ("summary_public", "description", "impact_environment"):
            self.fields[name].widget.attrs["rows"] = 5
        self.fields["competences"] = CompetenceChoiceField(
            label=_("Technologies and markets"),
            queryset=competences_current().filter(facet__in=["technology", "market"]),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class PartnerForm(forms.Form):
    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Partner, fields=PARTNER_FIELDS)
        for name in PARTNER_FIELDS:
            field = fields[name]
            assert field is not None
            self.fields[name] = field
        organisation = self.fields["organisation"]
        organisation.queryset = organisations.order_by("name")  # type: ignore[attr-defined]
        organisation.required = False
        organisation.help_text = _(
            "A member organisation of the platform; leave empty and fill the fields below for "
            "an outside one."
        )
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Filled from the organisation when one is chosen.")
        self.fields["kind"].required = False
        self.fields["budget"].required = False
        self.fields["siret"].help_text = _("14 digits, for a French establishment.")


class ContactForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("A registered user who is a confirmed contact of a partner organisation."),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        megabytes = round(document_max_bytes() / 1024 / 1024, 1)
        self.fields["file"].help_text = _("PDF only, %(size)s MB at most.") % {"size": megabytes}


class ExpertChoiceField(forms.ModelChoiceField):
    """An expert of the pool, by name and employer: nothing more is shown to the applicant."""

    def label_from_instance(self, obj: ExpertProfile) -> str:
        name = obj.user.get_full_name() or _("Expert %(number)s") % {"number": obj.pk}
        return f"{name} — {obj.employer.name}" if obj.employer else str(name)


class ExclusionForm(forms.Form):
    expert = ExpertChoiceField(label=_("Expert"), queryset=ExpertProfile.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, pool: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = pool  # type: ignore[attr-defined]


class PoolSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or employer"), required=False, max_length=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reservations = forms.CharField(
        label=_("Reservations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only with a label with reservations."),
    )
    decision_text = forms.CharField(
        label=_("Text to the applicant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required when the file is deferred or rejected."),
    )


class FunderForm(forms.Form):
    reference = forms.CharField(label=_("Funder's reference"), max_length=100)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput())


OUTCOME_CHOICES = [
    (RequestStatus.FUNDED.value, RequestStatus.FUNDED.label),
    (RequestStatus.NOT_FUNDED.value, RequestStatus.NOT_FUNDED.label),
    (RequestStatus.WITHDRAWN.value, RequestStatus.WITHDRAWN.label),
]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES)
    outcome_on = forms.DateField(label=_("Known on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, partners: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        for partner in partners:
            self.fields[f"aid_{partner.pk}"] = forms.DecimalField(
                label=_("Aid obtained by %(partner)s (€)") % {"partner": partner.name},
                min_value=0,
                max_digits=12,
                decimal_places=2,
                required=False,
                help_text=_("For a funded project."),
            )

    def obtained(self) -> dict[int, Any]:
        values = {p.pk: self.cleaned_data.get(f"aid_{p.pk}") for p in self.partners}
        if self.cleaned_data.get("outcome") != RequestStatus.FUNDED:
            return {}
        return values


class ResubmitForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Labelling session"), queryset=LabellingSession.objects.none()
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    technology = forms.ChoiceField(label=_("Technology"), required=False)
    market = forms.ChoiceField(label=_("Application market"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    scheme = forms.ChoiceField(
        label=_("Scheme"), required=False, choices=[("", _("Any"))] + FundingScheme.choices
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("Any"))]
        technologies = competences_current("technology").only("code", "name_fr", "name_en")
        markets = competences_current("market").only("code", "name_fr", "name_en")
        self.fields["technology"].choices = every + [(c.code, c.name) for c in technologies]  # type: ignore[attr-defined]
        self.fields["market"].choices = every + [(c.code, c.name) for c in markets]  # type: ignore[attr-defined]
        self.fields["year"].choices = every + [(y, str(y)) for y in years]  # type: ignore[attr-defined]


# --- staff forms -----------------------------------------------------------------------------


class SessionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(LabellingSession, fields=SESSION_FIELDS)
        for name in SESSION_FIELDS:
            field = fields.get(name)
            if field is not None:
                self.fields[name] = field
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Made from the French name when left empty.")
        self.fields["schemes"] = forms.MultipleChoiceField(
            label=_("Target funding schemes"),
            choices=FundingScheme.choices,
            widget=forms.CheckboxSelectMultiple,
        )
        for name in ("opens_at", "submission_deadline"):
            self.fields[name].widget = DateTimeInput()
        for name in ("review_deadline", "committee_date"):
            self.fields[name].widget = DateInput()
        for name in ("description_fr", "description_en"):
            self.fields[name].widget.attrs["rows"] = 4


class CriterionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Criterion, fields=CRITERION_FIELDS)
        for name in CRITERION_FIELDS:
            field = fields[name]
            assert field is not None
            self.fields[name] = field
        for name in ("guidance_fr", "guidance_en"):
            self.fields[name].widget.attrs["rows"] = 3


class CommitteeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of a registered user"))
    role = forms.ChoiceField(
        label=_("Role"), choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER
    )


class RuleForm(forms.Form):
    params = forms.CharField(
        label=_("Parameters (JSON)"),
        required=False,
        help_text=_('For example {"n": 2} or {"percent": 70}.'),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(
            EligibilityRule,
            fields=("scheme", "rule", "message_fr", "message_en", "is_active", "position"),
        )
        for name, field in fields.items():
            assert field is not None
            self.fields[name] = field
        self.order_fields(["scheme", "rule", "params"])

    def clean_params(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("params") or "").strip() or "{}"
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise ValidationError(_("Write the parameters as a JSON object.")) from exc
        if not isinstance(value, dict):
            raise ValidationError(_("Write the parameters as a JSON object."))
        return value


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the certificate is revoked"), widget=forms.Textarea(attrs={"rows": 3})
    )
