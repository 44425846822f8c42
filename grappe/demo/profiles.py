"""What makes each organisation itself: its city and address, its name and legal form, its
competences and the description that matches them, in French and English.

Every function draws from the seeded generator it is given, in a fixed order, so that the same
organisations come out every time.
"""

from __future__ import annotations

import random
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from grappe.demo import vocabulary as words
from grappe.members.models import LegalForm
from grappe.members.services.taxonomy import read_taxonomy

if TYPE_CHECKING:
    from grappe.demo.organisations import OrgPlan

COMPANY = ("startup", "sme", "midsize", "large")
RESEARCH = ("lab", "university", "tech_centre")
SUPPORT = ("public", "association", "other")


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, dict[str, Any]]:
    return {entry["code"]: entry for entry in read_taxonomy()["competences"]}


def technology_leaves(branch: str) -> list[str]:
    return [code for code, entry in taxonomy().items() if entry.get("parent") == branch]


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return slugify(plain)


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# --- places -------------------------------------------------------------------------------


def region_weights(kind: str, group: str) -> list[tuple[str, int]]:
    if kind in {"startup", "sme"}:
        return words.REGION_WEIGHTS
    french = [(code, w) for code, w in words.REGION_WEIGHTS if code.startswith("FR")]
    if kind in RESEARCH:
        return french
    if kind == "public":  # the cluster's own territory funds and hosts it
        return [(code, w) for code, w in french if code in {"FRL0", "FRJ1", "FRJ2"}]
    return [(code, w) for code, w in french if code in {"FRL0", "FRJ1", "FRJ2", "FR10"}]


def city_draw(
    rng: random.Random, kind: str, group: str, regions: set[str] | None = None
) -> words.City:
    weights = region_weights(kind, group)
    if regions:
        weights = [(code, w) for code, w in weights if code in regions]
    region = weighted(rng, weights)
    cities = [c for c in words.CITIES if c.region == region]
    if kind in RESEARCH:
        cities = [c for c in cities if c.academic] or cities
    return weighted(rng, [(c, c.weight) for c in cities])


def street_draw(rng: random.Random, city: words.City) -> str:
    number = rng.randint(1, 180)
    if city.country == "FR":
        return f"{number} {rng.choice(words.STREETS)}"
    return f"{rng.choice(words.FOREIGN_STREETS[city.country])} {number}"


def phone_number(rng: random.Random, city: words.City) -> str:
    if city.country == "FR":
        return f"{city.phone} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if city.country in {"DE", "IT"}:
        return f"{city.phone} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return f"{city.phone} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def jitter(rng: random.Random, value: float, spread: float) -> Decimal:
    return Decimal(f"{value + rng.gauss(0, spread):.6f}")


# --- names --------------------------------------------------------------------------------


def name_allowed(name: str, taken: set[str]) -> bool:
    lowered = name.lower()
    blocked = any(word in lowered for word in words.REAL_NAMES_BLOCKLIST)
    return not blocked and ascii_slug(name) not in taken


def coined_name(rng: random.Random) -> str:
    """An invented one-word name: 'Lumi' + 'ane' → 'Lumiane', 'Photo' + 'ix' → 'Photix'."""
    prefix, suffix = rng.choice(words.NAME_PREFIXES), rng.choice(words.NAME_SUFFIXES)
    vowels = "aeiouyéè"
    if prefix[-1] in vowels and suffix[0] in vowels:
        keeps = prefix[-1] == "i" and suffix[0] in "aeéo"
        if not keeps:
            prefix = prefix[:-1]
    if prefix[-1] == suffix[0]:
        prefix = prefix[:-1]
    return prefix + suffix


def company_name(rng: random.Random, kind: str, city: words.City, taken: set[str]) -> str:
    places = words.NAME_PLACES.get(city.region, []) + words.NAME_PLACES[""]
    while True:
        if city.country != "FR":
            name = f"{coined_name(rng)} {rng.choice(words.FOREIGN_TRADES)}"
        elif kind == "large":
            name = rng.choice(words.LARGE_GROUP_NAMES)
        else:
            pattern = weighted(rng, [("place", 45), ("coined", 35 if kind != "sme" else 20),
                                     ("family", 0 if kind == "startup" else 20)])  # fmt: skip
            if pattern == "place":
                name = f"{rng.choice(places)} {rng.choice(words.NAME_TRADES)}"
            elif pattern == "coined":
                name = coined_name(rng)
            else:
                template = rng.choice(words.FAMILY_SME_TEMPLATES)
                name = template.format(surname=rng.choice(words.LAST_NAMES["FR"]))
        if name_allowed(name, taken):
            return name


def body_name(rng: random.Random, kind: str, used: dict[str, list[Any]]) -> tuple[str, str, str]:
    """(name template, acronym, NACE) for research, public and other bodies, each used once."""
    pools: dict[str, list[Any]] = {
        "lab": words.LAB_NAMES, "university": words.UNIVERSITY_NAMES,
        "tech_centre": words.TECH_CENTRE_NAMES,
        "public": [(n, "") for n in words.PUBLIC_NAMES],
        "association": [(n, "") for n in words.ASSOCIATION_NAMES],
        "other": words.OTHER_NAMES,
    }  # fmt: skip
    remaining = used.setdefault(kind, list(pools[kind]))
    template, extra = remaining.pop(rng.randrange(len(remaining)))
    nace = {"lab": "72.19", "tech_centre": "71.20", "public": "84.13", "association": "94.99",
            "university": "85.42"}  # fmt: skip
    if kind == "other":
        return template, "", extra
    return template, extra, nace[kind]


# A body named after a place is based there.
NAME_REGIONS: list[tuple[str, set[str]]] = [
    ("Occitan", {"FRJ1", "FRJ2"}),
    ("Var", {"FRL0"}), ("Calanques", {"FRL0"}), ("Azur", {"FRL0"}), ("Provence", {"FRL0"}),
    ("Collines", {"FRL0"}), ("Littoral", {"FRL0", "FRJ1"}), ("Garrigue", {"FRL0", "FRJ1"}),
    ("Méditerran", {"FRL0", "FRJ1"}), ("Sud", {"FRL0", "FRJ1", "FRJ2"}),
    ("Régional", {"FRL0", "FRJ1", "FRJ2"}),
]  # fmt: skip


def name_regions(name: str) -> set[str] | None:
    for word, regions in NAME_REGIONS:
        if word in name:
            return regions
    return None


def legal_identity(plan: OrgPlan, rng: random.Random) -> tuple[str, str]:
    """(legal name, legal form) as a registry would print them."""
    if plan.country != "FR":
        suffix = words.FOREIGN_LEGAL_SUFFIX[plan.country] if plan.kind in COMPANY else ""
        return (f"{plan.name} {suffix}".strip(), LegalForm.FOREIGN)
    forms: dict[str, list[tuple[str, int]]] = {
        "startup": [(LegalForm.SAS, 7), (LegalForm.SASU, 3)],
        "sme": [(LegalForm.SAS, 6), (LegalForm.SARL, 3), (LegalForm.SA, 1), (LegalForm.SCOP, 1)],
        "midsize": [(LegalForm.SAS, 1), (LegalForm.SA, 1)],
        "large": [(LegalForm.SA, 2), (LegalForm.SAS, 1)],
        "lab": [(LegalForm.EPST, 1)],
        "university": [(LegalForm.EPSCP, 1)],
        "tech_centre": [(LegalForm.ASSOCIATION, 2), (LegalForm.EPIC, 1), (LegalForm.GIE, 1)],
        "public": [(LegalForm.OTHER, 1)],
        "association": [(LegalForm.ASSOCIATION, 1)],
        "other": [(LegalForm.SAS, 2), (LegalForm.SARL, 1)],
    }
    form = weighted(rng, forms[plan.kind])
    if plan.kind in COMPANY or plan.kind == "other":
        return f"{plan.name} {LegalForm(form).label}", form
    if plan.acronym:
        return f"{plan.name} ({plan.acronym})", form
    return plan.name, form


# --- competences and descriptions ----------------------------------------------------------


def competences_draw(rng: random.Random, plan: OrgPlan) -> None:
    branches = list(words.BRANCH_WEIGHTS.items())
    primary = weighted(rng, branches)
    leaves = technology_leaves(primary)
    count = rng.randint(2, 4)
    chosen = rng.sample(leaves, min(len(leaves), rng.randint(1, min(3, count))))
    while len(chosen) < count:
        other = weighted(rng, branches)
        leaf = rng.choice(technology_leaves(other))
        if leaf not in chosen:
            chosen.append(leaf)
    plan.technologies = chosen
    affinity: dict[str, int] = {}
    for leaf in chosen:
        for market in words.BRANCH_MARKETS[taxonomy()[leaf]["parent"]]:
            affinity[market] = affinity.get(market, 0) + words.MARKET_WEIGHTS[market]
    if plan.kind in RESEARCH:
        affinity["market.science"] = affinity.get("market.science", 0) + 8
    markets: list[str] = []
    for _ in range(rng.randint(1, 3)):
        market = weighted(rng, sorted(affinity.items()))
        if market not in markets:
            markets.append(market)
    plan.markets = markets
    options = words.VALUE_CHAIN_BY_KIND[plan.kind]
    plan.value_chain = rng.sample(options, min(len(options), rng.randint(1, 2)))
    plan.trl = rng.choice(words.TRL_BY_KIND[plan.kind])


def lower_first(text: str) -> str:
    """'Lasers à fibre' → 'lasers à fibre', but 'LED et éclairage' stays as it is."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def describe(rng: random.Random, plan: OrgPlan, parent_name: str = "") -> None:
    opening = "subsidiary" if plan.parent else plan.kind
    values = {"name": plan.name, "founded": plan.founded, "parent": parent_name}
    french = [words.OPENINGS_FR[opening].format(a_city=words.a_city(plan.city.name_fr), **values)]
    english = [words.OPENINGS_EN[opening].format(in_city=f"in {plan.city.name_en}", **values)]
    tax = taxonomy()
    if plan.kind in SUPPORT:
        codes = plan.technologies[:2] + plan.markets[:1]
        items_fr = ", ".join(lower_first(tax[c]["name_fr"]) for c in codes)
        items_en = ", ".join(lower_first(tax[c]["name_en"]) for c in codes)
        french.append(words.FOCUS_FR.format(items=items_fr))
        english.append(words.FOCUS_EN.format(items=items_en))
    else:
        for code in plan.technologies[:3] + plan.markets[:2]:
            entry = tax[code]
            index = rng.randrange(len(entry["phrases_fr"]))
            french.append(entry["phrases_fr"][index])
            english.append(entry["phrases_en"][index])
        if plan.kind in RESEARCH:
            french.append(words.RESEARCH_BRIDGE_FR)
            english.append(words.RESEARCH_BRIDGE_EN)
    plan.description_fr, plan.description_en = " ".join(french), " ".join(english)
