"""Withdrawals and replacements: staff withdraw an assignment, assignments that became conflicts
end at once, and a replacement is proposed for a file that lacks an expert."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.projects.conflicts import conflicts_for
from grappe.projects.models import (
    LIVE_ASSIGNMENT,
    Assignment,
    AssignmentSource,
    ExpertProfile,
    LabellingRequest,
)
from grappe.projects.services.assignments.common import (
    ASSIGNABLE,
    A,
    _end,
    _locked,
    _mail_staff,
    _match,
    _now,
    _staff,
)
from grappe.projects.services.assignments.problem import _problem, _solve


def assignment_withdraw(
    *, actor: Any, assignment: Assignment, reason: str, now: dt.datetime | None = None
) -> tuple[Assignment, Assignment | None]:
    """Staff withdraw an invitation or an accepted assignment (the expert is told, with the
    reason); a replacement is proposed."""
    now = _now(now)
    reason = (reason or "").strip()
    with transaction.atomic():
        _staff(actor)
        assignment = _locked(assignment)
        if assignment.status not in (A.INVITED, A.ACCEPTED):
            raise ValidationError(
                {"status": _("Only an invitation or an accepted assignment can be withdrawn.")}
            )
        if not reason:
            raise ValidationError({"reason": _("Say why, for the expert.")})
        _end(actor, assignment, A.WITHDRAWN, reason, now, action="assignment.withdraw")
        _mail_expert_withdrawn(assignment, reason)
        replacement = replacement_propose(request=assignment.request, actor=actor, now=now)
    return assignment, replacement


def _mail_expert_withdrawn(assignment: Assignment, reason: str) -> None:
    user = assignment.expert.user
    mail_after_commit(
        to=[user.email],
        template="projects_expert_withdrawn",
        context={"assignment": assignment, "session": assignment.request.session,
                 "reason": reason, "recipient": user},
        language=user.language or "fr",
    )  # fmt: skip


def withdraw_conflicted(
    *,
    actor: Any,
    expert: ExpertProfile | None = None,
    request: LabellingRequest | None = None,
    now: dt.datetime | None = None,
) -> list[Assignment]:
    """Inside another service's transaction (a declared relationship or conflict, a new
    employer, an exclusion): end at once the live assignments now in conflict — a proposal is
    dropped, an invitation or acceptance withdrawn (staff told, a replacement proposed).
    Returns the assignments ended."""
    now = _now(now)
    live = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(status__in=LIVE_ASSIGNMENT)
        .select_related("request__session", "request__project", "expert__user")
    )
    if expert is not None:
        live = live.filter(expert=expert)
    if request is not None:
        live = live.filter(request=request)
    live_list = list(live)
    if not live_list:
        return []
    found = conflicts_for(
        {a.expert for a in live_list}, {a.request for a in live_list}, today=now.date()
    )
    ended = []
    for assignment in live_list:
        reasons = found[(assignment.expert_id, assignment.request_id)]
        if not reasons:
            continue
        text = " ".join(c.reason for c in reasons)
        if assignment.status == A.PROPOSED:
            audit_record(
                actor=actor, obj=assignment, action="assignment.discard",
                before=snapshot(assignment), after={"reason": text},
            )  # fmt: skip
            assignment.delete()
            ended.append(assignment)
            continue
        _end(actor, assignment, A.WITHDRAWN, text, now, action="assignment.withdraw_conflict")
        replacement = replacement_propose(request=assignment.request, actor=actor, now=now)
        _mail_staff(
            "projects_expert_conflict", assignment=assignment, replacement=replacement, reason=text
        )
        ended.append(assignment)
    return ended


def replacement_propose(
    *, request: LabellingRequest, actor: Any, now: dt.datetime | None = None
) -> Assignment | None:
    """Propose the best available expert for one file that lacks one, under the optimiser's
    rules (conflicts, loads, no expert twice). Runs inside the caller's transaction."""
    now = _now(now)
    request = LabellingRequest.objects.select_related("session").get(pk=request.pk)
    if request.status not in ASSIGNABLE:
        return None
    problem = _problem(request.session, [request], timezone.localdate(now))
    wanted = request.session.experts_per_project
    have = len(problem.live.get(request.pk, []))
    if have >= wanted:
        return None
    result = _solve(problem, have + 1)
    if not result.pairs:
        return None
    ((_request_id, expert_id),) = result.pairs
    assignment = Assignment.objects.create(
        request=request,
        expert_id=expert_id,
        status=A.PROPOSED,
        source=AssignmentSource.REPLACEMENT,
        match=_match(problem.scores[(request.pk, expert_id)]),
    )
    audit_record(actor=actor, obj=assignment, action="assignment.replacement")
    return assignment
