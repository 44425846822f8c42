"""Submission: what stops a draft from being submitted, submitting it, and staff returning a
submitted file to its consortium."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.projects.models import LabellingRequest, PartnerRole
from grappe.projects.services.workflow.common import (
    S,
    _apply,
    _check_move,
    _locked,
    _now,
    _required,
)


def submission_errors(request: LabellingRequest, now: dt.datetime) -> dict[str, list[str]]:
    """Everything that stops the file from being submitted, by field; eligibility rules of the
    scheme under NON_FIELD_ERRORS (all of them, in the current language)."""
    from grappe.projects.services.eligibility import eligibility_check

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    session = request.session
    if now < session.opens_at:
        add("session", _("The session is not open for submissions yet."))
    if now > session.submission_deadline:
        add("session", _("The session's submission deadline has passed."))
    if request.scheme not in (session.schemes or []):
        add("scheme", _("This session does not target the scheme chosen for the file."))
    if not request.title.strip():
        add("title", _("Give the project's title."))
    if not request.summary_public.strip():
        add("summary_public", _("Give the public summary of the project."))
    if not request.description.strip():
        add("description", _("Give the confidential description of the project."))
    partners = list(request.partners.all())
    coordinators = [p for p in partners if p.role == PartnerRole.COORDINATOR]
    if not partners:
        add("partners", _("Add the partners of the consortium."))
    elif len(coordinators) != 1:
        add("partners", _("The consortium needs exactly one coordinator."))
    total = sum((p.budget for p in partners), Decimal(0))
    if request.total_budget <= 0:
        add("total_budget", _("Give the total budget of the project."))
    elif request.total_budget != total:
        add(
            "total_budget",
            _(
                "The total budget (%(total)s €) must equal the sum of the partners' budgets "
                "(%(sum)s €)."
            )
            % {"total": request.total_budget, "sum": total},
        )
    for partner in partners:
        if partner.requested_aid > partner.budget:
            add(
                "partners",
                _("%(partner)s requests more aid than its budget.") % {"partner": partner.name},
            )
    for message in eligibility_check(request):
        add(NON_FIELD_ERRORS, message)
    return errors


def request_submit(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """A contact submits the draft: every check must pass; the file is then locked."""
    now = _now(now)
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.SUBMITTED, "request_submit")
        errors = submission_errors(request, now)
        if errors:
            raise ValidationError(errors)
        return _apply(
            actor=actor,
            request=request,
            target=S.SUBMITTED,
            action="submit",
            fields={"submitted_at": now, "submitted_by": actor},
            template="projects_request_submitted",
        )


def request_reopen(
    *, actor: Any, request: LabellingRequest, reason: str, now: dt.datetime | None = None
) -> LabellingRequest:
    """Staff return a submitted file to its consortium for corrections (it is a draft again)."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.DRAFT, "request_reopen")
        reason = _required(reason, "reason", _("Say what the consortium must correct."))
        return _apply(
            actor=actor,
            request=request,
            target=S.DRAFT,
            action="reopen",
            fields={"submitted_at": None, "submitted_by": None},
            template="projects_request_reopened",
            reason=reason,
        )
