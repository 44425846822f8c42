"""The expert's answer to an invitation: accept it, or decline it (staff are told and a
replacement is proposed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.projects import permissions
from grappe.projects.conflicts import conflicts_for
from grappe.projects.models import Assignment
from grappe.projects.services.assignments.common import (
    ASSIGNABLE,
    A,
    _end,
    _locked,
    _mail_staff,
    _now,
)
from grappe.projects.services.assignments.withdrawals import replacement_propose


def assignment_accept(
    *, actor: Any, assignment: Assignment, now: dt.datetime | None = None
) -> Assignment:
    """The expert accepts the invitation: only with the agreement accepted and no conflict."""
    now = _now(now)
    with transaction.atomic():
        assignment = _locked(assignment)
        require(
            permissions.can_view_assignment(actor, assignment),
            _("Only the invited expert may answer this invitation."),
        )
        refusal = permissions.answer_refusal(actor, assignment)
        if refusal:
            key = "agreement" if assignment.status == A.INVITED else "status"
            raise ValidationError({key: refusal})
        if assignment.request.status not in ASSIGNABLE:
            raise ValidationError({"status": _("The file is no longer under review.")})
        found = conflicts_for([assignment.expert], [assignment.request], today=now.date())[
            (assignment.expert_id, assignment.request_id)
        ]
        if found:
            raise ValidationError(
                {
                    "assignment": _(
                        "You cannot accept this file: %(reasons)s Decline it, or declare the "
                        "conflict."
                    )
                    % {"reasons": " ".join(c.reason for c in found)}
                }
            )
        before = snapshot(assignment)
        assignment.status = A.ACCEPTED
        assignment.answered_at = now
        assignment.save(update_fields=["status", "answered_at", "updated_at"])
        audit_record(actor=actor, obj=assignment, action="assignment.accept", before=before)
    return assignment


def assignment_decline(
    *, actor: Any, assignment: Assignment, reason: str, now: dt.datetime | None = None
) -> tuple[Assignment, Assignment | None]:
    """The expert declines (with a reason); staff are told and a replacement is proposed.
    Returns the assignment and the replacement proposal, if an expert was available."""
    now = _now(now)
    reason = (reason or "").strip()
    with transaction.atomic():
        assignment = _locked(assignment)
        require(
            permissions.can_view_assignment(actor, assignment),
            _("Only the invited expert may answer this invitation."),
        )
        if not permissions.can_decline_assignment(actor, assignment):
            raise ValidationError(
                {"status": _("This assignment can no longer be declined: the review is in.")}
            )
        if not reason:
            raise ValidationError({"reason": _("Say why you decline, for the cluster's team.")})
        _end(actor, assignment, A.DECLINED, reason, now, action="assignment.decline")
        replacement = replacement_propose(request=assignment.request, actor=actor, now=now)
        _mail_staff(
            "projects_expert_declined",
            assignment=assignment,
            replacement=replacement,
            reason=reason,
        )
    return assignment, replacement
