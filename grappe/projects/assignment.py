"""Optimal assignment of experts to the files of a session (pure: plain data in, plain data out).

The problem. Each project p wants ``per_project`` experts, less those it already has (its live
assignments). Each expert e can take ``capacity[e]`` more files. A pair (p, e) is *eligible*
unless it is in ``conflicts`` or e is already on p. Each pair has an integer match ``score``
(thousandths, 0–1000; see `match_score` below).

The objective is lexicographic, and each stage is solved exactly:

1. **coverage** — as many assignments as possible (no file short of experts that could have
   one);
2. **served** — among those, as many files as possible have at least one expert;
3. **threshold τ** — the largest τ such that, still, as many files as in 2 have an expert whose
   match is at least ``min(τ, best_p)``, where ``best_p`` is the best match p could get on its
   own (its best eligible or current expert). This is the weak-match guarantee: no file is left
   with only weak matches while a better spread exists; a file whose candidates are all weak
   is asked only for its own best and does not drag the others down;
4. **total** — the largest total match of the new assignments.

How. For a given τ the stages 1, 2/3 and 4 are one minimum-cost maximum flow (OR-Tools):
source → expert (capacity) → [pair node] → project → sink (wanted), where a pair whose match
reaches the project's threshold goes through a pair node that can also feed the project's
"strong" node, whose one unit of flow earns a bonus larger than any total match. The maximum
flow is stage 1; among maximum flows the minimum cost has the most strong units first (stages
2/3) and then the largest total (stage 4). Flows on these networks are integral, so every
stage is exact. τ is found by bisection over the distinct match values: the number of strong
files only falls as τ rises (the bisection's flows count strong files only, with costs 0 and
−1, which solve fast; the last flow adds the matches).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

MAX_SCORE = 1000

# The competence match of an expert with a file, in thousandths. For each competence of the
# file in a facet: 1 when the expert has the same code, 1/2 when the expert has a code of the
# same branch (`root_code`: `tech.lasers` for `tech.lasers.fibre`), else 0. The facet's match
# is the mean over the file's competences of that facet; the match is the weighted mean of the
# facets the file has (technology 0.7, market 0.3; a file with one facet uses it alone). Value
# chain and TRL tags are not expertise and are left out.
FACET_WEIGHTS = {"technology": 7, "market": 3}  # tenths
EXACT, SAME_BRANCH = 2, 1  # credits in halves


def root_code(code: str) -> str:
    return ".".join(code.split(".")[:2])


def match_score(file: Iterable[tuple[str, str]], expert: Iterable[tuple[str, str]]) -> int:
    """The match (0–1000) of an expert's competences with a file's, each a (code, facet)."""
    codes = {code for code, _facet in expert}
    branches = {root_code(code) for code in codes}
    halves: dict[str, list[int]] = {}  # facet → [credits in halves, competences]
    for code, facet in set(file):
        if facet not in FACET_WEIGHTS:
            continue
        tally = halves.setdefault(facet, [0, 0])
        if code in codes:
            tally[0] += EXACT
        elif root_code(code) in branches:
            tally[0] += SAME_BRANCH
        tally[1] += 1
    if not halves:
        return 0
    weight = sum(FACET_WEIGHTS[facet] for facet in halves)
    value = sum(Fraction(FACET_WEIGHTS[f] * h, 2 * n) for f, (h, n) in halves.items()) / weight
    return round(value * MAX_SCORE)


class Lack:
    """Why a project gets fewer experts than wanted."""

    NOT_ENOUGH_EXPERTS = "not_enough_experts"  # too few experts without a conflict
    AT_CAPACITY = "at_capacity"  # enough of them, but they reached their load limit


@dataclass(frozen=True)
class Shortfall:
    missing: int  # experts still lacking after this assignment
    reason: str  # a Lack value
    candidates: int  # experts without a conflict (and not already on the project)


@dataclass
class AssignmentResult:
    pairs: list[tuple[Any, Any]]  # the new (project, expert) assignments
    coverage: int  # stage 1: number of new assignments
    served: int  # stage 2: projects in need with at least one expert
    threshold: int  # stage 3: τ
    strong: int  # projects in need with an expert at or above min(τ, best_p)
    total: int  # stage 4: total match of the new assignments
    min_best: int  # the smallest best match among served projects in need
    shortfall: dict[Any, Shortfall] = field(default_factory=dict)
    solves: int = 0  # flow problems solved

    def objective(self) -> tuple[int, int, int, int]:
        return (self.coverage, self.served, self.threshold, self.total)


@dataclass
class _Data:
    projects: list[Any]
    experts: list[Any]
    need: np.ndarray  # per project
    capacity: np.ndarray  # per expert
    pair_p: np.ndarray  # eligible pairs: project index
    pair_e: np.ndarray  # eligible pairs: expert index
    pair_score: np.ndarray
    existing_best: np.ndarray  # per project: best match of its current experts, -1 if none
    best: np.ndarray  # per project: best_p
    in_need: np.ndarray  # bool per project


def assign_experts(
    *,
    projects: Sequence[Hashable],
    experts: Sequence[Hashable],
    scores: Mapping[tuple[Any, Any], int],
    conflicts: Collection[tuple[Any, Any]],
    capacity: Mapping[Any, int],
    per_project: int,
    assigned: Mapping[Any, Collection[Any]] | None = None,
) -> AssignmentResult:
    """The optimal new assignments (see the module's docstring for the objective).

    `scores` and `conflicts` are keyed by (project, expert); a missing score is 0. `capacity`
    is what each expert can still take (a missing one is 0). `assigned` gives each project's
    current experts: they count towards `per_project` and their matches towards its best."""
    data = _prepare(projects, experts, scores, conflicts, capacity, per_project, assigned or {})
    levels = sorted({0, *data.pair_score.tolist(), *data.existing_best[data.in_need].tolist()})
    levels = [level for level in levels if level >= 0]
    # The bisection only counts strong projects (costs 0 and -1: fast); the last flow, at the
    # threshold found, also maximises the total match.
    served = _solve(data, 0, totals=False).strong
    solves = 1
    low, high = 0, len(levels) - 1  # levels[low] is feasible; find the largest feasible
    while low < high:
        middle = (low + high + 1) // 2
        solves += 1
        if _solve(data, levels[middle], totals=False).strong >= served:
            low = middle
        else:
            high = middle - 1
    final = _solve(data, levels[low], totals=True)
    return _result(data, final, served, levels[low], solves + 1, conflicts, assigned or {})


@dataclass
class _Flow:
    threshold: int
    chosen: np.ndarray  # indices of the eligible pairs taken
    strong: int  # projects in need strongly served (current experts included)


def _prepare(
    projects: Sequence[Any],
    experts: Sequence[Any],
    scores: Mapping[tuple[Any, Any], int],
    conflicts: Collection[tuple[Any, Any]],
    capacity: Mapping[Any, int],
    per_project: int,
    assigned: Mapping[Any, Collection[Any]],
) -> _Data:
    forbidden = set(conflicts)
    p_list, e_list = list(projects), list(experts)
    need = np.array(
        [max(0, per_project - len(assigned.get(p, ()))) for p in p_list], dtype=np.int64
    )
    cap = np.array([max(0, int(capacity.get(e, 0))) for e in e_list], dtype=np.int64)
    existing_best = np.full(len(p_list), -1, dtype=np.int64)
    for i, p in enumerate(p_list):
        for e in assigned.get(p, ()):
            existing_best[i] = max(existing_best[i], _score(scores, p, e))
    rows_p, rows_e, rows_s = [], [], []
    open_experts = [(j, e) for j, e in enumerate(e_list) if cap[j] > 0]
    for i, p in enumerate(p_list):
        if need[i] == 0:
            continue
        current = set(assigned.get(p, ()))
        for j, e in open_experts:
            if e in current or (p, e) in forbidden:
                continue
            rows_p.append(i)
            rows_e.append(j)
            rows_s.append(_score(scores, p, e))
    pair_p = np.array(rows_p, dtype=np.int64)
    pair_s = np.array(rows_s, dtype=np.int64)
    best = existing_best.copy()
    if len(pair_p):
        np.maximum.at(best, pair_p, pair_s)
    has_expert = (existing_best >= 0) | np.isin(np.arange(len(p_list)), pair_p)
    return _Data(
        projects=p_list,
        experts=e_list,
        need=need,
        capacity=cap,
        pair_p=pair_p,
        pair_e=np.array(rows_e, dtype=np.int64),
        pair_score=pair_s,
        existing_best=existing_best,
        best=best,
        in_need=(need > 0) & has_expert,
    )


def _score(scores: Mapping[tuple[Any, Any], int], p: Any, e: Any) -> int:
    value = int(scores.get((p, e), 0))
    if not 0 <= value <= MAX_SCORE:
        raise ValueError(f"score of {(p, e)!r} is {value}, not within 0–{MAX_SCORE}")
    return value


def _solve(data: _Data, threshold: int, *, totals: bool) -> _Flow:
    """Maximum flow of minimum cost for one τ: most strong projects, then (with `totals`) the
    largest total match."""
    n_p, n_e, n_pairs = len(data.projects), len(data.experts), len(data.pair_p)
    if n_pairs == 0:
        strong = int(np.sum(data.in_need & (data.existing_best >= 0)))
        return _Flow(threshold, np.zeros(0, dtype=np.int64), strong)
    level = np.minimum(threshold, data.best)  # each project's threshold
    already = data.existing_best >= level  # strong through a current expert
    wanting = data.in_need & ~already
    is_strong = (data.pair_score >= level[data.pair_p]) & wanting[data.pair_p]
    # A wanting project whose candidates are all strong needs no pair nodes: any unit it
    # receives can be its strong one (its first unit to the sink earns the bonus).
    pairs_of = np.bincount(data.pair_p, minlength=n_p)
    strong_of = np.bincount(data.pair_p[is_strong], minlength=n_p)
    plain = wanting & (strong_of == pairs_of)  # all strong
    mixed = wanting & ~plain
    via_node = is_strong & mixed[data.pair_p]
    direct_pairs = np.flatnonzero(~via_node)
    node_pairs = np.flatnonzero(via_node)
    # Nodes: source, sink, experts, projects, strong nodes, then one node per routed pair.
    source, sink = 0, 1
    expert_node = 2 + np.arange(n_e)
    project_node = 2 + n_e + np.arange(n_p)
    strong_node = 2 + n_e + n_p + np.arange(n_p)
    pair_node = 2 + n_e + 2 * n_p + np.arange(len(node_pairs))
    # One strong project outweighs any total match; without totals, only strong units count.
    bonus = MAX_SCORE * int(data.need.sum()) + 1 if totals else 1
    pair_cost = -data.pair_score if totals else np.zeros_like(data.pair_score)
    tails: list[Any] = []
    heads: list[Any] = []
    caps: list[Any] = []
    costs: list[Any] = []

    def arcs(tail: Any, head: Any, cap: Any, cost: Any) -> range:
        size = next(len(x) for x in (tail, head, cap, cost) if np.ndim(x))
        first = sum(len(t) for t in tails)
        tails.append(np.broadcast_to(tail, size))
        heads.append(np.broadcast_to(head, size))
        caps.append(np.broadcast_to(cap, size))
        costs.append(np.broadcast_to(cost, size))
        return range(first, first + size)

    plain_p, other_p = np.flatnonzero(plain), np.flatnonzero(~plain)
    arcs(source, expert_node, data.capacity, 0)
    arcs(project_node[other_p], sink, data.need[other_p], 0)
    plain_bonus = arcs(project_node[plain_p], sink, 1, -bonus)
    arcs(project_node[plain_p], sink, data.need[plain_p] - 1, 0)
    direct = arcs(
        expert_node[data.pair_e[direct_pairs]], project_node[data.pair_p[direct_pairs]], 1,
        pair_cost[direct_pairs],
    )  # fmt: skip
    routed = arcs(expert_node[data.pair_e[node_pairs]], pair_node, 1, pair_cost[node_pairs])
    arcs(pair_node, project_node[data.pair_p[node_pairs]], 1, 0)
    arcs(pair_node, strong_node[data.pair_p[node_pairs]], 1, 0)
    mixed_p = np.flatnonzero(mixed)
    mixed_bonus = arcs(strong_node[mixed_p], project_node[mixed_p], 1, -bonus)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    total_supply = int(data.capacity.sum())
    flow.set_node_supply(source, total_supply)
    flow.set_node_supply(sink, -total_supply)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - integral data always solves
        raise RuntimeError(f"min-cost flow failed: {status}")

    def used(arc_range: range) -> Any:
        return flow.flows(np.arange(arc_range.start, arc_range.stop, dtype=np.int32))

    chosen = np.concatenate([direct_pairs[used(direct) > 0], node_pairs[used(routed) > 0]])
    strong_units = int(used(plain_bonus).sum()) + int(used(mixed_bonus).sum())
    strong = int(np.sum(data.in_need & already)) + strong_units
    return _Flow(threshold, np.sort(chosen), strong)


def _result(
    data: _Data,
    flow: _Flow,
    served: int,
    threshold: int,
    solves: int,
    conflicts: Collection[tuple[Any, Any]],
    assigned: Mapping[Any, Collection[Any]],
) -> AssignmentResult:
    chosen = flow.chosen
    pairs = [(data.projects[data.pair_p[k]], data.experts[data.pair_e[k]]) for k in chosen]
    got = np.bincount(data.pair_p[chosen], minlength=len(data.projects))
    best_now = data.existing_best.copy()
    if len(chosen):
        np.maximum.at(best_now, data.pair_p[chosen], data.pair_score[chosen])
    served_best = best_now[(data.need > 0) & (best_now >= 0)]
    return AssignmentResult(
        pairs=pairs,
        coverage=len(pairs),
        served=served,
        threshold=threshold,
        strong=flow.strong,
        total=int(data.pair_score[chosen].sum()),
        min_best=int(served_best.min()) if len(served_best) else 0,
        shortfall=_shortfall(data, got, conflicts, assigned),
        solves=solves,
    )


def _shortfall(
    data: _Data,
    got: np.ndarray,
    conflicts: Collection[tuple[Any, Any]],
    assigned: Mapping[Any, Collection[Any]],
) -> dict[Any, Shortfall]:
    forbidden = set(conflicts)
    result = {}
    for i, p in enumerate(data.projects):
        missing = int(data.need[i] - got[i])
        if missing <= 0:
            continue
        current = set(assigned.get(p, ()))
        candidates = sum(1 for e in data.experts if e not in current and (p, e) not in forbidden)
        reason = Lack.NOT_ENOUGH_EXPERTS if candidates < data.need[i] else Lack.AT_CAPACITY
        result[p] = Shortfall(missing=missing, reason=reason, candidates=candidates)
    return result
