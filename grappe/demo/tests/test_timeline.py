"""The membership timeline of the demo holds whatever the day it is loaded on: a payment or an
end never comes before the membership it is for (the loader replays the timeline through the
services in date order, then by rank)."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from grappe.demo.load import rng_for
from grappe.demo.memberships import Timeline, plan_memberships
from grappe.demo.organisations import SIZES, plan_organisations

CREATES = ("join", "first_recorded", "renew")
NEEDS = ("pay", "end")


def _kind(action) -> str:
    return action.__qualname__.split(".")[1]


def _key(action) -> tuple[str, int]:
    cells = inspect.getclosurevars(action).nonlocals
    key = cells["key"] if "key" in cells else cells["plan"].key
    return key, cells["year"]


DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(0, 365, 7)] + [
    dt.date(2026, 1, 2), dt.date(2026, 1, 3), dt.date(2026, 12, 31), dt.date(2027, 1, 1)
]  # fmt: skip


@pytest.mark.parametrize("size", ["small", "full"])
def test_no_payment_nor_end_comes_before_its_membership_whatever_the_day(size):
    # given the demo's organisations and membership plans, loaded on each day of a year
    wrong: list[str] = []
    for today in DAYS:
        plans = plan_organisations(rng_for("organisations", size), SIZES[size], today.year)
        plan_memberships(rng_for("memberships", size), plans, SIZES[size], today.year)
        timeline = Timeline(
            rng=rng_for("timeline", size), staff=None, organisations={}, applicants={}, today=today
        )
        for plan in plans:
            timeline.organisation(plan, today.year)
        # when its dated actions are replayed in order
        made: set[tuple[str, int]] = set()
        for event in sorted(timeline.events):
            kind = _kind(event.action)
            if kind in CREATES:
                made.add(_key(event.action))
            elif kind in NEEDS and _key(event.action) not in made:
                # then each payment or end finds its membership already made
                wrong.append(f"{today}: {kind} {_key(event.action)} on {event.on}")
            # and nothing is dated after the day of the load
            if event.on > today:
                wrong.append(f"{today}: {kind} on {event.on}, after the day of the load")
    assert wrong == []
