"""Writes on organisations and their yearly figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import is_staff, require
from grappe.members import permissions
from grappe.members.models import (
    COMPANY_KINDS,
    RESEARCH_KINDS,
    AffiliationRole,
    College,
    Competence,
    Organisation,
    OrganisationFigures,
    OrgKind,
    SizeClass,
    Visibility,
)

EDITABLE_FIELDS = [
    "legal_name", "name", "siren", "siret", "vat_number", "legal_form", "kind", "parent_group",
    "street", "postcode", "city", "region", "country", "latitude", "longitude", "website",
    "email", "phone", "logo", "description_fr", "description_en", "founded_year", "nace_code",
]  # fmt: skip
STAFF_ONLY_FIELDS = ["college_override"]


def _directory_reindex_after_commit(organisation_id: int) -> None:
    """Keep the directory's search index fresh once the change is committed."""
    from grappe.directory.indexing import organisation_reindex

    transaction.on_commit(lambda: organisation_reindex([organisation_id]))


def size_class_for(
    headcount: int | None, turnover: Decimal | None, balance_sheet: Decimal | None = None
) -> str:
    """The EU size class (Recommendation 2003/361) from headcount and financial ceilings."""
    if headcount is None:
        return SizeClass.UNKNOWN
    turnover = turnover if turnover is not None else Decimal(0)

    def within(turnover_cap: int, balance_cap: int) -> bool:
        return turnover <= turnover_cap or (
            balance_sheet is not None and balance_sheet <= balance_cap
        )

    if headcount < 10 and within(2_000_000, 2_000_000):
        return SizeClass.MICRO
    if headcount < 50 and within(10_000_000, 10_000_000):
        return SizeClass.SMALL
    if headcount < 250 and within(50_000_000, 43_000_000):
        return SizeClass.MEDIUM
    if headcount < 5000 and within(1_500_000_000, 2_000_000_000):
        return SizeClass.MIDSIZE
    return SizeClass.LARGE


def college_for(kind: str, size_class: str) -> str:
    """The collège an organisation votes and pays in, from its kind and size."""
    if kind in RESEARCH_KINDS:
        return College.RESEARCH
    if kind in COMPANY_KINDS:
        if kind in {OrgKind.MIDSIZE, OrgKind.LARGE} or size_class in {
            SizeClass.MIDSIZE,
            SizeClass.LARGE,
        }:
            return College.LARGE
        return College.SME
    return College.OTHER


def unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, counter = base, 2
    others = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects
    while others.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _apply(organisation: Organisation, data: dict[str, Any], actor: Any) -> None:
    allowed = EDITABLE_FIELDS + (STAFF_ONLY_FIELDS if is_staff(actor) else [])
    unknown = set(data) - set(allowed) - {"competences"}
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    for field, value in data.items():
        if field != "competences":
            setattr(organisation, field, value)
    organisation.college = college_for(organisation.kind, organisation.size_class)
    organisation.full_clean(exclude=["slug", "competences"])


def organisation_create(*, actor: Any, data: dict[str, Any], as_admin: bool = True) -> Organisation:
    """Declare an organisation; a non-staff declarer becomes its first administrator."""
    require(permissions.can_declare_organisation(actor))
    data = dict(data)  # the caller's dict is left as it was
    with transaction.atomic():
        organisation = Organisation(kind=data.get("kind", OrgKind.OTHER))
        competences = data.pop("competences", None)
        _apply(organisation, data, actor)
        organisation.slug = unique_slug(organisation.name)
        organisation.save()
        if competences is not None:
            organisation.competences.set(competences)
        audit_record(actor=actor, obj=organisation, action="organisation.create")
        _directory_reindex_after_commit(organisation.pk)
        person = getattr(actor, "person", None) if not is_staff(actor) else None
        if as_admin and person is not None:
            from grappe.members.services.people import affiliation_create

            affiliation_create(
                actor=actor,
                person=person,
                organisation=organisation,
                role=AffiliationRole.EXECUTIVE,
                is_admin=True,
                check_permission=False,
            )
    return organisation


def organisation_update(
    *, actor: Any, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    require(permissions.can_edit_organisation(actor, organisation))
    data = dict(data)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = snapshot(organisation)
        before_competences = sorted(organisation.competences.values_list("code", flat=True))
        competences: list[Competence] | None = data.pop("competences", None)
        _apply(organisation, data, actor)
        organisation.save()
        after = snapshot(organisation)
        if competences is not None:
            organisation.competences.set(competences)
            before["competences"] = before_competences
            after["competences"] = sorted(c.code for c in competences)
        audit_record(
            actor=actor, obj=organisation, action="organisation.update", before=before, after=after
        )
        _directory_reindex_after_commit(organisation.pk)
    return organisation


def organisation_set_visibility(
    *, actor: Any, organisation: Organisation, choices: dict[str, str]
) -> Organisation:
    """Set field visibility levels; each must be within the limits staff set."""
    require(permissions.can_edit_organisation(actor, organisation))
    limits = permissions.field_limits()
    errors = {}
    for field, level in choices.items():
        if field not in limits:
            errors[field] = _("Unknown profile field.")
        elif level not in Visibility.values:
            errors[field] = _("Unknown visibility level.")
        elif level not in permissions.allowed_levels(field, limits):
            errors[field] = _("Staff do not allow this field to be more open than “%(level)s”.") % {
                "level": Visibility(limits[field][1]).label
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {"visibility": dict(organisation.visibility or {})}
        organisation.visibility = {**(organisation.visibility or {}), **choices}
        organisation.save(update_fields=["visibility", "updated_at"])
        audit_record(
            actor=actor,
            obj=organisation,
            action="organisation.visibility",
            before=before,
            after={"visibility": organisation.visibility},
        )
    return organisation


def _figures_errors(
    *,
    year: int,
    headcount: int | None,
    turnover: Decimal | None,
    export_share: Decimal | None,
    rnd_spend: Decimal | None,
    balance_sheet: Decimal | None,
) -> dict[str, str]:
    errors = {}
    required = {
        "headcount": headcount, "turnover": turnover, "export_share": export_share,
        "rnd_spend": rnd_spend,
    }  # fmt: skip
    for field, value in required.items():
        if value is None:
            errors[field] = _("This field is required.")
    if year > timezone.localdate().year:
        errors["year"] = _("Figures are declared for a year that has begun.")
    if headcount is not None and headcount < 0:
        errors["headcount"] = _("The headcount cannot be negative.")
    if turnover is not None and turnover < 0:
        errors["turnover"] = _("The turnover cannot be negative.")
    if export_share is not None and not Decimal(0) <= export_share <= Decimal(100):
        errors["export_share"] = _("The export share is a percentage between 0 and 100.")
    if rnd_spend is not None and rnd_spend < 0:
        errors["rnd_spend"] = _("The R&D spend cannot be negative.")
    if balance_sheet is not None and balance_sheet < 0:
        errors["balance_sheet"] = _("The balance-sheet total cannot be negative.")
    return errors


def figures_declare(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    headcount: int,
    turnover: Decimal,
    export_share: Decimal,
    rnd_spend: Decimal,
    balance_sheet: Decimal | None = None,
) -> OrganisationFigures:
    """Declare (or correct) one year's figures; the size class and collège follow the latest."""
    require(permissions.can_edit_organisation(actor, organisation))
    errors = _figures_errors(
        year=year,
        headcount=headcount,
        turnover=turnover,
        export_share=export_share,
        rnd_spend=rnd_spend,
        balance_sheet=balance_sheet,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        figures = OrganisationFigures.objects.filter(organisation=organisation, year=year).first()
        before = snapshot(figures) if figures else {}
        if figures is None:
            figures = OrganisationFigures(organisation=organisation, year=year)
        figures.headcount, figures.turnover = headcount, turnover
        figures.export_share, figures.rnd_spend = export_share, rnd_spend
        figures.balance_sheet = balance_sheet
        figures.size_class = size_class_for(headcount, turnover, balance_sheet)
        figures.declared_by = actor if getattr(actor, "is_authenticated", False) else None
        figures.save()
        audit_record(
            actor=actor,
            obj=figures,
            action="figures.correct" if before else "figures.declare",
            before=before,
        )
        organisation_refresh_size(organisation=organisation, actor=actor)
    return figures


def organisation_refresh_size(*, organisation: Organisation, actor: Any = None) -> None:
    """Derived fields (size class, collège) from the latest declared year; audited."""
    latest = organisation.figures.order_by("-year").first()
    size = latest.size_class if latest else SizeClass.UNKNOWN
    college = college_for(organisation.kind, size)
    if (organisation.size_class, organisation.college) != (size, college):
        before = {"size_class": organisation.size_class, "college": organisation.college}
        Organisation.objects.filter(pk=organisation.pk).update(size_class=size, college=college)
        _directory_reindex_after_commit(organisation.pk)
        organisation.size_class, organisation.college = size, college
        audit_record(
            actor=actor,
            obj=organisation,
            action="organisation.size",
            before=before,
            after={"size_class": size, "college": college},
        )
