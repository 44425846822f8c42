"""Shared by the file services: the editable fields, the session's window, the locked draft and
the checks of numbers and of the scheme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from grappe.core.permissions import require
from grappe.members.models import Organisation
from grappe.projects import permissions
from grappe.projects.models import (
    FundingScheme,
    LabellingRequest,
    LabellingSession,
    Stage,
)

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


def _group_name(organisation: Organisation) -> str:
    return organisation.parent_group.name if organisation.parent_group_id else ""  # type: ignore[union-attr]


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
