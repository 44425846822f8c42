"""The full demo is loaded once per test module that asks for it, and rolled back after."""

from __future__ import annotations

import pytest
from django.db import transaction

from grappe.demo.load import load_demo


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker):
    """The full demo cluster (its first part: organisations, people, memberships; the events
    and projects parts have their own tests on the small demo), loaded in a transaction that the module's tests share (each test
    runs in a savepoint inside it) and that is rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo(size="full", parts={"cluster"})
        yield summary
        transaction.set_rollback(True)
