"""What is specific to each database engine: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from grappe.directory.bitsets import from_ids, from_words
from grappe.directory.engines import PostgresEngine, SqliteEngine, engine_for

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def assert_tiers(engine, crafted, word, prefix):
    """The engine's sets for `word` per tier, and for a prefix of "métrologie"."""
    name, competences, description = (from_words(rows) for rows in engine.word_sets(word))
    ids = {key: organisation.pk for key, organisation in crafted.items()}
    assert name == from_ids([ids["name"], ids["non_member"]])
    assert competences == from_ids([ids["name"], ids["competence"], ids["non_member"]])
    assert description & from_ids([ids["description"]])
    assert from_words(engine.word_sets(prefix, prefix=True)[2]) == from_ids([ids["metrology"]])


@sqlite_only
def test_sqlite_indexes_french_and_english_stems_without_accents_in_fts5(crafted):
    # given the crafted directory, the FTS5 table holds analysed terms per tier
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, description FROM directory_fts WHERE rowid = %s",
            [crafted["metrology"].pk],
        )
        name, description = cursor.fetchone()
    assert name.split() == ["mesur", "occitan", "mesur", "occitan", "sas"]
    assert "metrolog" in description.split() and "interferometr" in description.split()
    assert isinstance(engine_for(), SqliteEngine)


@sqlite_only
def test_sqlite_word_sets_are_split_by_tier(crafted):
    assert_tiers(SqliteEngine(), crafted, "lasers", "metrol")


@postgres_only
def test_postgres_has_unaccent_and_gin_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'unaccent'")
        assert cursor.fetchone() == ("unaccent",)
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'directory_vector' "
            "AND indexdef LIKE '%%USING gin%%' ORDER BY indexname"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "directory_vector_competences",
            "directory_vector_description",
            "directory_vector_name",
        ]
    assert isinstance(engine_for(), PostgresEngine)


@postgres_only
def test_postgres_vectors_use_french_and_english_forms_without_accents(crafted):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description @@ to_tsquery('simple', 'metrolog'), "
            "description @@ to_tsquery('simple', 'metrologi'), "
            "name::text FROM directory_vector WHERE organisation_id = %s",
            [crafted["metrology"].pk],
        )
        french, english, name = cursor.fetchone()
    assert (french, english) == (True, True)
    assert "'mesur'" in name and "'occitan'" in name


@postgres_only
def test_postgres_word_sets_are_split_by_tier(crafted):
    assert_tiers(PostgresEngine(), crafted, "Lasers", "métrol")
