"""Loading the demo for a test module."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import transaction

from grappe.demo.load import DemoSummary, load_demo


def ensure_shipped_data() -> None:
    """The data migrations' rows — the competence taxonomy, the funding schemes' eligibility
    rules — again, when a transactional test (the browser's live server) flushed them; and
    the search engine's own table emptied, which a flush leaves (SQLite's FTS5 table is not
    Django's: its rows would match organisations created later under the same ids)."""
    from grappe.directory.engines import engine_for
    from grappe.members.models import Competence, Organisation
    from grappe.members.services.taxonomy import taxonomy_load
    from grappe.projects.models import EligibilityRule

    if not Competence.objects.exists():
        taxonomy_load()
        if not Organisation.objects.exists():
            engine_for().clear()
    if not EligibilityRule.objects.exists():
        importlib.import_module("grappe.projects.migrations.0002_eligibility_rules").load(
            apps, None
        )


@contextmanager
def demo_in_transaction(django_db_blocker: Any, **load: Any) -> Iterator[DemoSummary]:
    """The demo loaded in a transaction that a test module's tests share (each runs in a
    savepoint inside it), rolled back when the module is done. Module fixtures are set up
    before the function fixtures that restore the shipped data: this does it first."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_shipped_data()
        yield load_demo(**load)
        transaction.set_rollback(True)
