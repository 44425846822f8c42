"""Benchmark of the expert assignment solver (never part of the test suite; no database).

    python bench/expert_assignment.py [--projects 500] [--experts 300] [--per-project 3]
                                      [--seed 42] [--conflicts 0.05] [--capacity 1.3]
                                      [--no-optimum]

Generates P projects and E experts tagged with a synthetic taxonomy (technology branches with
leaves, application markets), load limits giving `--capacity` times (1.3 by default) the
capacity the projects need, and conflicts on a share of the pairs. Scores are `match_score` — the function the
assignment service uses. It then:

* solves with `grappe.projects.assignment.assign_experts` (OR-Tools min-cost flows, bisection
  on the threshold) and measures `seconds`;
* computes the same lexicographic optimum (coverage, served, threshold τ, total match) with an
  independent exact formulation: a HiGHS MILP per stage, with binary pair variables and one
  binary "strongly served" variable per project, and its own bisection on τ (`optimum_*`);
* runs a greedy baseline (pairs by decreasing match, taken while the project and the expert
  have room: `greedy_*`).

The last line printed is one JSON object: seconds (wall clock; cpu_seconds is the process's
CPU time, steadier on a shared machine), score (the solver's total match),
optimum (the MILP's), greedy, and the coverage, threshold and smallest best match of each.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grappe.projects.assignment import assign_experts, match_score  # noqa: E402

BRANCHES = [
    "lasers", "components", "systems", "imaging", "sensors", "fibre", "pic", "displays",
    "infrared", "quantum", "biophotonics", "metrology",
]  # fmt: skip
LEAVES = 6
MARKETS = [
    "space", "aeronautics", "defence", "health", "agrifood", "green", "digital", "industry",
    "smart_city", "science",
]  # fmt: skip


def tech(rng: random.Random, branches: list[str], count: int) -> list[tuple[str, str]]:
    codes: set[str] = set()
    count = min(count, (LEAVES + 1) * len(branches))
    while len(codes) < count:
        branch = rng.choice(branches)
        leaf = rng.randrange(LEAVES + 1)
        codes.add(f"tech.{branch}" if leaf == LEAVES else f"tech.{branch}.l{leaf}")
    return [(code, "technology") for code in sorted(codes)]


def markets(rng: random.Random, count: int) -> list[tuple[str, str]]:
    return [(f"market.{m}", "market") for m in sorted(rng.sample(MARKETS, count))]


def generate(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    projects = list(range(args.projects))
    experts = list(range(args.experts))
    project_tags = {
        p: tech(rng, rng.sample(BRANCHES, rng.randint(1, 2)), rng.randint(2, 4))
        + markets(rng, rng.randint(1, 2))
        for p in projects
    }
    expert_tags = {
        e: tech(rng, rng.sample(BRANCHES, rng.randint(1, 3)), rng.randint(3, 8))
        + markets(rng, rng.randint(1, 3))
        for e in experts
    }
    scores = {
        (p, e): match_score(project_tags[p], expert_tags[e]) for p in projects for e in experts
    }
    conflicts = {(p, e) for p in projects for e in experts if rng.random() < args.conflicts}
    demand = args.projects * args.per_project
    # Load limits from 2 to 10, scaled so that the pool has `--capacity` × the demand.
    raw = [rng.randint(2, 10) for _ in experts]
    factor = args.capacity * demand / sum(raw)
    capacity = {e: max(1, round(raw[e] * factor)) for e in experts}
    return {
        "projects": projects,
        "experts": experts,
        "scores": scores,
        "conflicts": conflicts,
        "capacity": capacity,
        "per_project": args.per_project,
    }


def greedy(problem: dict[str, Any]) -> dict[str, int]:
    need = dict.fromkeys(problem["projects"], problem["per_project"])
    room = dict(problem["capacity"])
    best: dict[int, int] = {}
    total = coverage = 0
    for (p, e), score in sorted(problem["scores"].items(), key=lambda item: -item[1]):
        if need[p] and room[e] and (p, e) not in problem["conflicts"]:
            need[p] -= 1
            room[e] -= 1
            total += score
            coverage += 1
            best[p] = max(best.get(p, 0), score)
    return {"total": total, "coverage": coverage, "min_best": min(best.values(), default=0)}


class Milp:
    """The lexicographic optimum by HiGHS MILPs: an independent check of the flow solver."""

    def __init__(self, problem: dict[str, Any]) -> None:
        import highspy

        self.highspy = highspy
        self.projects, self.experts = problem["projects"], problem["experts"]
        self.cap = np.array([problem["capacity"][e] for e in self.experts], dtype=float)
        pairs = [
            (i, j)
            for i, p in enumerate(self.projects)
            for j, e in enumerate(self.experts)
            if (p, e) not in problem["conflicts"] and problem["capacity"][e] > 0
        ]
        self.pair_p = np.array([i for i, _j in pairs])
        self.pair_e = np.array([j for _i, j in pairs])
        self.score = np.array(
            [problem["scores"][(self.projects[i], self.experts[j])] for i, j in pairs],
            dtype=float,
        )
        self.need = problem["per_project"]
        self.best = np.zeros(len(self.projects))
        np.maximum.at(self.best, self.pair_p, self.score)
        self.in_need = np.isin(np.arange(len(self.projects)), self.pair_p)
        self.solves = 0

    def solve(
        self,
        objective: str,
        *,
        coverage: int | None = None,
        served: int | None = None,
        tau: float | None = None,
    ) -> float:
        """Maximise `objective` ('coverage', 'served' or 'total') under the given floors."""
        n_x, n_p = len(self.score), len(self.projects)
        projects_y = np.flatnonzero(self.in_need)
        n_y = len(projects_y) if served is not None or objective == "served" else 0
        rows: list[tuple[np.ndarray, np.ndarray, float, float]] = []
        for j in range(len(self.experts)):  # load limits
            cols = np.flatnonzero(self.pair_e == j)
            rows.append((cols, np.ones(len(cols)), -np.inf, self.cap[j]))
        for i in range(n_p):  # experts per project
            cols = np.flatnonzero(self.pair_p == i)
            rows.append((cols, np.ones(len(cols)), -np.inf, float(self.need)))
        if coverage is not None:
            rows.append((np.arange(n_x), np.ones(n_x), float(coverage), np.inf))
        if n_y:
            level = np.minimum(tau if tau is not None else 0.0, self.best)
            for k, i in enumerate(projects_y):  # y_i ≤ Σ strong x
                cols = np.flatnonzero((self.pair_p == i) & (self.score >= level[i]))
                rows.append(
                    (
                        np.concatenate([cols, [n_x + k]]),
                        np.concatenate([-np.ones(len(cols)), [1.0]]),
                        -np.inf,
                        0.0,
                    )
                )
            if served is not None:
                rows.append((n_x + np.arange(n_y), np.ones(n_y), float(served), np.inf))
        costs = {
            "coverage": np.concatenate([np.ones(n_x), np.zeros(n_y)]),
            "served": np.concatenate([np.zeros(n_x), np.ones(n_y)]),
            "total": np.concatenate([self.score, np.zeros(n_y)]),
            "none": np.zeros(n_x + n_y),
        }[objective]
        value = self._run(costs, rows, n_x + n_y)
        self.solves += 1
        return value

    def _run(self, costs: np.ndarray, rows: list, n_cols: int) -> float:
        hs = self.highspy
        lp = hs.HighsLp()
        lp.num_col_, lp.num_row_ = n_cols, len(rows)
        lp.col_cost_ = costs
        lp.col_lower_ = np.zeros(n_cols)
        lp.col_upper_ = np.ones(n_cols)
        lp.row_lower_ = np.array([r[2] for r in rows])
        lp.row_upper_ = np.array([r[3] for r in rows])
        lp.sense_ = hs.ObjSense.kMaximize
        lp.a_matrix_.format_ = hs.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n_cols, len(rows)
        lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum([len(r[0]) for r in rows])])
        lp.a_matrix_.index_ = np.concatenate([r[0] for r in rows]).astype(np.int32)
        lp.a_matrix_.value_ = np.concatenate([r[1] for r in rows])
        lp.integrality_ = [hs.HighsVarType.kInteger] * n_cols
        solver = hs.Highs()
        solver.setOptionValue("output_flag", False)
        solver.setOptionValue("mip_rel_gap", 0.0)
        solver.setOptionValue("threads", 2)
        solver.passModel(lp)
        solver.run()
        status = solver.getModelStatus()
        if status == hs.HighsModelStatus.kInfeasible:
            return -1.0
        if status != hs.HighsModelStatus.kOptimal:
            raise RuntimeError(f"HiGHS: {solver.modelStatusToString(status)}")
        return round(solver.getInfo().objective_function_value)

    def optimum(self) -> dict[str, Any]:
        coverage = int(self.solve("coverage"))
        served = int(self.solve("served", coverage=coverage))
        levels = sorted({0, *self.score.astype(int).tolist()})
        low, high = 0, len(levels) - 1
        while low < high:
            middle = (low + high + 1) // 2
            feasible = self.solve("none", coverage=coverage, served=served, tau=levels[middle])
            low, high = (middle, high) if feasible >= 0 else (low, middle - 1)
        tau = levels[low]
        total = int(self.solve("total", coverage=coverage, served=served, tau=tau))
        return {
            "coverage": coverage,
            "served": served,
            "threshold": tau,
            "total": total,
            "solves": self.solves,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--per-project", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--conflicts", type=float, default=0.05, help="share of pairs")
    parser.add_argument(
        "--capacity", type=float, default=1.3, help="the pool's load limits over the demand"
    )
    parser.add_argument("--no-optimum", action="store_true", help="skip the MILP check")
    args = parser.parse_args()

    start = time.perf_counter()
    problem = generate(args)
    generated = time.perf_counter() - start
    print(
        f"{args.projects} projects, {args.experts} experts, {len(problem['conflicts'])} "
        f"conflicted pairs, capacity {sum(problem['capacity'].values())} for a demand of "
        f"{args.projects * args.per_project}; generated in {generated:.1f} s",
        file=sys.stderr,
    )
    start, cpu = time.perf_counter(), time.process_time()
    result = assign_experts(**problem)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    load = Counter(e for _p, e in result.pairs)
    assert all(load[e] <= problem["capacity"][e] for e in load)
    assert not set(result.pairs) & problem["conflicts"]
    print(
        f"solver: {seconds:.2f} s, {result.solves} flows; coverage {result.coverage}, "
        f"threshold {result.threshold}, total {result.total}",
        file=sys.stderr,
    )
    base = greedy(problem)
    figures: dict[str, Any] = {
        "projects": args.projects,
        "experts": args.experts,
        "per_project": args.per_project,
        "seed": args.seed,
        "conflicted_pairs": len(problem["conflicts"]),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "score": result.total,
        "coverage": result.coverage,
        "served": result.served,
        "threshold": result.threshold,
        "min_best": result.min_best,
        "short_files": len(result.shortfall),
        "greedy": base["total"],
        "greedy_coverage": base["coverage"],
        "greedy_min_best": base["min_best"],
    }
    if not args.no_optimum:
        start = time.perf_counter()
        optimum = Milp(problem).optimum()
        figures.update(
            optimum=optimum["total"],
            optimum_coverage=optimum["coverage"],
            optimum_served=optimum["served"],
            optimum_threshold=optimum["threshold"],
            optimum_seconds=round(time.perf_counter() - start, 1),
            optimal=result.objective()
            == (optimum["coverage"], optimum["served"], optimum["threshold"], optimum["total"]),
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
