"""The data the solver and the checks need, read in a fixed number of queries, and the solver's
call under the shared rules (conflicts, loads, no expert twice on a file)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from grappe.projects.assignment import AssignmentResult, assign_experts, match_score
from grappe.projects.conflicts import Conflict, conflicts_for
from grappe.projects.models import (
    LIVE_ASSIGNMENT,
    Assignment,
    ExpertProfile,
    LabellingRequest,
    LabellingSession,
)


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
