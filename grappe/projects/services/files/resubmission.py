"""Resubmission: a new draft of the same project for another session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record
from grappe.core.permissions import require
from grappe.projects import permissions
from grappe.projects.models import LabellingRequest, LabellingSession, Partner, ProjectContact
from grappe.projects.services.files.common import EDITABLE, session_is_open


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
