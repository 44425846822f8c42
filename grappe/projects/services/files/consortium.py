"""The consortium of a draft: its partners."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.members.models import Organisation, OrgKind
from grappe.members.regions import COUNTRIES
from grappe.members.selectors import member_organisations, user_organisations
from grappe.members.validators import is_valid_siret, normalise_identifier
from grappe.projects.models import LabellingRequest, Partner, PartnerRole
from grappe.projects.services.files.common import _decimal, _group_name, _locked_draft

PARTNER_FIELDS = (
    "organisation", "name", "siret", "country", "kind", "size_class", "group_name", "role",
    "in_territory", "budget", "requested_aid",
)  # fmt: skip


def partner_organisations(user: Any) -> Any:
    """The platform's organisations a contact may name as partners: the members, and the
    organisations the contact works for (other organisations are described by hand)."""
    return Organisation.objects.filter(
        pk__in=member_organisations().values("pk")
    ) | Organisation.objects.filter(pk__in=user_organisations(user).values("pk"))


def _partner_values(
    actor: Any, request: LabellingRequest, partner: Partner | None, data: dict[str, Any]
) -> dict[str, Any]:
    """The partner's cleaned values; an organisation of the platform fills what is not given."""
    from grappe.members.models import SizeClass

    errors: dict[str, str] = {}
    values = {name: data.get(name, getattr(partner, name, None)) for name in PARTNER_FIELDS}
    organisation = values["organisation"]
    if organisation is not None:
        if not partner_organisations(actor).filter(pk=organisation.pk).exists():
            raise ValidationError(
                {
                    "organisation": _(
                        "Choose a member organisation, or describe an outside one by hand."
                    )
                }
            )
        else:
            values["name"] = (values["name"] or "").strip() or organisation.name
            values["kind"] = values["kind"] or organisation.kind
            values["size_class"] = values["size_class"] or organisation.size_class
            values["country"] = values["country"] or organisation.country
            values["siret"] = values["siret"] or organisation.siret
            values["group_name"] = values["group_name"] or _group_name(organisation)
        same = request.partners.filter(organisation=organisation)
        if partner is not None:
            same = same.exclude(pk=partner.pk)
        if same.exists():
            errors["organisation"] = _("This organisation is already in the consortium.")
    values["name"] = (values["name"] or "").strip()
    values["group_name"] = (values["group_name"] or "").strip()
    values["country"] = (values["country"] or "FR").upper()
    values["siret"] = normalise_identifier(values["siret"] or "")
    if not values["name"]:
        errors["name"] = _("Give the partner's name.")
    if values["kind"] not in OrgKind.values:
        errors["kind"] = _("Choose the kind of organisation.")
    if (values["size_class"] or "") not in SizeClass.values:
        errors["size_class"] = _("Choose a size class from the list.")
    values["size_class"] = values["size_class"] or ""
    if values["role"] not in PartnerRole.values:
        errors["role"] = _("Choose the partner's role.")
    if values["country"] not in COUNTRIES:
        errors["country"] = _("Choose a country from the list.")
    if values["siret"]:
        if values["country"] != "FR":
            errors["siret"] = _("A SIRET is for French establishments: leave it empty.")
        elif not is_valid_siret(values["siret"]):
            errors["siret"] = _(
                "“%(value)s” is not a valid SIRET: 14 digits with a valid check digit."
            ) % {"value": values["siret"]}
    values["in_territory"] = bool(values["in_territory"])
    values["budget"] = _decimal(
        values["budget"] if values["budget"] is not None else 0, "budget", errors
    )
    values["requested_aid"] = _decimal(values["requested_aid"] or 0, "requested_aid", errors)
    if (
        values["budget"] is not None
        and values["requested_aid"] is not None
        and values["requested_aid"] > values["budget"]
    ):
        errors["requested_aid"] = _("The aid requested cannot exceed the partner's budget.")
    if values["role"] == PartnerRole.COORDINATOR:
        others = request.partners.filter(role=PartnerRole.COORDINATOR)
        if partner is not None:
            others = others.exclude(pk=partner.pk)
        if others.exists():
            errors["role"] = _("The consortium already has a coordinator: make it a partner first.")
    if errors:
        raise ValidationError(errors)
    return values


def partner_save(
    *,
    actor: Any,
    request: LabellingRequest,
    data: dict[str, Any],
    partner: Partner | None = None,
) -> Partner:
    """Add a partner to the draft's consortium, or change one (`partner`)."""
    with transaction.atomic():
        request = _locked_draft(actor, request)
        if partner is not None and partner.request_id != request.pk:
            raise ValidationError({"partner": _("This partner is not in this file.")})
        values = _partner_values(actor, request, partner, data)
        before = snapshot(partner) if partner is not None else None
        if partner is None:
            position = request.partners.count()
            partner = Partner(request=request, position=position)
        for name, value in values.items():
            setattr(partner, name, value)
        partner.save()
        lead_id = partner.organisation_id if partner.role == PartnerRole.COORDINATOR else None
        if lead_id is not None and request.project.lead_id != lead_id:
            project_before = snapshot(request.project)
            request.project.lead_id = lead_id
            request.project.save(update_fields=["lead", "updated_at"])
            audit_record(
                actor=actor, obj=request.project, action="project.lead", before=project_before
            )
        audit_record(
            actor=actor,
            obj=partner,
            action="partner.update" if before else "partner.add",
            before=before,
        )
    return partner


def partner_remove(*, actor: Any, request: LabellingRequest, partner: Partner) -> None:
    with transaction.atomic():
        request = _locked_draft(actor, request)
        if partner.request_id != request.pk:
            raise ValidationError({"partner": _("This partner is not in this file.")})
        if partner.role == PartnerRole.COORDINATOR:
            raise ValidationError(
                {"role": _("The coordinator cannot be removed: choose another coordinator first.")}
            )
        audit_record(actor=actor, obj=partner, action="partner.remove", after={})
        partner.delete()
