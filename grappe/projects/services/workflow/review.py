"""Admissibility, review and decision: an inadmissible file, the start and the end of the
experts' review, the committee's agenda and its decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.permissions import is_staff
from grappe.projects.models import AssignmentStatus, Decision, LabellingRequest, ReviewStatus
from grappe.projects.services.workflow.common import (
    S,
    _apply,
    _check_move,
    _locked,
    _now,
    _required,
)


def request_declare_inadmissible(
    *, actor: Any, request: LabellingRequest, reason: str, now: dt.datetime | None = None
) -> LabellingRequest:
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.INADMISSIBLE, "request_declare_inadmissible")
        reason = _required(reason, "reason", _("Say why the file is inadmissible."))
        return _apply(
            actor=actor,
            request=request,
            target=S.INADMISSIBLE,
            action="inadmissible",
            fields={"inadmissible_reason": reason},
            template="projects_request_inadmissible",
        )


def request_start_review(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """Staff find the file admissible: the experts may review it."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.UNDER_REVIEW, "request_start_review")
        return _apply(
            actor=actor,
            request=request,
            target=S.UNDER_REVIEW,
            action="start_review",
            fields={},
            template="projects_request_review",
        )


def request_mark_reviews_complete(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """Every accepted review is in: called by the review service after the last one, by the
    expert who submitted it; staff may also close the review round once one review is in."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.REVIEWS_COMPLETE, "request_mark_reviews_complete")
        accepted = request.assignments.filter(status=AssignmentStatus.ACCEPTED)
        submitted = accepted.filter(review__status=ReviewStatus.SUBMITTED).count()
        if submitted == 0:
            raise ValidationError({"status": _("No review of this file has been submitted yet.")})
        if not is_staff(actor) and submitted < accepted.count():
            raise ValidationError({"status": _("Some accepted reviews are not submitted yet.")})
        return _apply(
            actor=actor,
            request=request,
            target=S.REVIEWS_COMPLETE,
            action="reviews_complete",
            fields={},
            template="projects_request_reviews_complete",
        )


def request_to_committee(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """Put the file on the committee's agenda (again, for a deferred file)."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.COMMITTEE, "request_to_committee")
        return _apply(
            actor=actor,
            request=request,
            target=S.COMMITTEE,
            action="to_committee",
            fields={"decision": "", "decided_at": None},
            template="projects_request_committee",
        )


# --- decision ------------------------------------------------------------------------------


def request_decide(
    *,
    actor: Any,
    request: LabellingRequest,
    decision: str,
    reservations: str = "",
    decision_text: str = "",
    now: dt.datetime | None = None,
) -> LabellingRequest:
    """Record the committee's decision (staff or the committee's chair)."""
    now = _now(now)
    if decision not in Decision.values:
        raise ValidationError(
            {
                "decision": _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(str(label) for label in Decision.labels)}
            }
        )
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, decision, "request_decide")
        reservations = (reservations or "").strip()
        decision_text = (decision_text or "").strip()
        errors: dict[str, str] = {}
        if decision == Decision.LABELLED_RESERVATIONS and not reservations:
            errors["reservations"] = _("State the reservations that go with the label.")
        if decision != Decision.LABELLED_RESERVATIONS and reservations:
            errors["reservations"] = _("Reservations only go with a label with reservations.")
        if decision in (Decision.DEFERRED, Decision.REJECTED) and not decision_text:
            errors["decision_text"] = _("Explain the decision to the applicant.")
        if errors:
            raise ValidationError(errors)
        return _apply(
            actor=actor,
            request=request,
            target=decision,
            action="decide",
            fields={
                "decision": decision,
                "decided_at": now,
                "reservations": reservations,
                "decision_text": decision_text,
            },
            template="projects_request_decided",
        )
