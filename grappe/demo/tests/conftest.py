"""The full demo is loaded once per test module that asks for it, and rolled back after."""

from __future__ import annotations

import pytest

from grappe.demo.tests.support import demo_in_transaction


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker):
    """The full demo cluster (its first part: organisations, people, memberships; the events
    and projects parts have their own tests on the small demo), loaded in a transaction that
    the module's tests share (each test runs in a savepoint inside it), rolled back after."""
    with demo_in_transaction(django_db_blocker, size="full", parts={"cluster"}) as summary:
        yield summary
