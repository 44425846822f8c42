"""The full-text part of the index, one per database engine.

SQLite: an FTS5 table of the analysed terms (text.py) of each entry's name, competences and
description. PostgreSQL: `unaccent`, and a table of three tsvectors per entry (French and English forms of
the unaccented name, competences and description) with a GIN index each. Each branch runs only on its own engine.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_fts USING fts5("
    "name, competences, description, "
    "tokenize='unicode61 remove_diacritics 2', prefix='3', detail='column')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS directory_fts"]

# A narrow table of its own: its rows stay small (the vectors are stored out of line), so a
# bitmap scan over 40,000 matches reads a few megabytes of heap, and no vector is read back
# (a GIN match on a plain tsquery needs no recheck).
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TABLE IF NOT EXISTS directory_vector ("
    " organisation_id bigint PRIMARY KEY"
    " REFERENCES directory_entry (organisation_id) ON DELETE CASCADE,"
    " name tsvector NOT NULL, competences tsvector NOT NULL, description tsvector NOT NULL"
    ") WITH (toast_tuple_target = 128)",
    "CREATE INDEX IF NOT EXISTS directory_vector_name ON directory_vector USING gin (name)",
    "CREATE INDEX IF NOT EXISTS directory_vector_competences ON directory_vector USING gin (competences)",
    "CREATE INDEX IF NOT EXISTS directory_vector_description ON directory_vector USING gin (description)",
]
POSTGRES_DOWN = ["DROP TABLE IF EXISTS directory_vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
