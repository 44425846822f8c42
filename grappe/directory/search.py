"""Searching the directory: the interface the pages and the public API call.

Design (measured figures in docs/PERFORMANCE.md)
------------------------------------------------
Matching is the database's full-text engine: SQLite FTS5 over French and English stems without
accents (text.py), or PostgreSQL tsvectors built with the `french` and `english`
configurations over `unaccent`, each with a GIN index (engines.py). The engine is asked one
thing per query word: which entries hold it in their *name*, their *competences*, their
*description*. It never ranks, because ranking every match of a common word is what costs
(ts_rank 143 ms, bm25 311 ms for a word in 40 % of 100,000 rows). The three answers are bit
sets (bitsets.py). A frequent word's sets are precomputed at rebuild (`directory_word_set`),
every process keeps the sets it used, and a set older than the index is patched by asking the
engine about the organisations changed since, only (cache.word_sets): a common word is never
scanned twice.

Ranking is precomputed impact, not a per-row function: a word weighs 3 in a name, 2 in the
competences, 1 in a description only, times its rarity (log(1 + N / df)); a document's score
is the sum over the query words. Scores come in few distinct values (three tiers per word), so
the matches are split into groups of equal score by intersecting bit sets, best group first,
and within a group by a static quality prior (profile completeness, 0–3, bit sets too), then by
name. Only the group holding the requested page is ever listed, so a page of "laser" (40,000
matches) costs the same as a page of a rare word. Without text, results are in name order.

Facets: each facet value (kind, collège, region, size class, each competence with its
descendants) is a bit set of the in-memory snapshot (cache.py); a count is
`(matches & value).bit_count()`, microseconds each, computed "disjunctively" (the counts of a
facet ignore that facet's own selection, so ticking a second kind shows how many it adds).
The snapshot follows the index through the change log the members services write after each
commit; see indexing.py.

Misspellings: a word the index does not hold is tried as a prefix (typing "métrol" finds
métrologie), then corrected to the nearest indexed word (at most one edit for short words,
two otherwise, the most frequent first, cache.Spelling); the page then says "showing results
for …".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Prefetch
from django.utils.translation import get_language

from grappe.directory import cache, permissions, text
from grappe.directory.bitsets import take_ordered
from grappe.members.models import (
    College,
    Competence,
    Facet,
    Organisation,
    OrganisationFigures,
    OrgKind,
    SizeClass,
)
from grappe.members.regions import NUTS2, region_name
from grappe.members.selectors import competences_current


class _Competence(NamedTuple):
    pk: int
    code: str
    facet: str
    parent_id: int | None
    name: str


def _competences() -> list[_Competence]:
    """The current taxonomy as plain tuples (94 rows: cheaper than model instances)."""
    english = (get_language() or "fr").startswith("en")
    rows = competences_current().values_list(
        "pk", "code", "facet", "parent_id", "name_fr", "name_en"
    )
    return [
        _Competence(pk, code, facet, parent, en if english else fr)
        for pk, code, facet, parent, fr, en in rows
    ]


MAX_WORDS = 8
SCORED_WORDS = 4
MAX_PER_PAGE = 100
TIER_WEIGHTS = (3.0, 2.0, 1.0)  # name, competences, description

# Facets: (query field, competence facet or None, open to visitors)
FACETS: list[tuple[str, str | None, bool]] = [
    ("kind", None, True),
    ("college", None, True),
    ("technology", Facet.TECHNOLOGY, True),
    ("market", Facet.MARKET, True),
    ("value_chain", Facet.VALUE_CHAIN, True),
    ("region", None, True),
    ("size_class", None, False),
    ("trl", Facet.TRL, False),
]
SCALAR_CHOICES: dict[str, set[str]] = {
    "kind": set(OrgKind.values),
    "college": set(College.values),
    "region": set(NUTS2),
    "size_class": {v for v in SizeClass.values if v},
}
_CODE_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_TRUE = {"1", "true", "on", "yes"}


@dataclass
class DirectoryQuery:
    text: str = ""
    kind: list[str] = field(default_factory=list)
    college: list[str] = field(default_factory=list)
    technology: list[str] = field(default_factory=list)
    market: list[str] = field(default_factory=list)
    value_chain: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    size_class: list[str] = field(default_factory=list)
    include_non_members: bool = False
    trl: list[str] = field(default_factory=list)

    def selected(self, facet: str) -> list[str]:
        return list(getattr(self, facet))

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not any(self.selected(f) for f, _c, _p in FACETS)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0


@dataclass
class DirectoryPage:
    results: list[Organisation]
    total: int
    page: int
    pages: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    suggestion: str = ""
    query: DirectoryQuery | None = None
    members_directory: bool = False
    engine: str = ""

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _values(params: Mapping[str, Any], key: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(key)
    else:
        raw = params.get(key, [])
        raw = [raw] if isinstance(raw, str) else list(raw or [])
    values: list[str] = []
    for item in raw:
        for value in str(item).split(","):
            value = value.strip()
            if value and value not in values:
                values.append(value)
    return values


def parse_directory_query(params: Mapping[str, Any]) -> DirectoryQuery:
    """A query from GET parameters (`q`, one list per facet, `non_members`); unknown values
    are dropped, so a shared or hand-edited URL never fails."""
    texts = _values(params, "q") or _values(params, "text")
    query = DirectoryQuery(text=" ".join(texts)[:200].strip())
    for facet, competence_facet, _public in FACETS:
        values = _values(params, facet)
        if competence_facet:
            values = [v for v in values if len(v) <= 80 and _CODE_RE.match(v)]
        else:
            values = [v for v in values if v in SCALAR_CHOICES[facet]]
        setattr(query, facet, values[:50])
    flags = _values(params, "non_members") or _values(params, "include_non_members")
    query.include_non_members = bool(flags) and flags[-1].lower() in _TRUE
    return query


@dataclass
class _Word:
    sets: cache.WordSets
    original: str
    used: str


def _words(snap: cache.Snapshot, raw: str) -> tuple[list[_Word], str]:
    """Each query word's entry sets, after prefix and spelling fallbacks; and the suggestion."""
    tokens = text.words(raw)[:MAX_WORDS]
    content = [w for w in tokens if not text.is_stopword(w)] or tokens
    found: list[_Word] = []
    for word in content:
        sets = cache.word_sets(snap, word)
        used = word
        if not sets.any and len(text.unaccent(word)) >= 3:
            sets = cache.word_sets(snap, word, prefix=True)
        if not sets.any:
            correction = cache.spelling(snap).correct(word)
            if correction:
                corrected = cache.word_sets(snap, correction)
                if corrected.any:
                    sets, used = corrected, correction
        found.append(_Word(sets, word, used))
    replacements = {w.original: w.used for w in found if w.used != w.original}
    suggestion = ""
    if replacements:
        suggestion = re.sub(
            text.WORD_RE.pattern,
            lambda m: replacements.get(m.group(0).lower(), m.group(0)),
            raw,
        ).strip()
    return found, suggestion


def _groups(snap: cache.Snapshot, matches: int, words: list[_Word]) -> list[int]:
    """The matches split into groups of equal relevance, best first (see the module doc)."""
    if not words:
        return [matches]
    total = max(1, snap.everyone.bit_count())
    scored = []
    for word in words:
        idf = math.log(1 + total / max(1, word.sets.any.bit_count()))
        name, competences, description = word.sets
        tiers = [name, competences & ~name, description & ~(name | competences)]
        scored.append((idf, tiers))
    scored.sort(key=lambda item: -item[0])
    scored = scored[:SCORED_WORDS]
    combos: list[tuple[float, int]] = []

    def walk(index: int, bits: int, score: float) -> None:
        if not bits:
            return
        if index == len(scored):
            combos.append((score, bits))
            return
        idf, tiers = scored[index]
        for weight, tier in zip(TIER_WEIGHTS, tiers, strict=True):
            walk(index + 1, bits & tier, score + weight * idf)

    walk(0, matches, 0.0)
    combos.sort(key=lambda item: -item[0])
    levels = sorted(snap.priors, reverse=True)
    groups = []
    for _score, bits in combos:
        for level in levels:
            group = bits & snap.priors[level]
            if group:
                groups.append(group)
    return groups


def _page_ids(snap: cache.Snapshot, groups: list[int], skip: int, take: int) -> list[int]:
    ids: list[int] = []
    for group in groups:
        count = group.bit_count()
        if skip >= count:
            skip -= count
            continue
        part = take_ordered(group, snap.order, snap.sort_key, skip, take - len(ids))
        ids.extend(part)
        skip = 0
        if len(ids) >= take:
            break
    return ids


def _competence_facets(
    snap: cache.Snapshot, facet_key: str, competences: list[_Competence], selected: list[str],
    scope: int,
) -> list[FacetValue]:  # fmt: skip
    sets = snap.sets.get("competence", {})
    children: dict[int, list[_Competence]] = {}
    for competence in competences:
        if competence.parent_id is not None:
            children.setdefault(competence.parent_id, []).append(competence)
    by_code = {c.code: c for c in competences}
    open_parents = {by_code[c].parent_id or by_code[c].pk for c in selected if c in by_code}
    values: list[FacetValue] = []

    def add(competence: _Competence, depth: int) -> None:
        count = (scope & sets.get(competence.code, 0)).bit_count()
        chosen = competence.code in selected
        if count or chosen:
            values.append(FacetValue(competence.code, competence.name, count, chosen, depth))

    for competence in competences:
        if competence.parent_id is None:
            add(competence, 0)
            if competence.pk in open_parents:
                for child in children.get(competence.pk, []):
                    add(child, 1)
    return values


def _scalar_facets(
    snap: cache.Snapshot, facet: str, selected: list[str], scope: int
) -> list[FacetValue]:
    sets = snap.sets.get(facet, {})
    language = get_language() or "fr"
    if facet == "region":
        choices = [(code, region_name(code, language)) for code in NUTS2]
    else:
        model = {"kind": OrgKind, "college": College, "size_class": SizeClass}[facet]
        choices = [(value, str(label)) for value, label in model.choices if value]
    values = []
    for value, label in choices:
        count = (scope & sets.get(value, 0)).bit_count()
        if count or value in selected:
            values.append(FacetValue(value, label, count, value in selected))
    if facet == "region":
        values.sort(key=lambda v: (-v.count, v.label))
    return values


def _fetch(ids: list[int]) -> list[Organisation]:
    organisations = Organisation.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("competences", queryset=Competence.objects.order_by("facet", "position", "code")),
        Prefetch(
            "figures",
            queryset=OrganisationFigures.objects.order_by("-year"),
            to_attr="directory_figures",
        ),
    )
    by_pk = {o.pk: o for o in organisations}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def directory_search(
    query: DirectoryQuery, *, viewer: Any, page: int = 1, per_page: int = 20
) -> DirectoryPage:
    """One page of the directory for `viewer`, ranked by relevance, with facet counts."""
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    richer = permissions.can_use_members_directory(viewer)
    snap = cache.snapshot()
    base = snap.members
    if query.include_non_members and permissions.can_list_non_members(viewer):
        base = snap.everyone
    words, suggestion = _words(snap, query.text) if query.text.strip() else ([], "")
    text_bits = base
    for word in words:
        text_bits &= word.sets.any
    facets = [(f, c) for f, c, public in FACETS if public or richer]
    by_facet: dict[str, list[_Competence]] = {}
    for competence in _competences():
        by_facet.setdefault(competence.facet, []).append(competence)
    filters: dict[str, int] = {}
    chosen: dict[str, list[str]] = {}
    for facet, competence_facet in facets:
        selected = query.selected(facet)
        if competence_facet:
            known = {c.code for c in by_facet.get(competence_facet, [])}
            selected = [code for code in selected if code in known]
            sets = snap.sets.get("competence", {})
        else:
            sets = snap.sets.get(facet, {})
        chosen[facet] = selected
        if selected:
            bits = 0
            for value in selected:
                bits |= sets.get(value, 0)
            filters[facet] = bits
    matches = text_bits
    for bits in filters.values():
        matches &= bits
    counted: dict[str, list[FacetValue]] = {}
    for facet, competence_facet in facets:
        scope = text_bits
        for other, bits in filters.items():
            if other != facet:
                scope &= bits
        if competence_facet:
            counted[facet] = _competence_facets(
                snap, facet, by_facet.get(competence_facet, []), chosen[facet], scope
            )
        else:
            counted[facet] = _scalar_facets(snap, facet, chosen[facet], scope)
    total = matches.bit_count()
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(int(page), pages))
    ids = _page_ids(snap, _groups(snap, matches, words), (page - 1) * per_page, per_page)
    results = _fetch(ids)
    permissions.annotate_visibility(viewer, results, members=snap.members)
    return DirectoryPage(
        results=results,
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        facets=counted,
        suggestion=suggestion,
        query=query,
        members_directory=richer,
        engine=cache.engine_for().name,
    )
