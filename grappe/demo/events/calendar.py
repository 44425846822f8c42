"""The calendar of the demo's events, drawn from the seeded generator and today's date
(no database): dates, texts in French and English, price lists, capacities, and how many
people will want to come."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from grappe.demo import events_words as w
from grappe.demo.memberships import YEARS
from grappe.demo.profiles import taxonomy
from grappe.events.models import (
    EventKind,
    EventVisibility,
    PricingBasis,
)

K = EventKind
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# How many events of each kind a year; the general assembly, fairs and mission are fixed.
PER_YEAR = {"conference": 8, "workshop": 12, "webinar": 8, "training": 6}
MONTHS = {  # months each kind takes place in (no event in August)
    "conference": [1, 2, 3, 4, 5, 6, 9, 10, 11, 12],
    "workshop": [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12],
    "webinar": [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12],
    "training": [1, 2, 3, 4, 5, 6, 9, 10, 11, 12],
}
# The audience grows year after year (about 17 %): older events had fewer registrants.
GROWTH = 0.85
HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
MISSION_MONTH = {"quebec": (5, 11), "japan": (4, 14), "boston": (3, 9)}  # month, from day


@dataclass(frozen=True)
class Spec:
    """How much of the calendar a demo size holds."""

    keep_every: int  # keep one conference, workshop, webinar, training in `keep_every`
    demand: float  # share of the usual number of registrations
    days_back: int | None  # None: the five years of memberships; else so many days (more than
    # a year: every kind of event has happened at least once)


SPECS = {
    "full": Spec(keep_every=1, demand=1.0, days_back=None),
    "small": Spec(keep_every=4, demand=0.3, days_back=400),
}


PriceLine = tuple[Decimal, dt.date | None, dt.date | None, tuple[str, str]]


@dataclass
class TicketPlan:
    category: str
    name: tuple[str, str]
    # (amount, valid from, valid until, label (French, English))
    prices: list[PriceLine]
    invitation_only: bool = False


@dataclass
class EventPlan:
    kind: str
    title: tuple[str, str]
    summary: tuple[str, str]
    description: tuple[str, str]
    starts: dt.datetime
    ends: dt.datetime
    time_zone: str = "Europe/Paris"
    venue: w.Venue | None = None
    city: str = ""
    country: str = "FR"
    online: bool = False
    visibility: str = EventVisibility.PUBLIC
    capacity: int | None = None
    demand: int = 0  # registrations attempted over the whole window
    full: bool = False  # more people want to come than there are seats
    codes: list[str] = field(default_factory=list)
    topic: str = ""  # a leaf competence code: the subject of a webinar or a keynote
    published: dt.datetime | None = None
    opens: dt.datetime | None = None
    closes: dt.datetime | None = None
    cancel_by: dt.datetime | None = None
    basis: str = PricingBasis.COST
    tickets: list[TicketPlan] = field(default_factory=list)
    attendance: float = 0.85
    role: str = ""  # soon, conference, full, cancelled (see `_feature`)
    theme: w.Theme | None = None
    fair: w.Fair | None = None
    mission: w.MissionPlace | None = None


# --- The calendar (no database) ----------------------------------------------------------


def at(day: dt.date, clock: str, zone: zoneinfo.ZoneInfo = PARIS) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def working_day(day: dt.date, weekdays: tuple[int, ...] = (1, 2, 3)) -> dt.date:
    """The first of `weekdays` (Tuesday to Thursday by default) from `day`, not a holiday."""
    while day.weekday() not in weekdays or (day.month, day.day) in HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def season_end(today: dt.date) -> dt.date:
    """The end of the coming season: the first 30 June at least six months away."""
    end = dt.date(today.year, 6, 30)
    return end if (end - today).days >= 180 else dt.date(today.year + 1, 6, 30)


def leaves(prefixes: tuple[str, ...]) -> list[str]:
    """The taxonomy's leaf codes under the given branches, in the file's order."""
    tax = taxonomy()
    return [code for code in tax if any(code.startswith(p + ".") for p in prefixes)]


def theme_codes(rng: random.Random, theme: w.Theme, topic: str = "") -> list[str]:
    picked = [topic] if topic else rng.sample(leaves(theme.technologies), 2)
    return [*theme.markets, *theme.technologies, *picked]


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _prices_conference(rng: random.Random, starts: dt.datetime) -> list[TicketPlan]:
    member = Decimal(rng.choice([90, 120, 150]))
    other = member * 2
    early_end = starts.date() - dt.timedelta(days=21)
    early, standard = w.EARLY_BIRD, w.STANDARD_RATE

    def staged(amount: Decimal, cut: int) -> list[Any]:
        return [
            (amount - cut, None, early_end, early),
            (amount, early_end + dt.timedelta(days=1), None, standard),
        ]

    return [
        TicketPlan("member", w.TICKET_NAMES["member"], staged(member, 30)),
        TicketPlan("non_member", w.TICKET_NAMES["non_member"], staged(other, 50)),
        TicketPlan("academic", w.TICKET_NAMES["academic"], [(Decimal(60), None, None, ("", ""))]),
        TicketPlan("student", w.TICKET_NAMES["student"], [(Decimal(20), None, None, ("", ""))]),
        TicketPlan("guest", w.TICKET_NAMES["guest"], [(Decimal(0), None, None, ("", ""))], True),
    ]


def _prices_simple(member: int, other: int, academic: int | None) -> list[TicketPlan]:
    standard = ("", "")  # one price a ticket: the price list needs no label
    tickets = [
        TicketPlan("member", w.TICKET_NAMES["member"], [(Decimal(member), None, None, standard)]),
        TicketPlan(
            "non_member", w.TICKET_NAMES["non_member"], [(Decimal(other), None, None, standard)]
        ),
    ]
    if academic is not None:
        prices: list[PriceLine] = [(Decimal(academic), None, None, standard)]
        tickets.append(TicketPlan("academic", w.TICKET_NAMES["academic"], prices))
    return tickets


def _free(category: str, name: str) -> list[TicketPlan]:
    return [TicketPlan(category, w.TICKET_NAMES[name], [(Decimal(0), None, None, ("", ""))])]


def _themed(kind: str, theme: w.Theme, summary: tuple[str, str]) -> dict[str, Any]:
    fr, en = w.FORMATS[kind]
    texts = w.DESCRIPTIONS[kind]
    return {
        "title": (f"{fr} : {theme.title_fr}", f"{en}: {theme.title_en}"),
        "summary": summary,
        "description": (
            texts[0].format(theme=lower_first(theme.title_fr)),
            texts[1].format(theme=lower_first(theme.title_en)),
        ),
    }


def _conference(rng: random.Random, day: dt.date, theme: w.Theme) -> EventPlan:
    starts = at(day, "08:45")
    plan = EventPlan(
        kind=K.CONFERENCE, starts=starts, ends=at(day, "17:00"), theme=theme,
        venue=rng.choice([w.VENUES[i] for i in (0, 1, 3, 5, 6)]),
        capacity=rng.choice([60, 80]), demand=rng.randint(9, 14),
        codes=theme_codes(rng, theme), tickets=_prices_conference(rng, starts),
        cancel_by=at(day - dt.timedelta(days=7), "23:59"),
        closes=at(day - dt.timedelta(days=2), "12:00"),
        **_themed(K.CONFERENCE, theme, (theme.summary_fr, theme.summary_en)),
    )  # fmt: skip
    plan.topic = plan.codes[-1]
    return plan


def _workshop(rng: random.Random, day: dt.date, theme: w.Theme) -> EventPlan:
    morning = rng.random() < 0.4
    starts, ends = ("09:30", "12:30") if morning else ("14:00", "17:30")
    plan = EventPlan(
        kind=K.WORKSHOP, starts=at(day, starts), ends=at(day, ends), theme=theme,
        venue=rng.choice([w.VENUES[i] for i in (0, 2, 3, 4, 6)]), capacity=rng.choice([12, 15, 20]),
        codes=theme_codes(rng, theme), closes=at(day - dt.timedelta(days=1), "12:00"),
        **_themed(K.WORKSHOP, theme, (theme.summary_fr, theme.summary_en)),
    )  # fmt: skip
    assert plan.capacity is not None
    plan.full = rng.random() < 0.3
    plan.demand = plan.capacity + rng.randint(2, 4) if plan.full else round(plan.capacity * 0.75)
    if rng.random() < 0.3:
        plan.visibility, plan.basis = EventVisibility.MEMBERS, PricingBasis.FREE
        plan.tickets = _free("member", "member")
        plan.description = (
            f"{plan.description[0]}\n\n{w.MEMBERS_ONLY[0]}",
            f"{plan.description[1]}\n\n{w.MEMBERS_ONLY[1]}",
        )
    else:
        plan.tickets = _prices_simple(rng.choice([0, 40]), rng.choice([90, 120]), 30)
    return plan


def _webinar(rng: random.Random, day: dt.date, theme: w.Theme, taken: set[str]) -> EventPlan:
    tax = taxonomy()
    topics = [code for code in leaves(theme.technologies) if code not in taken]
    topic = rng.choice(topics or leaves(theme.technologies))
    taken.add(topic)
    name_fr, name_en = tax[topic]["name_fr"], tax[topic]["name_en"]
    summary = (
        w.WEBINAR_SUMMARY[0].format(topic=name_fr),
        w.WEBINAR_SUMMARY[1].format(topic=name_en),
    )
    fr, en = w.FORMATS["webinar"]
    texts = w.DESCRIPTIONS["webinar"]
    return EventPlan(
        kind=K.WEBINAR, starts=at(day, "11:00"), ends=at(day, "12:00"), online=True,
        title=(f"{fr} : {name_fr}", f"{en}: {name_en}"), summary=summary,
        description=texts,
        capacity=100, demand=rng.randint(8, 13), codes=theme_codes(rng, theme, topic),
        topic=topic, basis=PricingBasis.FREE, tickets=_free("non_member", "free"),
        theme=theme,
    )  # fmt: skip


def _training(rng: random.Random, day: dt.date, index: int) -> EventPlan:
    title, summary = w.TRAININGS[index], w.TRAINING_SUMMARIES[index]
    texts = w.DESCRIPTIONS["training"]
    capacity = rng.choice([8, 10, 12])
    demand = capacity + rng.randint(-3, 2)
    return EventPlan(
        kind=K.TRAINING, starts=at(day, "09:00"), ends=at(day, "17:30"), title=title,
        summary=summary,
        description=texts,
        venue=rng.choice([w.VENUES[0], w.VENUES[4]]), capacity=capacity,
        demand=demand, full=demand > capacity, codes=["chain.services"],
        closes=at(day - dt.timedelta(days=3), "18:00"),
        cancel_by=at(day - dt.timedelta(days=7), "23:59"),
        tickets=_prices_simple(rng.choice([350, 390]), rng.choice([550, 590]), 290),
    )  # fmt: skip


def _assembly(rng: random.Random, year: int) -> EventPlan:
    day = working_day(dt.date(year, 6, 12), (3,))
    title_fr, title_en, summary_fr, summary_en, text_fr, text_en = w.ASSEMBLY
    return EventPlan(
        kind=K.GENERAL_ASSEMBLY, starts=at(day, "14:00"), ends=at(day, "18:00"),
        title=(title_fr, title_en), summary=(summary_fr, summary_en),
        description=(text_fr, text_en), venue=w.VENUES[1], visibility=EventVisibility.MEMBERS,
        demand=rng.randint(16, 22), basis=PricingBasis.FREE, tickets=_free("member", "member"),
        closes=at(day - dt.timedelta(days=3), "18:00"),
    )  # fmt: skip


def _fair(rng: random.Random, fair: w.Fair, year: int) -> EventPlan:
    first = working_day(dt.date(year, fair.month, 20 if fair.month == 6 else 6), (1,))
    zone = zoneinfo.ZoneInfo("Europe/Berlin" if fair.country == "DE" else "Europe/Paris")
    last = first + dt.timedelta(days=fair.days - 1)
    summary = w.FAIR_SUMMARY
    return EventPlan(
        kind=K.TRADE_FAIR, starts=at(first, "09:00", zone), ends=at(last, "18:00", zone),
        time_zone=str(zone), title=(fair.title_fr, fair.title_en), summary=summary,
        venue=w.Venue(w.FAIR_VENUE, "", "", fair.city, fair.country),
        description=w.FAIR_TEXT, city=fair.city, country=fair.country, fair=fair,
        codes=["market.industry", "market.defence" if fair.country == "FR" else "market.science"],
    )  # fmt: skip


def _mission(rng: random.Random, place: w.MissionPlace, year: int) -> EventPlan:
    month, day = MISSION_MONTH[place.key]
    first = working_day(dt.date(year, month, day), (0,))
    zone = zoneinfo.ZoneInfo(place.time_zone)
    summary = w.MISSION_SUMMARIES[place.key]
    return EventPlan(
        kind=K.TRADE_MISSION, starts=at(first, "16:00", zone),
        ends=at(first + dt.timedelta(days=4), "12:00", zone), time_zone=place.time_zone,
        title=(place.title_fr, place.title_en), summary=summary, description=w.MISSION_TEXT,
        city=place.city, country=place.country, mission=place,
        codes=["market.space", "market.industry", "market.health"][: rng.randint(2, 3)],
    )  # fmt: skip


def _days(rng: random.Random, year: int, kind: str, count: int) -> list[dt.date]:
    months = MONTHS[kind]
    chosen = sorted(rng.sample(months, min(count, len(months))))
    chosen += sorted(rng.choices(months, k=count - len(chosen)))
    weekdays = (0, 1, 2, 3, 4) if kind == "webinar" else (1, 2, 3)
    # Nothing after mid-July or mid-December.
    days = [dt.date(year, m, rng.randint(1, 15 if m in {7, 12} else 26)) for m in chosen]
    return [working_day(day, weekdays) for day in days]


def _plan_year(rng: random.Random, year: int) -> list[EventPlan]:
    plans: list[EventPlan] = []
    for kind, count in PER_YEAR.items():
        themes = rng.sample(w.THEMES, len(w.THEMES))
        taken: set[str] = set()
        for index, day in enumerate(_days(rng, year, kind, count)):
            theme = themes[index % len(themes)]
            if kind == "conference":
                plans.append(_conference(rng, day, theme))
            elif kind == "workshop":
                plans.append(_workshop(rng, day, theme))
            elif kind == "webinar":
                plans.append(_webinar(rng, day, theme, taken))
            else:
                plans.append(_training(rng, day, index % len(w.TRAININGS)))
    plans.append(_assembly(rng, year))
    plans += [_fair(rng, fair, year) for fair in w.FAIRS]
    plans.append(_mission(rng, w.MISSIONS[year % len(w.MISSIONS)], year))
    return plans


def _windows(rng: random.Random, plan: EventPlan, cutoff: dt.datetime) -> None:
    """When the event was published and when registration opens: weeks before a conference,
    months before a fair or a mission, and never after the last moment of the demo."""
    lead: dict[str, tuple[int, int]] = {
        K.TRADE_FAIR: (200, 240), K.TRADE_MISSION: (130, 160), K.GENERAL_ASSEMBLY: (45, 50),
    }  # fmt: skip
    low, high = lead.get(plan.kind, (40, 75))
    published = plan.starts - dt.timedelta(days=rng.randint(low, high))
    published = published.replace(hour=rng.randint(9, 17), minute=rng.choice([0, 15, 30, 45]))
    limit = cutoff - dt.timedelta(days=rng.randint(3, 20))
    plan.published = min(published, limit)
    opens = plan.starts - dt.timedelta(days=70)
    if opens > plan.published and plan.kind not in {K.TRADE_FAIR, K.TRADE_MISSION}:
        plan.opens = opens.replace(hour=9, minute=0)


def _feature(plans: list[EventPlan], today: dt.date, cutoff: dt.datetime) -> None:
    """Give the demo logins something to see: a workshop tomorrow to check people in at, a
    full workshop in two weeks, a conference in three weeks; and one cancelled last year."""
    upcoming = sorted((p for p in plans if p.starts > cutoff), key=lambda p: p.starts)
    moves: list[tuple[EventPlan, str, dt.date]] = []
    for role, kind, day in (
        ("soon", K.WORKSHOP, working_day(today + dt.timedelta(days=1), (0, 1, 2, 3, 4))),
        ("full", K.WORKSHOP, working_day(today + dt.timedelta(days=12))),
        ("conference", K.CONFERENCE, working_day(today + dt.timedelta(days=21))),
    ):
        plan = next(
            p for p in upcoming if p.kind == kind and p.visibility == "public" and not p.role
        )
        if any(
            o is not plan and o.title == plan.title and o.starts.year == day.year for o in plans
        ):
            # Its theme already had one that year: this one is a second session.
            plan.title = (plan.title[0] + w.SECOND_SESSION[0], plan.title[1] + w.SECOND_SESSION[1])
        plan.role = role
        moves.append((plan, role, day))
    for plan, role, day in moves:
        shift = plan.starts.date() - day
        for name in ("starts", "ends", "closes", "cancel_by"):
            value = getattr(plan, name)
            if value is not None:
                setattr(plan, name, value - shift)
        for ticket in plan.tickets:
            ticket.prices = [
                (amount, start and start - shift, until and until - shift, label)
                for amount, start, until, label in ticket.prices
            ]
        if role == "soon":
            plan.starts, plan.ends = at(day, "14:00"), at(day, "17:30")
        plan.capacity = 15 if role == "full" else plan.capacity
        plan.demand = 18 if role == "full" else plan.demand
    past = [
        p for p in plans
        if p.kind == K.WORKSHOP and p.visibility == "public"
        and today - dt.timedelta(days=330) <= p.starts.date() <= today - dt.timedelta(days=20)
    ]  # fmt: skip
    past[len(past) // 2].role = "cancelled"
    next(p for p in upcoming if p.kind == K.TRADE_FAIR).role = "next_fair"


def plan_events(rng: random.Random, size: str, today: dt.date) -> list[EventPlan]:
    """Every event of the demo, in the order of their start, with their dates, texts and
    price lists; the registrations are drawn when they are written."""
    spec = SPECS[size]
    cutoff = at(today, "00:00")
    first = dt.date(today.year - YEARS + 1, 1, 1)
    if spec.days_back is not None:
        first = today - dt.timedelta(days=spec.days_back)
    last = season_end(today)
    plans = [p for year in range(first.year, last.year + 1) for p in _plan_year(rng, year)]
    plans = [p for p in plans if first <= p.starts.date() <= last]
    plans.sort(key=lambda p: p.starts)
    _feature(plans, today, cutoff)
    seen: dict[str, int] = {}
    kept = []
    for plan in plans:
        if plan.kind in {K.CONFERENCE, K.WORKSHOP, K.WEBINAR, K.TRAINING} and not plan.role:
            seen[plan.kind] = seen.get(plan.kind, 0) + 1
            if seen[plan.kind] % spec.keep_every:
                continue
        if plan.role not in {"full", "soon"}:  # these two stay as they are: full, and busy
            growth = 1.0 if plan.full else GROWTH ** max(0, today.year - plan.starts.year)
            plan.demand = max(4, round(plan.demand * spec.demand * growth))
        if not plan.role and plan.kind in {K.WORKSHOP, K.TRAINING} and plan.capacity:
            plan.capacity = max(6, round(plan.capacity * spec.demand))
        plan.attendance = rng.uniform(0.75, 0.9)
        _windows(rng, plan, cutoff)
        kept.append(plan)
    return kept
