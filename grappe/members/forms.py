"""Forms of the member-facing pages: they parse input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grappe.members.models import (
    AffiliationRole,
    Competence,
    ConsentChannel,
    Facet,
    Organisation,
    Person,
    Visibility,
)
from grappe.members.permissions import allowed_levels, effective_visibility, field_limits
from grappe.members.selectors import competences_current
from grappe.members.services.organisations import EDITABLE_FIELDS
from grappe.members.validators import normalise_identifier

IDENTIFIER_INPUT_MAX = 30
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}

# What each configurable visibility field covers, in the words of the profile's owner.
VISIBILITY_LABELS = {
    "address": _("Street address"),
    "identifiers": _("SIREN, SIRET and VAT number"),
    "email": _("Contact e-mail"),
    "phone": _("Phone"),
    "contacts": _("Contact people"),
    "headcount": _("Headcount"),
    "turnover": _("Turnover and R&D spend"),
    "founded_year": _("Year founded"),
}
FACET_FIELDS = {
    Facet.TECHNOLOGY: "competences_technology",
    Facet.MARKET: "competences_market",
    Facet.VALUE_CHAIN: "competences_value_chain",
    Facet.TRL: "competences_trl",
}


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named field when the form has it,
    otherwise at the top of the form with the field's name."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages)
        else:
            for message in messages:
                form.add_error(None, message)


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Web addresses typed without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class IdentifiersMixin:
    """French identifiers are stored without spaces or dots, in capitals; they may be typed
    with them ("552 032 534"), so the stored length is checked after normalising."""

    cleaned_data: dict[str, Any]
    fields: dict[str, forms.Field]

    def loosen_identifier_lengths(self) -> None:
        for name in ("siren", "siret", "vat_number"):
            field = self.fields.get(name)
            if field is None:
                continue
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ] + [MaxLengthValidator(IDENTIFIER_INPUT_MAX)]
            field.widget.attrs["maxlength"] = str(IDENTIFIER_INPUT_MAX)

    def clean_siren(self) -> str:
        return normalise_identifier(self.cleaned_data.get("siren", ""))

    def clean_siret(self) -> str:
        return normalise_identifier(self.cleaned_data.get("siret", ""))

    def clean_vat_number(self) -> str:
        return normalise_identifier(self.cleaned_data.get("vat_number", ""))


class OrganisationDeclareForm(IdentifiersMixin, forms.ModelForm):
    """The first declaration of an organisation; the rest of the profile comes later."""

    class Meta:
        model = Organisation
        formfield_callback = _formfield
        fields = [
            "name", "legal_name", "kind", "legal_form", "siren", "siret", "vat_number",
            "street", "postcode", "city", "region", "country", "website", "email", "phone",
            "founded_year", "description_fr", "description_en",
        ]  # fmt: skip
        help_texts = {
            "name": _("The name people know you by, as shown in the directory."),
            "legal_name": _("As registered (Kbis, statutes): it is printed on invoices."),
            "siren": _("9 digits; leave empty if you have none (foreign organisation)."),
        }

    field_order = Meta.fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loosen_identifier_lengths()
        for name in ("description_fr", "description_en"):
            self.fields[name].widget.attrs["rows"] = 4

    def clean_siren(self) -> str:
        siren = super().clean_siren()
        if siren:
            existing = Organisation.objects.filter(siren=siren).first()
            if existing is not None:
                raise ValidationError(
                    _(
                        "%(name)s is already registered with this SIREN: ask to join it "
                        "instead of declaring it again."
                    ),
                    params={"name": existing.name},
                    code="duplicate_siren",
                )
        return siren


def competence_tree(items: list[Competence], checked: set[str]) -> list[dict[str, Any]]:
    """Nest `items` under their parents (those missing from `items` make roots)."""
    pks = {c.pk for c in items}
    children: dict[int, list[Competence]] = {}
    roots = []
    for competence in items:
        if competence.parent_id in pks:
            children.setdefault(competence.parent_id, []).append(competence)
        else:
            roots.append(competence)

    def node(competence: Competence) -> dict[str, Any]:
        return {
            "competence": competence,
            "checked": str(competence.pk) in checked,
            "children": [node(child) for child in children.get(competence.pk, [])],
        }

    return [node(root) for root in roots]


class CompetenceChoiceField(forms.ModelMultipleChoiceField):
    """Competences of one facet of the current taxonomy, as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Competence.objects.none(), required=False, **kwargs)


class OrganisationProfileForm(IdentifiersMixin, forms.ModelForm):
    """Every field an organisation's administrators edit, and its competences per facet."""

    competences_technology = CompetenceChoiceField(label=_("Technologies"))
    competences_market = CompetenceChoiceField(label=_("Application markets"))
    competences_value_chain = CompetenceChoiceField(label=_("Position in the value chain"))
    competences_trl = CompetenceChoiceField(label=_("Technology readiness levels (TRL)"))

    class Meta:
        model = Organisation
        formfield_callback = _formfield
        fields = [*EDITABLE_FIELDS, "college_override"]
        widgets = {"logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"})}  # fmt: skip

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loosen_identifier_lengths()
        if not staff:
            del self.fields["college_override"]
        cast(
            forms.ModelChoiceField, self.fields["parent_group"]
        ).queryset = Organisation.objects.exclude(pk=self.instance.pk).order_by("name")
        for name in ("description_fr", "description_en"):
            self.fields[name].widget.attrs["rows"] = 6
        current = list(competences_current().select_related("parent"))
        chosen = set(self.instance.competences.values_list("pk", flat=True))
        self._tree: dict[str, list[Competence]] = {}
        for facet, name in FACET_FIELDS.items():
            in_facet = [c for c in current if c.facet == facet]
            self._tree[name] = in_facet
            field = cast(CompetenceChoiceField, self.fields[name])
            field.queryset = Competence.objects.filter(pk__in=[c.pk for c in in_facet])
            if not self.is_bound:
                self.initial[name] = [c.pk for c in in_facet if c.pk in chosen]

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "image"):
            return logo  # unchanged, cleared or empty
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo is larger than 2 MB."), code="logo_size")
        image = logo.image
        if (image.format or "").upper() not in LOGO_FORMATS:
            raise ValidationError(_("Send the logo as PNG, JPEG, GIF or WebP."), code="logo_format")
        width, height = image.size
        if max(width, height) > LOGO_MAX_SIDE:
            raise ValidationError(
                _("The logo is larger than %(side)s pixels on one side."),
                params={"side": LOGO_MAX_SIDE},
                code="logo_dimensions",
            )
        return logo

    def competence_groups(self) -> list[dict[str, Any]]:
        """The checkboxes per facet, technologies nested under their branch."""
        groups = []
        for facet, name in FACET_FIELDS.items():
            checked = {str(v) for v in self[name].value() or []}
            groups.append(
                {
                    "name": name,
                    "label": Facet(facet).label,
                    "field": self[name],
                    "nodes": competence_tree(self._tree[name], checked),
                }
            )
        return groups

    def service_data(self) -> dict[str, Any]:
        """The changed fields, as `organisation_update` takes them."""
        data: dict[str, Any] = {}
        for name in self.changed_data:
            if name in FACET_FIELDS.values():
                continue
            value = self.cleaned_data[name]
            data[name] = "" if name == "logo" and value is False else value
        if any(name in self.changed_data for name in FACET_FIELDS.values()):
            offered = {c.pk for items in self._tree.values() for c in items}
            # A tag on a competence staff have since deactivated is not offered: it is kept.
            kept = [c for c in self.instance.competences.all() if c.pk not in offered]
            data["competences"] = kept + [
                c for name in FACET_FIELDS.values() for c in self.cleaned_data[name]
            ]
        return data


class VisibilityForm(forms.Form):
    """One level per configurable field, offering only the levels staff allow."""

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = field_limits()
        current = effective_visibility(organisation, limits)
        self.limits = limits
        for field, (default, most_open) in limits.items():
            levels = allowed_levels(field, limits)
            self.fields[field] = forms.ChoiceField(
                label=VISIBILITY_LABELS.get(field, field),
                choices=[(v, Visibility(v).label) for v in levels],
                initial=current[field],
                widget=forms.RadioSelect,
                help_text=_("Default: %(default)s. Most open allowed: %(most_open)s.")
                % {"default": Visibility(default).label, "most_open": Visibility(most_open).label},
            )


def _year_bounds() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year - 10, today.year


class FiguresForm(forms.Form):
    year = forms.IntegerField(
        label=_("Financial year"), help_text=_("The last closed financial year, usually.")
    )
    headcount = forms.IntegerField(label=_("Headcount (full-time equivalent)"), min_value=0)
    turnover = forms.DecimalField(
        label=_("Turnover (€)"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    export_share = forms.DecimalField(
        label=_("Export share (% of turnover)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    rnd_spend = forms.DecimalField(
        label=_("R&D spend (€)"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    balance_sheet = forms.DecimalField(
        label=_("Balance-sheet total (€)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("Optional; it refines the EU size class."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = _year_bounds()
        self.fields["year"].validators += [MinValueValidator(low), MaxValueValidator(high)]
        self.fields["year"].widget.attrs.update({"min": low, "max": high})


class ContactAddForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=AffiliationRole.choices)
    is_admin = forms.BooleanField(
        label=_("Administrator"),
        required=False,
        help_text=_("Administrators edit the profile, the contacts and apply for membership."),
    )


class JoinRequestForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Your role"), choices=AffiliationRole.choices, initial=AffiliationRole.OTHER
    )


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or SIREN of your organisation"), min_length=2, max_length=100, required=True
    )


class ApplyForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(widget=forms.HiddenInput, max_digits=10, decimal_places=2)
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your projects, what you expect from the cluster; read by the board."),
    )
    accept = forms.BooleanField(
        label=_("We accept the dues shown above and the cluster's statutes."), required=True
    )


def apply_years(today: dt.date | None = None) -> list[int]:
    """Applications are for this year, or next year once its schedule may be published."""
    today = today or timezone.localdate()
    return [today.year, today.year + 1]


PERSON_FACET_FIELDS = {
    Facet.TECHNOLOGY: "competences_technology",
    Facet.MARKET: "competences_market",
}


class MyProfileForm(forms.ModelForm):
    """One's own record, consents (newsletter, directory listing) and competences."""

    competences_technology = CompetenceChoiceField(label=_("My technologies"))
    competences_market = CompetenceChoiceField(label=_("My application markets"))

    consent_newsletter = forms.BooleanField(
        label=_("Send me the cluster's newsletter"), required=False
    )
    consent_directory = forms.BooleanField(
        label=_("List me as a contact in the directory"),
        required=False,
        help_text=_("Your name, job title and organisation, as your organisation shows them."),
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "phone", "job_title", "language"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("Contact e-mail"),
            "phone": _("Phone"),
            "job_title": _("Job title"),
            "language": _("Language"),
        }
        help_texts = {
            "email": _(
                "Where the cluster writes to you. The address you log in with is managed "
                "under E-mail addresses."
            ),
            "language": _("The language of the site and of the mails you receive."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from grappe.members.services.profile import person_competence_choices

        super().__init__(*args, **kwargs)
        offered = list(person_competence_choices())
        chosen = (
            set(self.instance.competences.values_list("pk", flat=True))
            if self.instance.pk
            else set()
        )
        self._tree: dict[str, list[Competence]] = {}
        for facet, name in PERSON_FACET_FIELDS.items():
            in_facet = [c for c in offered if c.facet == facet]
            self._tree[name] = in_facet
            field = cast(CompetenceChoiceField, self.fields[name])
            field.queryset = Competence.objects.filter(pk__in=[c.pk for c in in_facet])
            if not self.is_bound:
                self.initial[name] = [c.pk for c in in_facet if c.pk in chosen]

    def competence_groups(self) -> list[dict[str, Any]]:
        """The checkboxes per facet, competences nested under their branch."""
        return [
            {
                "name": name,
                "label": self.fields[name].label,
                "field": self[name],
                "nodes": competence_tree(
                    self._tree[name], {str(v) for v in self[name].value() or []}
                ),
            }
            for name in PERSON_FACET_FIELDS.values()
        ]

    def competences(self) -> list[Competence]:
        return [c for name in PERSON_FACET_FIELDS.values() for c in self.cleaned_data[name]]

    def consents(self) -> dict[str, bool]:
        return {
            ConsentChannel.NEWSLETTER: self.cleaned_data["consent_newsletter"],
            ConsentChannel.DIRECTORY: self.cleaned_data["consent_directory"],
        }

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
