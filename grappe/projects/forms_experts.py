"""Forms of the experts' side. They parse input; the services validate and decide (their
refusals are shown on the field they name, through `grappe.projects.forms.apply_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grappe.members.models import Competence, Organisation
from grappe.projects.forms import CompetenceChoiceField
from grappe.projects.models import (
    Criterion,
    Decision,
    ExpertKind,
    ExpertProfile,
    LabellingRequest,
    RelationshipKind,
)
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.services.experts import EXPERT_FACETS, MAX_LOAD

SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(6)]


def expert_competences() -> Any:
    return Competence.objects.filter(
        version__is_current=True, is_active=True, facet__in=EXPERT_FACETS
    ).order_by("facet", "position", "code")


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class ExpertOwnForm(forms.Form):
    """What the expert keeps up to date."""

    competences = CompetenceChoiceField(
        label=_("Technologies and markets you can assess"),
        queryset=Competence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    load_limit = forms.IntegerField(
        label=_("Files per session at most"), min_value=0, max_value=MAX_LOAD
    )
    bio = forms.CharField(
        label=_("Expertise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on your fields and experience, for the cluster's team."),
    )
    is_active = forms.BooleanField(label=_("Available for new files"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competences"].queryset = expert_competences()  # type: ignore[attr-defined]


class ExpertStaffForm(ExpertOwnForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExpertKind.choices)
    employer = OrganisationChoiceField(
        label=_("Employer"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Its group and its projects count in the conflicts of interest."),
    )
    field_order = ["kind", "employer", "competences", "load_limit", "bio", "is_active"]


class ExpertCreateForm(ExpertStaffForm):
    email = forms.EmailField(
        label=_("E-mail address of the person's login"),
        help_text=_("The person must have a login already; they become an expert."),
    )
    field_order = ["email", *ExpertStaffForm.field_order]

    def clean_email(self) -> Any:
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No login has this e-mail address."))
        self.cleaned_data["user"] = user
        return email


class RelationshipForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    kind = forms.ChoiceField(label=_("Relationship"), choices=RelationshipKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class AgreementForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, initial=NDA_VERSION)
    accept = forms.BooleanField(
        label=_("I have read the confidentiality agreement and I accept it."), required=True
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, label: str = "", help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class ExpertLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ExpertProfile) -> str:
        return str(obj)


class FileLabelField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LabellingRequest) -> str:
        return obj.project.acronym


class ManualAssignForm(forms.Form):
    request = FileLabelField(
        label=pgettext_lazy("project file", "File"), queryset=LabellingRequest.objects.none()
    )
    expert = ExpertLabelField(label=_("Expert"), queryset=ExpertProfile.objects.none())

    def __init__(self, *args: Any, requests: Any, experts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = requests  # type: ignore[attr-defined]
        self.fields["expert"].queryset = experts  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    """One score (0–5) and one comment per criterion of the grid, then the recommendation and
    the texts. Field names: `score_<code>`, `comment_<code>` (the service's error keys)."""

    recommendation = forms.ChoiceField(
        label=_("Your recommendation to the committee"),
        choices=[("", "—"), *Decision.choices],
        required=False,
    )
    text_to_applicant = forms.CharField(
        label=_("Text for the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent to the consortium with the decision: strengths, weaknesses, advice."),
    )
    note_to_committee = forms.CharField(
        label=_("Note to the committee (confidential)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Read by the committee and the cluster's team only."),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        extra: dict[str, forms.Field] = {}
        for criterion in criteria:
            weight = criterion.weight.normalize()
            extra[f"score_{criterion.code}"] = forms.ChoiceField(
                label=_("%(criterion)s — score (weight %(weight)s)")
                % {"criterion": criterion.name, "weight": weight},
                choices=SCORE_CHOICES,
                required=False,
                help_text=criterion.guidance,
            )
            extra[f"comment_{criterion.code}"] = forms.CharField(
                label=_("%(criterion)s — comment") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields = {**extra, **self.fields}

    def criterion_fields(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"score_{c.code}"], self[f"comment_{c.code}"]) for c in self.criteria]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scores": {c.code: data.get(f"score_{c.code}") or None for c in self.criteria},
            "comments": {c.code: data.get(f"comment_{c.code}", "") for c in self.criteria},
            "recommendation": data.get("recommendation", ""),
            "text_to_applicant": data.get("text_to_applicant", ""),
            "note_to_committee": data.get("note_to_committee", ""),
        }

    @classmethod
    def initial_from(cls, review: Any) -> dict[str, Any]:
        if review is None:
            return {}
        initial: dict[str, Any] = {
            "recommendation": review.recommendation,
            "text_to_applicant": review.text_to_applicant,
            "note_to_committee": review.note_to_committee,
        }
        for score in review.scores.all():
            code = score.criterion.code
            initial[f"score_{code}"] = str(score.score)
            initial[f"comment_{code}"] = score.comment
        return initial
