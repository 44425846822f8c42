"""The assignment solver against a brute force on many small random cases, its respect of
conflicts and loads, the weak-match guarantee and the report of files lacking experts."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass

import pytest

from grappe.projects.assignment import Lack, Shortfall, assign_experts


@dataclass
class Case:
    projects: list[str]
    experts: list[str]
    scores: dict[tuple[str, str], int]
    conflicts: set[tuple[str, str]]
    capacity: dict[str, int]
    per_project: int
    assigned: dict[str, list[str]]

    def solve(self):
        return assign_experts(
            projects=self.projects,
            experts=self.experts,
            scores=self.scores,
            conflicts=self.conflicts,
            capacity=self.capacity,
            per_project=self.per_project,
            assigned=self.assigned,
        )


def random_case(seed: int) -> Case:
    rng = random.Random(seed)
    projects = [f"p{i}" for i in range(rng.randint(1, 4))]
    experts = [f"e{j}" for j in range(rng.randint(1, 4))]
    values = rng.choice([[0, 250, 500, 750, 1000], list(range(0, 1001, 50))])
    scores = {(p, e): rng.choice(values) for p in projects for e in experts}
    conflicts = {(p, e) for p in projects for e in experts if rng.random() < 0.2}
    capacity = {e: rng.randint(0, 3) for e in experts}
    assigned: dict[str, list[str]] = {}
    if rng.random() < 0.3:
        p, e = rng.choice(projects), rng.choice(experts)
        if (p, e) not in conflicts:
            assigned[p] = [e]
    return Case(projects, experts, scores, conflicts, capacity, rng.randint(1, 3), assigned)


def brute_force(case: Case) -> tuple[int, int, int, int]:
    """(coverage, served, τ, total) by enumerating every feasible set of new assignments."""
    need = {p: max(0, case.per_project - len(case.assigned.get(p, []))) for p in case.projects}
    eligible = {
        p: [
            e
            for e in case.experts
            if (p, e) not in case.conflicts
            and e not in case.assigned.get(p, [])
            and case.capacity.get(e, 0) > 0
        ]
        for p in case.projects
    }
    current = {
        p: [case.scores.get((p, e), 0) for e in case.assigned.get(p, [])] for p in case.projects
    }
    best = {
        p: max(current[p] + [case.scores.get((p, e), 0) for e in eligible[p]], default=-1)
        for p in case.projects
    }
    in_need = [p for p in case.projects if need[p] > 0 and (current[p] or eligible[p])]
    choices = []
    for p in case.projects:
        options = [()] if need[p] == 0 else []
        if need[p] > 0:
            for k in range(0, min(need[p], len(eligible[p])) + 1):
                options += list(itertools.combinations(eligible[p], k))
        choices.append([[(p, e) for e in option] for option in options])
    feasible = []
    for combo in itertools.product(*choices):
        pairs = [pair for part in combo for pair in part]
        load = Counter(e for _p, e in pairs)
        if all(load[e] <= case.capacity.get(e, 0) for e in load):
            feasible.append(pairs)

    def matches(pairs, p):
        return current[p] + [case.scores.get(pair, 0) for pair in pairs if pair[0] == p]

    def strong(pairs, tau):
        return sum(1 for p in in_need if max(matches(pairs, p), default=-1) >= min(tau, best[p]))

    coverage = max(len(x) for x in feasible)
    top = [x for x in feasible if len(x) == coverage]
    served = max(strong(x, 0) for x in top)
    levels = sorted({0, *case.scores.values()})
    tau = max(t for t in levels if any(strong(x, t) >= served for x in top))
    tau = min(tau, max((best[p] for p in in_need), default=0))  # beyond every best_p: same
    total = max(
        sum(case.scores.get(pair, 0) for pair in x) for x in top if strong(x, tau) >= served
    )
    return coverage, served, tau, total


def check_feasible(case: Case, pairs) -> None:
    load = Counter(e for _p, e in pairs)
    per_project = Counter(p for p, _e in pairs)
    assert len(set(pairs)) == len(pairs)
    for p, e in pairs:
        assert (p, e) not in case.conflicts
        assert e not in case.assigned.get(p, [])
    for e, n in load.items():
        assert n <= case.capacity.get(e, 0)
    for p, n in per_project.items():
        assert n + len(case.assigned.get(p, [])) <= case.per_project


@pytest.mark.parametrize("seed", range(400))
def test_the_solver_is_optimal_on_small_random_cases(seed):
    # given a small random case
    case = random_case(seed)
    # when it is solved
    result = case.solve()
    # then its assignment is feasible and its lexicographic objective is the brute force's
    check_feasible(case, result.pairs)
    assert result.objective() == brute_force(case)
    assert result.coverage == len(result.pairs)
    assert result.total == sum(case.scores[pair] for pair in result.pairs)


def test_conflicts_and_loads_are_respected_at_a_larger_size():
    # given 40 projects, 25 experts, conflicts on a fifth of the pairs and tight loads
    rng = random.Random(7)
    projects = [f"p{i}" for i in range(40)]
    experts = [f"e{j}" for j in range(25)]
    case = Case(
        projects,
        experts,
        {(p, e): rng.randrange(0, 1001, 10) for p in projects for e in experts},
        {(p, e) for p in projects for e in experts if rng.random() < 0.2},
        {e: rng.randint(1, 5) for e in experts},
        3,
        {},
    )
    # when it is solved
    result = case.solve()
    # then no pair is conflicted, no expert over the load, no project over 3, and the
    # coverage is the capacity's (all of it usable here) or the demand
    check_feasible(case, result.pairs)
    assert result.coverage == min(sum(case.capacity.values()), 3 * 40)


def test_no_project_is_left_with_only_weak_matches():
    # given expert x is the best for both files, but A has a fallback y and B has none
    #   A: x 1000, y 100      B: x 300, y 0
    case = Case(
        ["A", "B"],
        ["x", "y"],
        {("A", "x"): 1000, ("A", "y"): 100, ("B", "x"): 300, ("B", "y"): 0},
        set(),
        {"x": 1, "y": 1},
        1,
        {},
    )
    # when it is solved
    result = case.solve()
    # then B gets x (300) and A gets y (100): the smallest best match is 100, where the
    # largest total (x→A, y→B: 1000) would leave B with a match of 0
    assert sorted(result.pairs) == [("A", "y"), ("B", "x")]
    assert (result.threshold, result.min_best, result.total) == (100, 100, 400)


def test_a_file_whose_candidates_are_all_weak_does_not_drag_the_others_down():
    # given C can only have z (match 50), while A and B each have a strong expert of their own
    case = Case(
        ["A", "B", "C"],
        ["x", "y", "z"],
        {("A", "x"): 900, ("B", "y"): 800, ("C", "z"): 50, ("A", "z"): 1000},
        {("C", "x"), ("C", "y")},
        {"x": 1, "y": 1, "z": 1},
        1,
        {},
    )
    # when it is solved
    result = case.solve()
    # then C gets its own best (z) and A, B strong ones: τ reaches 900 (A needs 900, B its
    # best 800, C its best 50); at 1,000 A and C would both need z
    assert sorted(result.pairs) == [("A", "x"), ("B", "y"), ("C", "z")]
    assert (result.coverage, result.served, result.threshold) == (3, 3, 900)


def test_current_experts_count_towards_the_demand_and_the_match():
    # given A already has x (a strong match) and wants two experts
    case = Case(
        ["A"],
        ["x", "y", "z"],
        {("A", "x"): 900, ("A", "y"): 200, ("A", "z"): 100},
        set(),
        {"x": 3, "y": 1, "z": 1},
        2,
        {"A": ["x"]},
    )
    # when it is solved
    result = case.solve()
    # then only one more is chosen, the better one, never x again
    assert result.pairs == [("A", "y")]
    assert (result.coverage, result.total) == (1, 200)


def test_files_lacking_experts_are_reported_with_the_reason():
    # given A is in conflict with all but one expert, and B and C compete for one free expert
    case = Case(
        ["A", "B", "C"],
        ["x", "y"],
        {("A", "x"): 500, ("B", "y"): 500, ("C", "y"): 400},
        {("A", "y"), ("B", "x"), ("C", "x")},
        {"x": 5, "y": 1},
        2,
        {},
    )
    # when it is solved
    result = case.solve()
    # then A lacks one (only one expert without conflict), and one of B, C lacks two and the
    # other one (their only expert is at its load limit)
    assert result.shortfall == {
        "A": Shortfall(missing=1, reason=Lack.NOT_ENOUGH_EXPERTS, candidates=1),
        "B": Shortfall(missing=1, reason=Lack.NOT_ENOUGH_EXPERTS, candidates=1),
        "C": Shortfall(missing=2, reason=Lack.NOT_ENOUGH_EXPERTS, candidates=1),
    }
    assert sorted(result.pairs) == [("A", "x"), ("B", "y")]


def test_experts_at_their_load_limit_are_reported_as_such():
    # given two experts free of conflict with A, both already full
    case = Case(["A"], ["x", "y"], {}, set(), {"x": 0, "y": 0}, 2, {})
    # when it is solved
    result = case.solve()
    # then nothing is assigned and A lacks two experts because of the loads
    assert result.pairs == []
    assert result.shortfall == {"A": Shortfall(missing=2, reason=Lack.AT_CAPACITY, candidates=2)}


def test_an_empty_problem_has_an_empty_answer():
    # given no project at all
    result = Case([], ["x"], {}, set(), {"x": 2}, 2, {}).solve()
    # then nothing is assigned
    assert (result.pairs, result.objective(), result.shortfall) == ([], (0, 0, 0, 0), {})


def test_a_score_out_of_range_is_refused():
    # given a match of 1,200 thousandths
    case = Case(["A"], ["x"], {("A", "x"): 1200}, set(), {"x": 1}, 1, {})
    # then the solver says which pair
    with pytest.raises(ValueError, match="not within 0–1000"):
        case.solve()
