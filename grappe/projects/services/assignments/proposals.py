"""Proposals: the optimiser's for a whole session, and staff's by hand for one file (both to be
confirmed before any invitation leaves), and dropping a proposal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grappe.core.audit import audit_record, snapshot
from grappe.projects.assignment import Lack
from grappe.projects.conflicts import Conflict, conflicts_for
from grappe.projects.models import (
    LIVE_ASSIGNMENT,
    Assignment,
    AssignmentSource,
    ExpertProfile,
    LabellingRequest,
    LabellingSession,
)
from grappe.projects.services.assignments.common import ASSIGNABLE, A, _match, _now, _staff
from grappe.projects.services.assignments.problem import (
    _problem,
    _solve,
    match_scores,
    session_loads,
)

# --- the optimiser's proposals ---------------------------------------------------------------


@dataclass
class Lacking:
    request: LabellingRequest
    missing: int
    reason: str


@dataclass
class Proposal:
    created: list[Assignment] = field(default_factory=list)
    discarded: int = 0  # earlier optimiser proposals replaced
    lacking: list[Lacking] = field(default_factory=list)
    threshold: int = 0
    total: int = 0
    min_best: int = 0


def lack_reason(reason: str, candidates: int, missing: int) -> str:
    if reason == Lack.NOT_ENOUGH_EXPERTS:
        return ngettext(
            "Only %(count)d expert of the pool is free of conflict with this file.",
            "Only %(count)d experts of the pool are free of conflict with this file.",
            candidates,
        ) % {"count": candidates}
    return ngettext(
        "%(missing)d expert missing: the experts free of conflict have reached their load "
        "limit for this session.",
        "%(missing)d experts missing: the experts free of conflict have reached their load "
        "limit for this session.",
        missing,
    ) % {"missing": missing}


def assignments_propose(
    *, actor: Any, session: LabellingSession, now: dt.datetime | None = None
) -> Proposal:
    """Propose experts for every file under review of the session (replacing the optimiser's
    unconfirmed proposals). Staff confirm them before any invitation leaves."""
    now = _now(now)
    with transaction.atomic():
        _staff(actor)
        session = LabellingSession.objects.select_for_update().get(pk=session.pk)
        requests = list(session.requests.filter(status__in=ASSIGNABLE).select_related("project"))
        if not requests:
            raise ValidationError(
                {
                    "session": _(
                        "No file of this session is under review: start the review of the "
                        "admissible files first."
                    )
                }
            )
        stale = Assignment.objects.filter(
            request__session=session, status=A.PROPOSED, source=AssignmentSource.OPTIMISER
        )
        discarded, _detail = stale.delete()
        problem = _problem(session, requests, timezone.localdate(now))
        result = _solve(problem, session.experts_per_project)
        created = Assignment.objects.bulk_create(
            [
                Assignment(
                    request_id=request_id,
                    expert_id=expert_id,
                    status=A.PROPOSED,
                    source=AssignmentSource.OPTIMISER,
                    match=_match(problem.scores[(request_id, expert_id)]),
                    created_by=actor,
                )
                for request_id, expert_id in result.pairs
            ]
        )
        by_id = {r.pk: r for r in requests}
        proposal = Proposal(
            created=created,
            discarded=discarded,
            lacking=[
                Lacking(by_id[pk], s.missing, lack_reason(s.reason, s.candidates, s.missing))
                for pk, s in result.shortfall.items()
            ],
            threshold=result.threshold,
            total=result.total,
            min_best=result.min_best,
        )
        audit_record(
            actor=actor,
            obj=session,
            action="assignments.propose",
            before={},
            after={
                "proposed": [[r, e] for r, e in result.pairs],
                "discarded": discarded,
                "threshold": result.threshold,
                "total": result.total,
                "lacking": {str(pk): s.missing for pk, s in result.shortfall.items()},
            },
        )
    return proposal


# --- by hand ------------------------------------------------------------------------------------


def _conflict_error(expert: ExpertProfile, found: list[Conflict]) -> ValidationError:
    return ValidationError(
        {
            "expert": _("%(expert)s is in conflict with this file: %(reasons)s")
            % {"expert": expert, "reasons": " ".join(c.reason for c in found)}
        }
    )


def _check_load(expert: ExpertProfile, session: LabellingSession, *, adding: int) -> None:
    load = session_loads(session)[expert.pk] + adding
    if load > expert.load_limit:
        raise ValidationError(
            {
                "expert": _(
                    "%(expert)s already has %(count)d files in this session (limit %(limit)d)."
                )
                % {"expert": expert, "count": load - adding, "limit": expert.load_limit}
            }
        )


def assignment_add(
    *,
    actor: Any,
    request: LabellingRequest,
    expert: ExpertProfile,
    now: dt.datetime | None = None,
) -> Assignment:
    """Staff pick an expert for a file: a proposal to confirm like the optimiser's."""
    now = _now(now)
    with transaction.atomic():
        _staff(actor)
        request = (
            LabellingRequest.objects.select_for_update()
            .select_related("session")
            .get(pk=request.pk)
        )
        if request.status not in ASSIGNABLE:
            raise ValidationError(
                {"request": _("Experts are assigned to files under review only.")}
            )
        if not (expert.is_active and expert.user.is_active and expert.user.is_expert):
            raise ValidationError(
                {"expert": _("%(expert)s is not available.") % {"expert": expert}}
            )
        earlier = Assignment.objects.filter(request=request, expert=expert).first()
        if earlier is not None:
            raise ValidationError(
                {
                    "expert": _("%(expert)s is already on this file (%(status)s).")
                    % {"expert": expert, "status": earlier.get_status_display()}
                }
            )
        found = conflicts_for([expert], [request], today=timezone.localdate(now))[
            (expert.pk, request.pk)
        ]
        if found:
            raise _conflict_error(expert, found)
        wanted = request.session.experts_per_project
        if request.assignments.filter(status__in=LIVE_ASSIGNMENT).count() >= wanted:
            raise ValidationError(
                {
                    "request": ngettext(
                        "This file already has its %(count)d expert.",
                        "This file already has its %(count)d experts.",
                        wanted,
                    )
                    % {"count": wanted}
                }
            )
        _check_load(expert, request.session, adding=1)
        score = match_scores([request.pk], [expert.pk])[(request.pk, expert.pk)]
        assignment = Assignment.objects.create(
            request=request,
            expert=expert,
            status=A.PROPOSED,
            source=AssignmentSource.MANUAL,
            match=_match(score),
            created_by=actor,
        )
        audit_record(actor=actor, obj=assignment, action="assignment.add")
    return assignment


def assignment_discard(*, actor: Any, assignment: Assignment) -> None:
    """Drop a proposal that was not confirmed (nothing was sent)."""
    with transaction.atomic():
        _staff(actor)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status != A.PROPOSED:
            raise ValidationError(
                {"status": _("Only a proposal can be discarded; withdraw an invitation instead.")}
            )
        audit_record(
            actor=actor, obj=assignment, action="assignment.discard",
            before=snapshot(assignment), after={},
        )  # fmt: skip
        assignment.delete()
