"""Preparing a project file: create it, edit the draft, its consortium and contacts, and
resubmit a project to another session (a label is for one call).

Only a contact of a member organisation starts a file; the file's contacts edit the draft
together; submission (grappe.projects.services.workflow.request_submit) locks it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.members.models import Competence, Organisation, OrgKind
from grappe.members.regions import COUNTRIES
from grappe.members.selectors import member_organisations, user_organisations
from grappe.members.validators import is_valid_siret, normalise_identifier
from grappe.projects import permissions
from grappe.projects.models import (
    FundingScheme,
    LabellingRequest,
    LabellingSession,
    Partner,
    PartnerRole,
    Project,
    ProjectContact,
    RequestStatus,
    Stage,
)

S = RequestStatus

# The fields of the file its contacts edit (the acronym lives on the project).
EDITABLE = (
    "title", "summary_public", "description", "scheme", "funding_call", "stage",
    "total_budget", "duration_months", "trl_start", "trl_target", "impact_jobs",
    "impact_turnover", "impact_export_share", "impact_environment", "publish_consent",
)  # fmt: skip


def session_is_open(session: LabellingSession, now: dt.datetime) -> bool:
    return session.opens_at <= now <= session.submission_deadline


def _locked_draft(actor: Any, request: LabellingRequest) -> LabellingRequest:
    """The file, locked, once the actor is known to be allowed to edit it."""
    request = (
        LabellingRequest.objects.select_for_update()
        .select_related("project", "session")
        .get(pk=request.pk)
    )
    require(permissions.can_edit_request(actor, request), permissions.edit_refusal(actor, request))
    return request


def _scheme_errors(session: LabellingSession, scheme: str, stage: str) -> dict[str, str]:
    errors = {}
    if scheme not in FundingScheme.values:
        errors["scheme"] = _("Choose a funding scheme from the list.")
    elif scheme not in (session.schemes or []):
        errors["scheme"] = _("This session does not target this scheme.")
    if stage not in Stage.values:
        errors["stage"] = _("Choose a stage from the list.")
    elif stage == Stage.PRE_PROPOSAL and scheme != FundingScheme.ANR:
        errors["stage"] = _("Only ANR files are pre-proposals (the cluster gives an opinion).")
    return errors


def _unique_slug(acronym: str) -> str:
    base = slugify(acronym)[:60] or "project"
    taken = set(Project.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _group_name(organisation: Organisation) -> str:
    return organisation.parent_group.name if organisation.parent_group_id else ""  # type: ignore[union-attr]


def request_create(
    *,
    actor: Any,
    session: LabellingSession,
    lead: Organisation,
    acronym: str,
    title: str,
    scheme: str,
    summary_public: str = "",
    stage: str = Stage.FULL,
    now: dt.datetime | None = None,
) -> LabellingRequest:
    """A contact of a member organisation starts a file for one session; the organisation
    is its coordinator and the author its first contact."""
    now = now or timezone.now()
    require(permissions.can_create_request(actor), permissions.create_refusal(actor))
    acronym, title = (acronym or "").strip(), (title or "").strip()
    errors: dict[str, str] = {}
    mine = user_organisations(actor).filter(pk__in=member_organisations().values("pk"))
    if not mine.filter(pk=lead.pk).exists():
        errors["lead"] = _("Choose a member organisation you are a contact of.")
    if not acronym:
        errors["acronym"] = _("Give the project's acronym.")
    elif len(acronym) > 40:
        errors["acronym"] = _("The acronym is limited to 40 characters.")
    if not title:
        errors["title"] = _("Give the project's title.")
    if not session_is_open(session, now):
        errors["session"] = _("This session is not open for submissions.")
    errors.update(_scheme_errors(session, scheme, stage))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = Project.objects.create(
            acronym=acronym, slug=_unique_slug(acronym), lead=lead, created_by=actor
        )
        request = LabellingRequest.objects.create(
            project=project,
            session=session,
            scheme=scheme,
            stage=stage,
            title=title,
            summary_public=(summary_public or "").strip(),
            total_budget=Decimal(0),
            created_by=actor,
        )
        coordinator = Partner.objects.create(
            request=request,
            organisation=lead,
            name=lead.name,
            siret=lead.siret if lead.country == "FR" else "",
            country=lead.country or "FR",
            kind=lead.kind,
            size_class=lead.size_class,
            group_name=_group_name(lead),
            role=PartnerRole.COORDINATOR,
            budget=Decimal(0),
        )
        ProjectContact.objects.create(
            request=request, user=actor, partner=coordinator, added_by=actor
        )
        audit_record(actor=actor, obj=project, action="project.create")
        audit_record(actor=actor, obj=request, action="request.create")
    return request


def _decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite():
        errors[field] = _("Enter a number.")
        return None
    if number < 0:
        errors[field] = _("An amount cannot be negative.")
        return None
    return number.quantize(Decimal("0.01"))


def _int(value: Any, field: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = _("Enter a whole number.")
        return None
    if not low <= number <= high:
        errors[field] = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return None
    return number


def _clean_changes(request: LabellingRequest, changes: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("total_budget", "impact_turnover"):
            cleaned[name] = _decimal(value, name, errors)
        elif name == "impact_export_share":
            share = _decimal(value, name, errors)
            if share is not None and share > 100:
                errors[name] = _("A share is at most 100 %.")
            cleaned[name] = share
        elif name == "duration_months":
            cleaned[name] = _int(value, name, 1, 120, errors)
        elif name in ("trl_start", "trl_target"):
            cleaned[name] = _int(value, name, 1, 9, errors)
        elif name == "impact_jobs":
            cleaned[name] = _int(value, name, 0, 1_000_000, errors)
        elif name == "publish_consent":
            cleaned[name] = bool(value)
        else:
            cleaned[name] = (value or "").strip() if isinstance(value, str) or not value else value
    for name, limit in (("title", 300), ("funding_call", 200)):
        if len(cleaned.get(name) or "") > limit:
            errors[name] = _("At most %(limit)s characters.") % {"limit": limit}
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = _("Give the project's title.")
    start = cleaned.get("trl_start", request.trl_start)
    target = cleaned.get("trl_target", request.trl_target)
    if start is not None and target is not None and target < start:
        errors["trl_target"] = _("The target TRL cannot be below the TRL at start.")
    scheme = cleaned.get("scheme", request.scheme)
    stage = cleaned.get("stage", request.stage)
    if "scheme" in cleaned or "stage" in cleaned:
        errors.update(_scheme_errors(request.session, scheme, stage))
    if errors:
        raise ValidationError(errors)
    return cleaned


def request_update(
    *,
    actor: Any,
    request: LabellingRequest,
    changes: dict[str, Any],
    acronym: str | None = None,
    competences: list[Competence] | None = None,
) -> LabellingRequest:
    """Contacts edit the draft: the fields of EDITABLE, the acronym, the technologies and
    markets (from the current taxonomy)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        request = _locked_draft(actor, request)
        cleaned = _clean_changes(request, changes)
        if acronym is not None:
            acronym = acronym.strip()
            if not acronym or len(acronym) > 40:
                raise ValidationError({"acronym": _("Give an acronym of at most 40 characters.")})
        if competences is not None:
            stale = [c for c in competences if not c.version.is_current or not c.is_active]
            if stale:
                raise ValidationError(
                    {"competences": _("Choose technologies and markets of the current taxonomy.")}
                )
        before = snapshot(request)
        for name, value in cleaned.items():
            setattr(request, name, value)
        request.save()
        if competences is not None:
            request.competences.set(competences)
        if acronym is not None and acronym != request.project.acronym:
            project_before = snapshot(request.project)
            request.project.acronym = acronym
            request.project.save(update_fields=["acronym", "updated_at"])
            audit_record(
                actor=actor, obj=request.project, action="project.update", before=project_before
            )
        audit_record(actor=actor, obj=request, action="request.update", before=before)
    return request


# --- the consortium --------------------------------------------------------------------------

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


# --- contacts --------------------------------------------------------------------------------


def contact_add(*, actor: Any, request: LabellingRequest, email: str) -> ProjectContact:
    """Give a registered person, currently a contact of a partner organisation, access to the
    file (they may then edit the draft)."""
    require(
        permissions.can_manage_contacts(actor, request),
        _("Only the consortium's contacts or the cluster's staff may do this."),
    )
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if not email:
        raise ValidationError({"email": _("Give the person's e-mail address.")})
    if user is None:
        raise ValidationError(
            {"email": _("No registered user has this address: ask them to sign up first.")}
        )
    if ProjectContact.objects.filter(request=request, user=user).exists():
        raise ValidationError({"email": _("This person is already a contact of the file.")})
    partner = (
        request.partners.filter(organisation__in=user_organisations(user))
        .order_by("position", "id")
        .first()
    )
    if partner is None:
        raise ValidationError(
            {
                "email": _(
                    "This person is not a confirmed contact of a partner organisation of the "
                    "consortium."
                )
            }
        )
    with transaction.atomic():
        contact = ProjectContact.objects.create(
            request=request, user=user, partner=partner, added_by=actor
        )
        audit_record(actor=actor, obj=contact, action="contact.add")
        mail_after_commit(
            to=[user.email],
            template="projects_request_contact_added",
            context={"file": request, "added_by": actor, "recipient": user},
            language=getattr(user, "language", "fr") or "fr",
        )
    return contact


def contact_remove(*, actor: Any, request: LabellingRequest, contact: ProjectContact) -> None:
    require(
        permissions.can_manage_contacts(actor, request),
        _("Only the consortium's contacts or the cluster's staff may do this."),
    )
    with transaction.atomic():
        LabellingRequest.objects.select_for_update().get(pk=request.pk)
        if contact.request_id != request.pk:
            raise ValidationError({"contact": _("This person is not a contact of this file.")})
        if ProjectContact.objects.filter(request=request).count() <= 1:
            raise ValidationError({"contact": _("A file keeps at least one contact.")})
        audit_record(actor=actor, obj=contact, action="contact.remove", after={})
        contact.delete()


# --- resubmission --------------------------------------------------------------------------


def request_resubmit(
    *,
    actor: Any,
    request: LabellingRequest,
    session: LabellingSession,
    now: dt.datetime | None = None,
) -> LabellingRequest:
    """A new draft of the same project for another session, copying the file (partners,
    contacts, documents, technologies, exclusions); the old request keeps its decision."""
    from grappe.projects.services.documents import copy_documents

    now = now or timezone.now()
    require(
        permissions.can_resubmit_request(actor, request),
        _("Only the consortium's contacts may resubmit a file that is no longer in progress."),
    )
    with transaction.atomic():
        old = (
            LabellingRequest.objects.select_for_update()
            .select_related("project")
            .get(pk=request.pk)
        )
        errors: dict[str, str] = {}
        if LabellingRequest.objects.filter(previous=old).exists():
            errors["previous"] = _("This file was already resubmitted.")
        if LabellingRequest.objects.filter(
            project=old.project, status__in=permissions.IN_PROGRESS
        ).exists():
            errors["previous"] = _("The project already has a file in progress.")
        if LabellingRequest.objects.filter(project=old.project, session=session).exists():
            errors["session"] = _("The project already has a file in this session.")
        elif not session_is_open(session, now):
            errors["session"] = _("This session is not open for submissions.")
        elif old.scheme not in (session.schemes or []):
            errors["session"] = _("This session does not target the file's scheme.")
        if errors:
            raise ValidationError(errors)
        new = _copy_request(old, session, actor)
        copy_documents(old, new)
        audit_record(actor=actor, obj=new, action="request.resubmit")
    return new


def _copy_request(old: LabellingRequest, session: LabellingSession, actor: Any) -> LabellingRequest:
    new = LabellingRequest.objects.create(
        project=old.project,
        session=session,
        previous=old,
        created_by=actor,
        **{name: getattr(old, name) for name in EDITABLE},
    )
    new.competences.set(old.competences.all())
    partners = list(old.partners.order_by("position", "id"))
    mapping: dict[int, Partner] = {}
    for partner in partners:
        old_pk = partner.pk
        partner.pk = None
        partner.request = new
        partner.obtained_aid = None
        mapping[old_pk] = partner
    Partner.objects.bulk_create(partners)
    ProjectContact.objects.bulk_create(
        ProjectContact(
            request=new,
            user_id=contact.user_id,
            partner=mapping.get(contact.partner_id) if contact.partner_id else None,
            added_by=actor,
        )
        for contact in old.contacts.all()
    )
    from grappe.projects.models import ExpertExclusion

    ExpertExclusion.objects.bulk_create(
        ExpertExclusion(request=new, expert_id=e.expert_id, reason=e.reason, asked_by=e.asked_by)
        for e in old.exclusions.all()
    )
    return new
