"""Assigning experts to the files of a session: the optimiser's proposals, assignments by hand,
staff's confirmation (the invitations), the experts' answers, withdrawals and replacements.

Rules every path shares: an expert in conflict with a file is never assigned to it (the
reasons are given); an expert takes at most `load_limit` files of a session (live assignments:
proposed, invited, accepted); a file wants `session.experts_per_project` experts; an expert
who declined or was withdrawn from a file is not proposed for it again. Proposals are not
visible to experts: staff confirm them, which sends the invitations."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.projects import permissions
from grappe.projects.assignment import AssignmentResult, Lack, assign_experts, match_score
from grappe.projects.conflicts import Conflict, conflicts_for
from grappe.projects.models import (
    LIVE_ASSIGNMENT,
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    ExpertProfile,
    LabellingRequest,
    LabellingSession,
    RequestStatus,
)

# Files experts are assigned to: admissible, under review.
ASSIGNABLE = (RequestStatus.UNDER_REVIEW,)
A = AssignmentStatus


def _staff(actor: Any) -> None:
    require(permissions.can_manage_experts(actor), _("Only the cluster's staff may do this."))


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _match(score: int) -> Decimal:
    return (Decimal(score) / 1000).quantize(Decimal("0.001"))


# --- the data the solver and the checks need (a fixed number of queries) ---------------------


def match_scores(
    request_ids: Iterable[int], expert_ids: Iterable[int]
) -> dict[tuple[int, int], int]:
    """Competence match (0–1000) of every (request, expert) pair, from the current taxonomy
    (see `grappe.projects.assignment.match_score`). Two queries."""
    request_ids, expert_ids = list(request_ids), list(expert_ids)
    file_tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for request_id, code, facet in LabellingRequest.competences.through.objects.filter(
        labellingrequest_id__in=request_ids, competence__version__is_current=True
    ).values_list("labellingrequest_id", "competence__code", "competence__facet"):
        file_tags[request_id].append((code, facet))
    expert_tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for expert_id, code, facet in ExpertProfile.competences.through.objects.filter(
        expertprofile_id__in=expert_ids, competence__version__is_current=True
    ).values_list("expertprofile_id", "competence__code", "competence__facet"):
        expert_tags[expert_id].append((code, facet))
    cache: dict[tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]], int] = {}
    scores = {}
    for request_id in request_ids:
        mine = frozenset(file_tags.get(request_id, ()))
        for expert_id in expert_ids:
            theirs = frozenset(expert_tags.get(expert_id, ()))
            key = (mine, theirs)
            if key not in cache:
                cache[key] = match_score(mine, theirs)
            scores[(request_id, expert_id)] = cache[key]
    return scores


def session_loads(session: LabellingSession) -> Counter[int]:
    """Live assignments per expert in the session (one query)."""
    return Counter(
        Assignment.objects.filter(request__session=session, status__in=LIVE_ASSIGNMENT)
        .values_list("expert_id", flat=True)
        .order_by()
    )


def available_experts() -> list[ExpertProfile]:
    """The pool the optimiser draws from: active profiles of active expert logins."""
    return list(
        ExpertProfile.objects.filter(is_active=True, user__is_active=True, user__is_expert=True)
        .select_related("user", "employer")
        .order_by("pk")  # the optimiser's ties break the same way on every database
    )


@dataclass
class _Problem:
    requests: list[LabellingRequest]
    experts: list[ExpertProfile]
    conflicts: dict[tuple[int, int], list[Conflict]]
    scores: dict[tuple[int, int], int]
    live: dict[int, list[int]]  # request → experts with a live assignment
    past: set[tuple[int, int]]  # (request, expert) declined or withdrawn
    capacity: dict[int, int]


def _problem(
    session: LabellingSession, requests: list[LabellingRequest], today: dt.date
) -> _Problem:
    experts = available_experts()
    loads = session_loads(session)
    live: dict[int, list[int]] = defaultdict(list)
    past: set[tuple[int, int]] = set()
    for request_id, expert_id, status in Assignment.objects.filter(
        request__in=requests
    ).values_list("request_id", "expert_id", "status"):
        if status in LIVE_ASSIGNMENT:
            live[request_id].append(expert_id)
        else:
            past.add((request_id, expert_id))
    return _Problem(
        requests=requests,
        experts=experts,
        conflicts=conflicts_for(experts, requests, today=today),
        scores=match_scores([r.pk for r in requests], [e.pk for e in experts]),
        live=live,
        past=past,
        capacity={e.pk: max(0, e.load_limit - loads[e.pk]) for e in experts},
    )


def _solve(problem: _Problem, per_project: int) -> AssignmentResult:
    forbidden = {(r, e) for (e, r), found in problem.conflicts.items() if found} | problem.past
    return assign_experts(
        projects=[r.pk for r in problem.requests],
        experts=[e.pk for e in problem.experts],
        scores=problem.scores,
        conflicts=forbidden,
        capacity=problem.capacity,
        per_project=per_project,
        assigned=problem.live,
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


# --- confirmation: the invitations --------------------------------------------------------------


def _invite(actor: Any, assignment: Assignment, now: dt.datetime) -> None:
    before = snapshot(assignment)
    assignment.status = A.INVITED
    assignment.invited_at = now
    assignment.due_on = assignment.request.session.review_deadline
    assignment.save(update_fields=["status", "invited_at", "due_on", "updated_at"])
    audit_record(actor=actor, obj=assignment, action="assignment.invite", before=before)
    user = assignment.expert.user
    # No confidential content: the session and the date only; the file is read on the site.
    mail_after_commit(
        to=[user.email],
        template="projects_expert_invited",
        context={
            "assignment": assignment,
            "session": assignment.request.session,
            "recipient": user,
        },
        language=user.language or "fr",
    )


def _confirm_refusal(assignment: Assignment, found: list[Conflict], load: int) -> str:
    if assignment.request.status not in ASSIGNABLE:
        return _("The file is no longer under review.")
    if found:
        return _("In conflict with the file: %(reasons)s") % {
            "reasons": " ".join(c.reason for c in found)
        }
    if load > assignment.expert.load_limit:
        return _("Over the expert's load limit (%(limit)d files in this session).") % {
            "limit": assignment.expert.load_limit
        }
    return ""


def assignment_confirm(
    *, actor: Any, assignment: Assignment, now: dt.datetime | None = None
) -> Assignment:
    """Confirm one proposal: the expert is invited (mail in their language), due on the
    session's review deadline. Conflicts and load are checked again."""
    now = _now(now)
    with transaction.atomic():
        _staff(actor)
        assignment = _locked(assignment)
        if assignment.status != A.PROPOSED:
            raise ValidationError({"status": _("Only a proposal can be confirmed.")})
        session = assignment.request.session
        found = conflicts_for([assignment.expert], [assignment.request], today=now.date())[
            (assignment.expert_id, assignment.request_id)
        ]
        refusal = _confirm_refusal(assignment, found, session_loads(session)[assignment.expert_id])
        if refusal:
            raise ValidationError({"expert": refusal})
        _invite(actor, assignment, now)
    return assignment


@dataclass
class Confirmation:
    invited: list[Assignment] = field(default_factory=list)
    dropped: list[tuple[Assignment, str]] = field(default_factory=list)  # with the reason


def assignments_confirm(
    *, actor: Any, session: LabellingSession, now: dt.datetime | None = None
) -> Confirmation:
    """Confirm every proposal of the session. A proposal that became impossible (a conflict,
    a load over the limit, a file no longer under review) is dropped and reported."""
    now = _now(now)
    result = Confirmation()
    with transaction.atomic():
        _staff(actor)
        session = LabellingSession.objects.select_for_update().get(pk=session.pk)
        proposals = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(request__session=session, status=A.PROPOSED)
            .select_related("request__session", "request__project", "expert__user")
            .order_by("request_id", "-match", "id")
        )
        if not proposals:
            raise ValidationError({"session": _("There is no proposal to confirm.")})
        found = conflicts_for(
            [a.expert for a in proposals], [a.request for a in proposals], today=now.date()
        )
        loads = session_loads(session)
        for assignment in proposals:
            refusal = _confirm_refusal(
                assignment, found[(assignment.expert_id, assignment.request_id)],
                loads[assignment.expert_id],
            )  # fmt: skip
            if refusal:
                loads[assignment.expert_id] -= 1
                audit_record(
                    actor=actor, obj=assignment, action="assignment.discard",
                    before=snapshot(assignment), after={"reason": refusal},
                )  # fmt: skip
                result.dropped.append((assignment, refusal))
                assignment.delete()
                continue
            _invite(actor, assignment, now)
            result.invited.append(assignment)
    return result


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("request__session", "request__project", "expert__user")
        .get(pk=assignment.pk)
    )


# --- the expert's answer ------------------------------------------------------------------------


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


# --- withdrawals and replacements ---------------------------------------------------------------


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
