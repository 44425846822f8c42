"""The demo's organisations: who they are, where, what they do, and how they are created.

`plan_organisations` draws everything from a seeded `random.Random` (no database, no clock but
the current year), so that the same plan comes out every time; `organisations_create` then
writes it through `organisation_create`, as staff would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from grappe.demo import vocabulary as words
from grappe.demo.identifiers import foreign_vat, siren_draw, siret_for, vat_for_siren
from grappe.demo.profiles import (
    COMPANY,
    ascii_slug,
    body_name,
    city_draw,
    company_name,
    competences_draw,
    describe,
    jitter,
    legal_identity,
    name_regions,
    phone_number,
    street_draw,
    taxonomy,
)
from grappe.members.models import Competence, LegalForm, Organisation
from grappe.members.services import organisation_create


@dataclass(frozen=True)
class Size:
    """How many organisations of each kind and group the demo holds."""

    members: dict[str, int]
    former: dict[str, int]
    prospects: dict[str, int]
    pending: dict[str, int]  # among prospects: applications this year, by outcome so far
    partners: int
    subsidiaries: int
    join_requests: int  # people who signed up and asked to join a member organisation
    join_share: float = 0.21  # share of today's members who joined within the five years

    @property
    def member_count(self) -> int:
        return sum(self.members.values())


SIZES: dict[str, Size] = {
    "full": Size(
        members={"startup": 34, "sme": 75, "midsize": 15, "large": 13, "lab": 15,
                 "university": 8, "tech_centre": 9, "public": 6, "association": 10, "other": 5},
        former={"startup": 6, "sme": 9, "midsize": 1, "lab": 1, "association": 2, "other": 2,
                "public": 1},
        prospects={"sme": 6, "startup": 4, "midsize": 1, "tech_centre": 1},
        pending={"applied": 5, "approved": 2, "refused": 1},
        partners=6,
        subsidiaries=4,
        join_requests=6,
    ),
    "small": Size(
        members={"startup": 5, "sme": 12, "midsize": 2, "large": 2, "lab": 3, "university": 1,
                 "tech_centre": 1, "public": 1, "association": 2, "other": 1},
        former={"startup": 1, "sme": 2, "association": 1},
        prospects={"sme": 2, "startup": 1},
        pending={"applied": 1, "approved": 1},
        partners=2,
        subsidiaries=1,
        join_requests=2,
    ),
}  # fmt: skip


@dataclass
class OrgPlan:
    key: str
    kind: str
    group: str  # member (today), former, prospect, partner
    name: str
    city: words.City
    founded: int
    legal_name: str = ""
    legal_form: str = ""
    acronym: str = ""
    street: str = ""
    latitude: Decimal = Decimal(0)
    longitude: Decimal = Decimal(0)
    siren: str = ""
    siret: str = ""
    vat: str = ""
    nace: str = ""
    domain: str = ""
    phone: str = ""
    parent: str | None = None
    technologies: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)
    value_chain: list[str] = field(default_factory=list)
    trl: tuple[int, int] = (1, 9)
    description_fr: str = ""
    description_en: str = ""
    featured: bool = False
    # The membership timeline, set by `memberships.plan_memberships`.
    member_since: int | None = None
    first_year: int | None = None
    last_year: int | None = None
    ending: str = ""  # resigned, lapsed
    pending: str = ""  # applied, approved, refused (prospects, this year)

    @property
    def country(self) -> str:
        return self.city.country

    def member_in(self, year: int) -> bool:
        """Whether the organisation held an effective membership in `year`."""
        return self.first_year is not None and self.first_year <= year <= (self.last_year or 0)


# --- the plan -------------------------------------------------------------------------------

FOUNDED: dict[str, tuple[int, int]] = {
    "sme": (1978, -6), "midsize": (1955, 2005), "large": (1900, 1995), "lab": (1966, 2016),
    "university": (1900, 1995), "tech_centre": (1985, 2018), "public": (1960, 2015),
    "association": (1985, -3), "other": (1990, -4), "startup": (-9, -1),
}  # fmt: skip
REGION_WORDS = {"FRL0": "Provence", "FRJ1": "Méditerranée", "FRJ2": "Occitanie"}


def _founded(rng: random.Random, kind: str, year: int) -> int:
    low, high = FOUNDED[kind]
    return rng.randint(low if low > 0 else year + low, high if high > 0 else year + high)


def _featured() -> OrgPlan:
    spec = words.FEATURED
    city = next(c for c in words.CITIES if c.key == spec.city)
    plan = OrgPlan(
        key=ascii_slug(spec.name), kind=spec.kind, group="member", name=spec.name,
        city=city, founded=spec.founded, featured=True,
        technologies=list(spec.technologies), markets=list(spec.markets),
        value_chain=list(spec.value_chain), trl=spec.trl,
    )  # fmt: skip
    return plan


def _draw(
    rng: random.Random, group: str, kind: str, year: int, taken: set[str], used: dict[str, Any]
) -> OrgPlan:
    acronym, nace = "", ""
    if kind in COMPANY:
        city = city_draw(rng, kind, group)
        name = company_name(rng, kind, city, taken)
    else:
        template, acronym, nace = body_name(rng, kind, used)
        city = city_draw(rng, kind, group, name_regions(template))
        name = template.format(de_city=words.de_city(city.name_fr))
    key = ascii_slug(name)
    while key in taken:
        key += "-2"
    taken.add(key)
    founded = _founded(rng, kind, year)
    return OrgPlan(
        key=key, kind=kind, group=group, name=name, city=city, founded=founded,
        acronym=acronym, nace=nace,
    )  # fmt: skip


def _partners(count: int, year: int, rng: random.Random, taken: set[str]) -> list[OrgPlan]:
    plans = []
    for kind, city_key, name, suffix in words.PARTNERS[:count]:
        city = next(c for c in words.CITIES if c.key == city_key)
        key = ascii_slug(name)
        taken.add(key)
        plan = OrgPlan(
            key=key, kind=kind, group="partner", name=name, city=city,
            founded=_founded(rng, kind, year),
            nace={"lab": "72.19", "tech_centre": "71.20", "association": "94.99",
                  "university": "85.42"}.get(kind, ""),
        )  # fmt: skip
        plan.legal_name = f"{name} {suffix}".strip()
        plans.append(plan)
    return plans


def _subsidiaries(rng: random.Random, plans: list[OrgPlan], count: int, taken: set[str]) -> None:
    """A few members are local subsidiaries of the large groups of the cluster."""
    parents = [p for p in plans if p.kind == "large" and p.group == "member"]
    candidates = [
        p
        for p in plans
        if p.group == "member" and p.kind in {"midsize", "sme"} and p.country == "FR"
        and not p.featured and p.city.region in REGION_WORDS
    ]  # fmt: skip
    candidates.sort(key=lambda p: (p.kind != "midsize", p.key))
    parents = rng.sample(parents, len(parents))
    for index, plan in enumerate(candidates[:count]):
        parent = parents[index % len(parents)]
        root = parent.name.split()[0]
        trade = rng.choice(["Optronique", "Photonique", "Optique", "Systèmes optiques"])
        name = f"{root} {trade} {REGION_WORDS[plan.city.region]}"
        if ascii_slug(name) in taken:
            continue
        taken.discard(plan.key)
        plan.name, plan.key, plan.parent = name, ascii_slug(name), parent.key
        plan.founded = max(plan.founded, parent.founded + 1)
        taken.add(plan.key)


def _domain(plan: OrgPlan, domains: set[str]) -> str:
    if plan.kind in COMPANY:
        base = plan.key
    elif plan.acronym:
        base = ascii_slug(f"{plan.acronym} {plan.city.key}")
    else:
        significant = [w for w in plan.name.split() if len(w) > 3][:3]
        base = ascii_slug(" ".join(significant))
    domain, counter = f"{base}.example", 2
    while domain in domains:
        domain, counter = f"{base}-{counter}.example", counter + 1
    domains.add(domain)
    return domain


def _finish(
    rng: random.Random, plan: OrgPlan, sirens: set[str], domains: set[str], names: dict[str, str]
) -> None:
    plan.street = street_draw(rng, plan.city)
    plan.latitude = jitter(rng, plan.city.latitude, 0.012)
    plan.longitude = jitter(rng, plan.city.longitude, 0.016)
    if not plan.legal_name:
        plan.legal_name, plan.legal_form = legal_identity(plan, rng)
    else:
        plan.legal_form = LegalForm.FOREIGN
    if plan.country == "FR":
        plan.siren = siren_draw(rng, sirens)
        plan.siret = siret_for(plan.siren, rng.choice([1, 1, 1, 2, 3, 12]))
        if plan.kind != "association" or rng.random() < 0.5:
            plan.vat = vat_for_siren(plan.siren)
    else:
        plan.vat = foreign_vat(plan.country, rng)
    plan.domain = _domain(plan, domains)
    plan.phone = phone_number(rng, plan.city)
    if not plan.technologies:
        competences_draw(rng, plan)
    if not plan.nace:
        plan.nace = taxonomy()[plan.technologies[0]].get("nace") or "26.70"
    describe(rng, plan, names.get(plan.parent or "", ""))


def plan_organisations(rng: random.Random, size: Size, year: int) -> list[OrgPlan]:
    """Every organisation of the demo, members first, then former members, prospects and
    foreign partners; nothing here touches the database."""
    taken: set[str] = set()
    used: dict[str, Any] = {}
    featured = _featured()
    taken.add(featured.key)
    plans = [featured]
    members = dict(size.members)
    members[featured.kind] -= 1
    for group, counts in (("member", members), ("former", size.former),
                          ("prospect", size.prospects)):  # fmt: skip
        for kind, count in counts.items():
            plans.extend(_draw(rng, group, kind, year, taken, used) for _ in range(count))
    plans.extend(_partners(size.partners, year, rng, taken))
    _subsidiaries(rng, plans, size.subsidiaries, taken)
    names = {p.key: p.name for p in plans}
    sirens: set[str] = set()
    domains: set[str] = set()
    for plan in plans:
        _finish(rng, plan, sirens, domains, names)
    return plans


# --- writing --------------------------------------------------------------------------------


def competence_codes(plan: OrgPlan) -> list[str]:
    low, high = plan.trl
    trl = [f"trl.{level}" for level in range(low, high + 1)]
    return plan.technologies + plan.markets + plan.value_chain + trl


def organisations_create(
    *, actor: Any, plans: list[OrgPlan], competences: dict[str, Competence]
) -> dict[str, Organisation]:
    """Create every planned organisation (parent groups before their subsidiaries)."""
    created: dict[str, Organisation] = {}
    for plan in sorted(plans, key=lambda p: p.parent is not None):
        data = {
            "legal_name": plan.legal_name, "name": plan.name, "siren": plan.siren,
            "siret": plan.siret, "vat_number": plan.vat, "legal_form": plan.legal_form,
            "kind": plan.kind, "parent_group": created.get(plan.parent or ""),
            "street": plan.street, "postcode": plan.city.postcode, "city": plan.city.name_fr,
            "region": plan.city.region, "country": plan.country, "latitude": plan.latitude,
            "longitude": plan.longitude, "website": f"https://www.{plan.domain}",
            "email": f"contact@{plan.domain}", "phone": plan.phone,
            "description_fr": plan.description_fr, "description_en": plan.description_en,
            "founded_year": plan.founded, "nace_code": plan.nace,
            "competences": [competences[code] for code in competence_codes(plan)],
        }  # fmt: skip
        created[plan.key] = organisation_create(actor=actor, data=data, as_admin=False)
    return created
