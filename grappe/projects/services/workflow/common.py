"""Shared by the workflow services: locking the file, checking the move, applying it (audit and
mail to the consortium's contacts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.projects import permissions, workflow
from grappe.projects.models import LabellingRequest, ProjectContact, RequestStatus

S = RequestStatus


def mail_contacts(
    request: LabellingRequest,
    template: str,
    *,
    attachments: Callable[[str], list[tuple[str, str, dict[str, Any], str]]] | None = None,
    **context: Any,
) -> None:
    """Mail every contact of the file in their own language (after commit)."""
    contacts = ProjectContact.objects.filter(request=request).select_related("user")
    for contact in contacts:
        user = contact.user
        if not user.is_active:
            continue
        language = user.language or "fr"
        mail_after_commit(
            to=[user.email],
            template=template,
            context={"file": request, "recipient": user, **context},
            language=language,
            attachments=attachments(language) if attachments else None,
        )


def _locked(request: LabellingRequest) -> LabellingRequest:
    return (
        LabellingRequest.objects.select_for_update()
        .select_related("project", "session")
        .get(pk=request.pk)
    )


def _check_move(actor: Any, request: LabellingRequest, target: str, service: str) -> None:
    """Permission first (403 with the reason), then the status (a ValidationError)."""
    roles = workflow.roles_for(target, request.status)
    require(permissions.may_act_as(actor, request, roles), permissions.role_refusal(roles))
    row = workflow.transition_for(request.status, target)
    if row is None or row.service != service:
        raise ValidationError(
            {
                "status": _("A file cannot go from “%(from)s” to “%(to)s”.")
                % {"from": S(request.status).label, "to": S(target).label}
            }
        )


def _apply(
    *,
    actor: Any,
    request: LabellingRequest,
    target: str,
    action: str,
    fields: Mapping[str, Any],
    template: str,
    **mail_context: Any,
) -> LabellingRequest:
    before = snapshot(request)
    request.status = target
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    audit_record(actor=actor, obj=request, action=f"request.{action}", before=before)
    mail_contacts(request, template, **mail_context)
    return request


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()
