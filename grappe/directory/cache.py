"""The in-memory side of the index: facet sets, name order, word sets, spelling vocabulary.

One snapshot per process (and database alias), read from `directory_entry` on first use and
then patched from the change log: each search first reads the log rows after the last one it
saw (one indexed query, usually empty). A rebuild, a rolled-back log or more than
`PATCH_LIMIT` changes reload the whole snapshot (about a second at 100,000 entries).
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from django.db import connections
from django.utils import timezone

from grappe.directory import bitsets, text
from grappe.directory.engines import engine_for

PATCH_LIMIT = 500
WORD_CACHE_SIZE = 512
# A word held by this many entries (and this share of them) is precomputed at rebuild.
PERSIST_MIN_ENTRIES = 200
PERSIST_MIN_SHARE = 0.005
SCALAR_FACETS = ("kind", "college", "region", "size_class")


class Facts(NamedTuple):
    kind: str
    college: str
    region: str
    size_class: str
    member_from: str
    member_until: str
    prior: int
    codes: tuple[str, ...]
    sort_name: str

    def values(self) -> list[tuple[str, str]]:
        pairs = [(facet, getattr(self, facet)) for facet in SCALAR_FACETS]
        return [*pairs, *(("competence", code) for code in self.codes)]


class WordSets(NamedTuple):
    """The entries holding a word in their name, competences and description."""

    name: int
    competences: int
    description: int

    @property
    def any(self) -> int:
        return self.name | self.competences | self.description


@dataclass
class Spelling:
    """Known words by their one-letter deletions (a symmetric-delete spelling index)."""

    counts: dict[str, int]
    by_delete: dict[str, list[str]]

    @classmethod
    def build(cls, counts: dict[str, int]) -> Spelling:
        by_delete: dict[str, list[str]] = {}
        for word in counts:
            for key in text.deletes(word) | {word}:
                by_delete.setdefault(key, []).append(word)
        return cls(counts, by_delete)

    def correct(self, word: str) -> str:
        """The nearest known word (fewest edits, then most frequent), or ''."""
        word = text.unaccent(word.lower())
        limit = text.allowed_distance(word)
        keys = {word} | text.deletes(word)
        if limit > 1:
            keys |= {d for k in text.deletes(word) for d in text.deletes(k)}
        candidates = {c for key in keys for c in self.by_delete.get(key, ())}
        best: tuple[int, int, str] | None = None
        for candidate in candidates:
            if candidate == word:
                continue
            distance = text.edit_distance(word, candidate, limit)
            if distance <= limit:
                rank = (distance, -self.counts[candidate], candidate)
                best = rank if best is None or rank < best else best
        return best[2] if best else ""


@dataclass
class Snapshot:
    anchor: tuple[int, str] | None
    loaded_version: int  # the change id the entries were read at
    today: str
    facts: dict[int, Facts]
    everyone: int
    members: int
    sets: dict[str, dict[str, int]]
    priors: dict[int, int]
    order: list[tuple[str, int]]
    sort_key: dict[int, str]
    changes: list[tuple[int, int]] = field(default_factory=list)  # (change id, organisation)
    words: OrderedDict[tuple[str, bool], tuple[WordSets, int]] = field(default_factory=OrderedDict)
    spelling: Spelling | None = None
    lock: Any = field(default_factory=threading.Lock)


def _today() -> str:
    return timezone.localdate().isoformat()


def _facts(row: tuple[Any, ...]) -> Facts:
    (_pk, kind, college, region, size, member_from, member_until, prior, codes, sort_name) = row
    return Facts(
        kind, college, region or "", size or "", str(member_from or ""), str(member_until or ""),
        int(prior), tuple(codes.split()) if codes else (), sort_name,
    )  # fmt: skip


COLUMNS = (
    "organisation_id, kind, college, region, size_class, member_from, member_until, prior, "
    "competence_codes, sort_name"
)


def _is_member(facts: Facts, today: str) -> bool:
    return bool(facts.member_from) and facts.member_from <= today <= facts.member_until


def _latest_change(cursor: Any) -> tuple[int, str] | None:
    cursor.execute("SELECT id, token FROM directory_change ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _load(using: str) -> Snapshot:
    with connections[using].cursor() as cursor:
        anchor = _latest_change(cursor)
        cursor.execute(f"SELECT {COLUMNS} FROM directory_entry")  # noqa: S608
        rows = cursor.fetchall()
    today = _today()
    facts = {row[0]: _facts(row) for row in rows}
    buffers: dict[str, dict[str, bytearray]] = {}
    size = (max(facts, default=0) >> 3) + 1
    everyone, members = bytearray(size), bytearray(size)
    priors: dict[int, bytearray] = {}
    for pk, fact in facts.items():
        byte, bit = pk >> 3, 1 << (pk & 7)
        everyone[byte] |= bit
        if _is_member(fact, today):
            members[byte] |= bit
        priors.setdefault(fact.prior, bytearray(size))[byte] |= bit
        for facet, value in fact.values():
            per_facet = buffers.setdefault(facet, {})
            if value not in per_facet:
                per_facet[value] = bytearray(size)
            per_facet[value][byte] |= bit

    def as_int(buffer: bytearray) -> int:
        return int.from_bytes(buffer, "little")

    order = sorted((fact.sort_name, pk) for pk, fact in facts.items())
    return Snapshot(
        anchor=anchor,
        loaded_version=anchor[0] if anchor else 0,
        today=today,
        facts=facts,
        everyone=as_int(everyone),
        members=as_int(members),
        sets={f: {v: as_int(b) for v, b in values.items()} for f, values in buffers.items()},
        priors={level: as_int(b) for level, b in priors.items()},
        order=order,
        sort_key={pk: fact.sort_name for pk, fact in facts.items()},
    )


def _toggle(snapshot: Snapshot, pk: int, fact: Facts, present: bool) -> None:
    bit = 1 << pk

    def apply(bits: int) -> int:
        return bits | bit if present else bits & ~bit

    snapshot.everyone = apply(snapshot.everyone)
    if not present or _is_member(fact, snapshot.today):
        snapshot.members = apply(snapshot.members)
    snapshot.priors[fact.prior] = apply(snapshot.priors.get(fact.prior, 0))
    for facet, value in fact.values():
        per_facet = snapshot.sets.setdefault(facet, {})
        per_facet[value] = apply(per_facet.get(value, 0))
    key = (fact.sort_name, pk)
    position = bisect.bisect_left(snapshot.order, key)
    if present:
        snapshot.order.insert(position, key)
        snapshot.sort_key[pk] = fact.sort_name
        snapshot.facts[pk] = fact
    elif position < len(snapshot.order) and snapshot.order[position] == key:
        del snapshot.order[position]
        snapshot.sort_key.pop(pk, None)
        snapshot.facts.pop(pk, None)


def _patch(
    snapshot: Snapshot, changes: list[tuple[int, int]], anchor: tuple[int, str], using: str
) -> Snapshot:
    """A new snapshot with the changed entries re-read; the old one stays valid for readers.
    Word sets are kept: each is patched when next used (see `word_sets`)."""
    ids = {pk for _id, pk in changes}
    placeholders = ", ".join(["%s"] * len(ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT {COLUMNS} FROM directory_entry WHERE organisation_id IN ({placeholders})",  # noqa: S608
            list(ids),
        )
        rows = {row[0]: _facts(row) for row in cursor.fetchall()}
    with snapshot.lock:  # searches may be adding words to it meanwhile
        words = OrderedDict(snapshot.words)
    patched = replace(
        snapshot,
        anchor=anchor,
        facts=dict(snapshot.facts),
        sets={facet: dict(values) for facet, values in snapshot.sets.items()},
        priors=dict(snapshot.priors),
        order=list(snapshot.order),
        sort_key=dict(snapshot.sort_key),
        changes=snapshot.changes + changes,
        words=words,
        spelling=None,
        lock=threading.Lock(),
    )
    for pk in ids:
        if pk in patched.facts:
            _toggle(patched, pk, patched.facts[pk], present=False)
        if pk in rows:
            _toggle(patched, pk, rows[pk], present=True)
    return patched


_snapshots: dict[str, Snapshot] = {}
_refresh_lock = threading.Lock()


def snapshot(using: str = "default") -> Snapshot:
    """The current snapshot, patched or reloaded when the index changed since it was read."""
    with _refresh_lock:
        current = _snapshots.get(using)
        current = _load(using) if current is None else _refreshed(current, using)
        if current.today != _today():
            current = _load(using)
        _snapshots[using] = current
        return current


def _refreshed(current: Snapshot, using: str) -> Snapshot:
    with connections[using].cursor() as cursor:
        if current.anchor is None:
            latest = _latest_change(cursor)
            return current if latest is None else _load(using)
        cursor.execute(
            "SELECT id, organisation_id, token FROM directory_change WHERE id >= %s "
            "ORDER BY id LIMIT %s",
            [current.anchor[0], PATCH_LIMIT + 2],
        )
        rows = cursor.fetchall()
    if not rows or (rows[0][0], rows[0][2]) != current.anchor:
        return _load(using)  # the log was rebuilt or rolled back
    changes = rows[1:]
    if not changes:
        return current
    if len(changes) > PATCH_LIMIT or any(pk is None for _id, pk, _t in changes):
        return _load(using)
    last = changes[-1]
    return _patch(current, [(i, pk) for i, pk, _t in changes], (last[0], last[2]), using)


def version(snap: Snapshot) -> int:
    return snap.anchor[0] if snap.anchor else 0


def _changed_since(snap: Snapshot, valid_at: int, using: str) -> list[int] | None:
    """Organisations changed after change `valid_at`; None when too many to patch."""
    if valid_at >= snap.loaded_version:
        ids = {pk for change, pk in snap.changes if change > valid_at}
    else:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT organisation_id FROM directory_change WHERE id > %s AND id <= %s LIMIT %s",
                [valid_at, version(snap), PATCH_LIMIT + 1],
            )
            rows = [pk for (pk,) in cursor.fetchall()]
        if None in rows:
            return None
        ids = set(rows)
    return sorted(ids) if len(ids) <= PATCH_LIMIT else None


def _from_engine(word: str, prefix: bool, using: str, only: list[int] | None = None) -> WordSets:
    tiers = engine_for(using).word_sets(word, prefix=prefix, only=only)
    return WordSets(*(bitsets.from_words(rows) for rows in tiers))


def _persisted(word: str, using: str) -> tuple[WordSets, int] | None:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT name, competences, description, valid_at FROM directory_word_set "
            "WHERE key = %s",
            [word],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return WordSets(*(bitsets.from_blob(blob) for blob in row[:3])), row[3]


def word_sets(
    snap: Snapshot, word: str, *, prefix: bool = False, using: str = "default"
) -> WordSets:
    """The entries holding `word` per tier.

    Kept in memory once asked; a frequent word's sets are also precomputed in the database at
    rebuild. Sets older than the index are patched: only the organisations changed since are
    asked of the engine, so a common word is never scanned twice."""
    key = (word, prefix)
    current = version(snap)
    with snap.lock:
        cached = snap.words.get(key)
        if cached is not None:
            snap.words.move_to_end(key)
    if cached is None and not prefix:
        cached = _persisted(word, using)
    if cached is not None and cached[1] == current:
        return cached[0]
    found: WordSets | None = None
    if cached is not None:
        changed = _changed_since(snap, cached[1], using)
        if changed is not None:
            fresh = _from_engine(word, prefix, using, only=changed) if changed else None
            mask = bitsets.from_ids(changed)
            found = WordSets(
                *(
                    (old & ~mask) | (new if fresh is not None else 0)
                    for old, new in zip(cached[0], fresh or (0, 0, 0), strict=True)
                )
            )
    if found is None:
        found = _from_engine(word, prefix, using)
    with snap.lock:
        snap.words[key] = (found, current)
        snap.words.move_to_end(key)
        while len(snap.words) > WORD_CACHE_SIZE:
            snap.words.popitem(last=False)
    return found


def persist_frequent_words(valid_at: int, using: str = "default") -> int:
    """Precompute the sets of the frequent words (rebuild time); returns how many."""
    from grappe.directory.models import DirectoryEntry, DirectoryTerm, DirectoryWordSet

    total = DirectoryEntry.objects.using(using).count()
    threshold = max(PERSIST_MIN_ENTRIES, int(total * PERSIST_MIN_SHARE))
    words = DirectoryTerm.objects.using(using).filter(entries__gte=threshold)
    rows = []
    for word in words.values_list("word", flat=True).iterator():
        sets = _from_engine(word, False, using)
        rows.append(
            DirectoryWordSet(
                key=word,
                name=bitsets.to_blob(sets.name),
                competences=bitsets.to_blob(sets.competences),
                description=bitsets.to_blob(sets.description),
                valid_at=valid_at,
            )
        )
    DirectoryWordSet.objects.using(using).all().delete()
    DirectoryWordSet.objects.using(using).bulk_create(rows, batch_size=200)
    return len(rows)


def spelling(snap: Snapshot, using: str = "default") -> Spelling:
    with snap.lock:
        if snap.spelling is None:
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT word, entries FROM directory_term")
                snap.spelling = Spelling.build(dict(cursor.fetchall()))
        return snap.spelling


def reset() -> None:
    """Forget every snapshot (tests that swap databases)."""
    with _refresh_lock:
        _snapshots.clear()
