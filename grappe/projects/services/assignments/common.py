"""Shared by the assignment services: the files experts are assigned to, the staff check, the
locked assignment, ending an assignment and mailing staff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.projects import permissions
from grappe.projects.models import Assignment, AssignmentStatus, RequestStatus

# Files experts are assigned to: admissible, under review.
ASSIGNABLE = (RequestStatus.UNDER_REVIEW,)
A = AssignmentStatus


def _staff(actor: Any) -> None:
    require(permissions.can_manage_experts(actor), _("Only the cluster's staff may do this."))


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _match(score: int) -> Decimal:
    return (Decimal(score) / 1000).quantize(Decimal("0.001"))


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("request__session", "request__project", "expert__user")
        .get(pk=assignment.pk)
    )


def _end(
    actor: Any, assignment: Assignment, status: str, reason: str, now: dt.datetime, *, action: str
) -> None:
    before = snapshot(assignment)
    assignment.status = status
    assignment.answered_at = assignment.answered_at or now
    assignment.decline_reason = reason[:300]
    assignment.save(update_fields=["status", "answered_at", "decline_reason", "updated_at"])
    audit_record(actor=actor, obj=assignment, action=action, before=before)


def _mail_staff(template: str, **context: Any) -> None:
    for user in get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk"):
        mail_after_commit(
            to=[user.email], template=template, context={"recipient": user, **context},
            language=user.language or "fr",
        )  # fmt: skip
