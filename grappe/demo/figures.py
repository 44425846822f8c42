"""Five years of declared figures per organisation, calibrated so that the cluster's own
figures look like a real photonics cluster's: members' turnover growing about 10 % a year,
about 40 % of it exported and about 15 % spent on R&D (turnover-weighted).

Each organisation first gets a plausible series for its kind (start-ups small and fast-growing,
large groups big and steady, labs with a budget in place of a turnover and little export);
then the firms' series are scaled year by year until the members' totals hit the targets.
Research, public and other bodies are left as drawn.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from grappe.demo.memberships import window
from grappe.demo.organisations import OrgPlan
from grappe.demo.profiles import COMPANY
from grappe.members.models import Organisation
from grappe.members.services import figures_declare

# Year-on-year growth of members' total turnover, then export and R&D shares per year (%).
TARGET_GROWTH = [0.094, 0.108, 0.097, 0.103]
TARGET_EXPORT = [39.2, 39.8, 40.5, 41.1, 41.6]
TARGET_RND = [14.6, 14.9, 15.2, 15.4, 15.1]
CAPS = {"startup": (240, 35e6), "sme": (240, 38e6)}  # stay SMEs whatever the scaling


@dataclass(frozen=True)
class Profile:
    headcount: tuple[int, int]
    per_head: tuple[float, float]  # € of turnover (or budget) per person
    export: tuple[float, float]  # %
    rnd: tuple[float, float]  # share of turnover
    growth: tuple[float, float]  # a year


PROFILES: dict[str, Profile] = {
    "startup": Profile((2, 18), (40e3, 120e3), (5, 55), (0.25, 0.70), (0.15, 0.45)),
    "sme": Profile((6, 160), (80e3, 170e3), (15, 70), (0.05, 0.20), (0.03, 0.14)),
    "midsize": Profile((250, 900), (140e3, 230e3), (30, 70), (0.06, 0.14), (0.05, 0.12)),
    "large": Profile((500, 7000), (170e3, 280e3), (35, 65), (0.08, 0.16), (0.06, 0.12)),
    "lab": Profile((35, 260), (70e3, 110e3), (0, 20), (0.70, 0.95), (0.0, 0.04)),
    "university": Profile((120, 900), (70e3, 100e3), (0, 15), (0.25, 0.45), (0.0, 0.03)),
    "tech_centre": Profile((12, 110), (85e3, 130e3), (5, 20), (0.20, 0.40), (0.02, 0.08)),
    "public": Profile((15, 250), (80e3, 150e3), (0, 0), (0.0, 0.03), (0.0, 0.03)),
    "association": Profile((1, 15), (60e3, 100e3), (0, 10), (0.0, 0.05), (0.0, 0.06)),
    "other": Profile((2, 40), (90e3, 160e3), (0, 30), (0.0, 0.10), (0.02, 0.08)),
}


@dataclass
class Series:
    """One organisation's figures, year by year (floats until rounded for declaration)."""

    plan: OrgPlan
    headcount: dict[int, int]
    turnover: dict[int, float]
    export: dict[int, float]
    rnd: dict[int, float]  # share of turnover
    balance_ratio: float | None


def figure_years(plan: OrgPlan, year: int) -> list[int]:
    """Years an organisation declares: the five-year window, from its founding, while it is
    (or is becoming) a member; foreign partners declare nothing."""
    if plan.group == "partner":
        return []
    last = plan.last_year if plan.group == "former" and plan.last_year else year
    return [y for y in window(year) if plan.founded <= y <= last]


def _draw(rng: random.Random, plan: OrgPlan, years: list[int]) -> Series:
    profile = PROFILES[plan.kind]
    low, high = profile.headcount
    headcount = math.exp(rng.uniform(math.log(low), math.log(high)))
    turnover = headcount * rng.uniform(*profile.per_head)
    if plan.kind == "startup":
        age = years[0] - plan.founded
        headcount, turnover = max(2.0, headcount * (0.4 + 0.15 * age)), turnover * (0.3 + 0.2 * age)
    export, rnd = rng.uniform(*profile.export), rng.uniform(*profile.rnd)
    growth = rng.uniform(*profile.growth)
    series = Series(plan, {}, {}, {}, {}, rng.uniform(0.5, 1.2) if plan.kind in COMPANY else None)
    for index, year in enumerate(years):
        if index:
            change = growth + rng.gauss(0, 0.08 if plan.kind == "startup" else 0.03)
            turnover *= 1 + change
            headcount *= 1 + 0.6 * change + rng.gauss(0, 0.02)
            ceiling = 95.0 if plan.kind in COMPANY else profile.export[1]
            export = min(ceiling, max(0.0, export + rng.gauss(0, 1.5)))
            rnd = min(0.95, max(0.0, rnd + rng.gauss(0, 0.01)))
        cap_heads, cap_turnover = CAPS.get(plan.kind, (10**6, 1e12))
        series.headcount[year] = max(1, min(cap_heads, round(headcount)))
        series.turnover[year] = min(cap_turnover, max(20e3, turnover))
        series.export[year], series.rnd[year] = export, rnd
    return series


def _calibrate_shares(
    members: list[Series], year: int, attr: str, target: float, cap: float
) -> None:
    """Scale the firms' shares (export %, R&D ratio) so the turnover-weighted mean hits
    `target`; capped values are held and the rest absorb the difference."""
    for _ in range(8):
        total = sum(s.turnover[year] for s in members)
        mean = sum(s.turnover[year] * getattr(s, attr)[year] for s in members) / total
        fixed = sum(
            s.turnover[year] * getattr(s, attr)[year]
            for s in members
            if s.plan.kind not in COMPANY or getattr(s, attr)[year] >= cap
        )
        movable = total * mean - fixed
        if movable <= 0 or abs(mean - target) < 1e-9:
            return
        factor = (target * total - fixed) / movable
        for s in members:
            values = getattr(s, attr)
            if s.plan.kind in COMPANY and values[year] < cap:
                values[year] = min(cap, values[year] * factor)


def plan_figures(rng: random.Random, plans: list[OrgPlan], year: int) -> list[Series]:
    """Everyone's series, calibrated on the organisations that were members each year."""
    all_series = [_draw(rng, p, figure_years(p, year)) for p in plans if figure_years(p, year)]
    previous_total = 0.0
    for index, current in enumerate(window(year)):
        members = [s for s in all_series if s.plan.member_in(current) and current in s.turnover]
        firms = [s for s in members if s.plan.kind in COMPANY]
        if index:
            wanted = previous_total * (1 + TARGET_GROWTH[index - 1])
            others = sum(s.turnover[current] for s in members if s.plan.kind not in COMPANY)
            scale = (wanted - others) / sum(s.turnover[current] for s in firms)
            for s in all_series:
                if s.plan.kind in COMPANY and current in s.turnover:
                    s.turnover[current] *= scale
        previous_total = sum(s.turnover[current] for s in members)
        _calibrate_shares(members, current, "export", TARGET_EXPORT[index], 95.0)
        _calibrate_shares(members, current, "rnd", TARGET_RND[index] / 100, 0.8)
    return all_series


def _money(value: float) -> Decimal:
    """Declared amounts are rounded to the thousand euros, as in annual accounts summaries."""
    return Decimal(round(value / 1000) * 1000).quantize(Decimal("0.01"))


def figures_declare_all(
    *, actor: Any, series: list[Series], organisations: dict[str, Organisation]
) -> int:
    count = 0
    for s in series:
        organisation = organisations[s.plan.key]
        for year in sorted(s.turnover):
            turnover = _money(s.turnover[year])
            figures_declare(
                actor=actor, organisation=organisation, year=year,
                headcount=s.headcount[year], turnover=turnover,
                export_share=Decimal(f"{s.export[year]:.1f}"),
                rnd_spend=_money(s.turnover[year] * s.rnd[year]),
                balance_sheet=_money(s.turnover[year] * s.balance_ratio)
                if s.balance_ratio else None,
            )  # fmt: skip
            count += 1
    return count
