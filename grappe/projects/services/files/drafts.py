"""Starting a file and editing its draft."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.members.models import Competence, Organisation
from grappe.members.selectors import member_organisations, user_organisations
from grappe.projects import permissions
from grappe.projects.models import (
    LabellingRequest,
    LabellingSession,
    Partner,
    PartnerRole,
    Project,
    ProjectContact,
    Stage,
)
from grappe.projects.services.files.common import (
    EDITABLE,
    _decimal,
    _group_name,
    _int,
    _locked_draft,
    _scheme_errors,
    session_is_open,
)


def _unique_slug(acronym: str) -> str:
    base = slugify(acronym)[:60] or "project"
    taken = set(Project.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


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
