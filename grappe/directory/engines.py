"""The full-text engines behind the directory: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both answer one question: which entries hold a word, in their name, in their competences, in
their description (three sets, the ranking tiers). They never rank: ranking every match of a
common word is what costs (see search.py for how ranking is done instead). The sets come back
aggregated by SQL into 32-bit words, about 30 times fewer rows than ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.db import connections, transaction

from grappe.directory import text

TIERS = ("name", "competences", "description")
Word = tuple[int, int]  # (id >> 5, the 32 bits of ids id & ~31 .. id | 31), see bitsets.from_words
WordSets = tuple[list[Word], list[Word], list[Word]]
_PREFIX_SAFE = re.compile(r"[^a-z0-9]")


class Engine(Protocol):
    name: str

    def replace(self, rows: Sequence[tuple[int, str, str, str]]) -> None: ...

    def delete(self, ids: Iterable[int]) -> None: ...

    def clear(self) -> None: ...

    def word_sets(self, word: str, *, prefix: bool = False) -> WordSets: ...


class SqliteEngine:
    """FTS5 over the analysed terms (French and English stems, no accents) of text.py."""

    name = "sqlite-fts5"

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def replace(self, rows: Sequence[tuple[int, str, str, str]]) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.executemany(
                "DELETE FROM directory_fts WHERE rowid = %s", [(row[0],) for row in rows]
            )
            cursor.executemany(
                "INSERT INTO directory_fts(rowid, name, competences, description) "
                "VALUES (%s, %s, %s, %s)",
                [(pk, text.analyse(n), text.analyse(c), text.analyse(d)) for pk, n, c, d in rows],
            )

    def delete(self, ids: Iterable[int]) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.executemany("DELETE FROM directory_fts WHERE rowid = %s", [(i,) for i in ids])

    def clear(self) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM directory_fts")

    def word_sets(
        self, word: str, *, prefix: bool = False, only: Sequence[int] | None = None
    ) -> WordSets:
        """The entries holding `word` per tier (among `only`, when given)."""
        if prefix:
            bare = _PREFIX_SAFE.sub("", text.unaccent(word))
            if not bare:
                return ([], [], [])
            expression = f'"{bare}"*'
        else:
            expression = "(" + " OR ".join(f'"{t}"' for t in text.word_terms(word)) + ")"
        # The match expressions are parameters; the terms in them are letters and digits only.
        restrict = ""
        if only is not None:
            restrict = f" AND rowid IN ({', '.join(str(int(i)) for i in only) or 'NULL'})"
        sql = " UNION ALL ".join(
            f"SELECT {i}, rowid >> 5, sum(1 << (rowid & 31)) FROM directory_fts "  # noqa: S608
            f"WHERE directory_fts MATCH %s{restrict} GROUP BY 2"
            for i in range(3)
        )
        params = [f"{{{tier}}} : {expression}" for tier in TIERS]
        found: WordSets = ([], [], [])
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            for tier, index, value in cursor.fetchall():
                found[tier].append((index, value))
        return found


class PostgresEngine:
    """tsvectors built with the `french` and `english` configurations over unaccent, in the
    narrow table `directory_vector` (migration 0002), one GIN index per tier."""

    name = "postgresql-fts"
    VECTOR = "to_tsvector('french', unaccent({0})) || to_tsvector('english', unaccent({0}))"
    QUERY = "(plainto_tsquery('french', unaccent(%s)) || plainto_tsquery('english', unaccent(%s)))"

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def _insert_vectors(self, where: str, params: list[Any]) -> None:
        vectors = ", ".join(self.VECTOR.format("text_" + tier) for tier in TIERS)
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_vector (organisation_id, name, competences, description) "  # noqa: S608
                f"SELECT organisation_id, {vectors} FROM directory_entry {where}",
                params,
            )

    def replace(self, rows: Sequence[tuple[int, str, str, str]]) -> None:
        # The entry rows already hold the texts: the vectors are computed from them in SQL.
        if rows:
            ids = [row[0] for row in rows]
            self.delete(ids)
            self._insert_vectors("WHERE organisation_id = ANY(%s)", [ids])

    def rebuild_all(self) -> None:
        self.clear()
        self._insert_vectors("", [])
        with connections[self.using].cursor() as cursor:
            cursor.execute("ANALYZE directory_entry")
            cursor.execute("ANALYZE directory_vector")

    def vacuum(self) -> None:
        """After a rebuild, outside its transaction: reclaim the old rows, refresh statistics."""
        connection = connections[self.using]
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE directory_entry")
            cursor.execute("VACUUM ANALYZE directory_vector")

    def delete(self, ids: Iterable[int]) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "DELETE FROM directory_vector WHERE organisation_id = ANY(%s)", [list(ids)]
            )

    def clear(self) -> None:
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM directory_vector")

    def word_sets(
        self, word: str, *, prefix: bool = False, only: Sequence[int] | None = None
    ) -> WordSets:
        """The entries holding `word` per tier (among `only`, when given)."""
        if prefix:
            bare = _PREFIX_SAFE.sub("", text.unaccent(word.lower()))
            if not bare:
                return ([], [], [])
            query, query_params = "to_tsquery('simple', %s)", [bare + ":*"]
        else:
            query, query_params = self.QUERY, [word, word]
        restrict, restrict_params = "", []
        if only is not None:
            restrict, restrict_params = " AND organisation_id = ANY(%s)", [list(only)]
        sql = " UNION ALL ".join(
            f"SELECT {i}, organisation_id >> 5, sum(1::bigint << (organisation_id & 31)::int) "  # noqa: S608
            f"FROM directory_vector WHERE {tier} @@ {query}{restrict} GROUP BY 2"
            for i, tier in enumerate(TIERS)
        )
        found: WordSets = ([], [], [])
        with transaction.atomic(using=self.using), connections[self.using].cursor() as cursor:
            # Small, index-driven scans: parallel workers would cost more than they save.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute(sql, (query_params + restrict_params) * 3)
            for tier, index, value in cursor.fetchall():
                found[tier].append((index, int(value)))
        return found


def engine_for(using: str = "default") -> SqliteEngine | PostgresEngine:
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return PostgresEngine(using)
    if vendor == "sqlite":
        return SqliteEngine(using)
    raise NotImplementedError(f"The directory search has no engine for {vendor}.")
