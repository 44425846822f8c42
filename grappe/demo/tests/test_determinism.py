"""The demo is the same every time: the plan without a database, the data with one."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from grappe.demo.figures import plan_figures
from grappe.demo.load import demo_fingerprint, load_demo, rng_for
from grappe.demo.memberships import plan_memberships
from grappe.demo.organisations import SIZES, plan_organisations
from grappe.demo.people import plan_people
from grappe.members.models import Organisation


class Rollback(Exception):
    pass


def full_plan() -> str:
    today = timezone.localdate()
    organisations = plan_organisations(rng_for("organisations", "full"), SIZES["full"], today.year)
    plan_memberships(rng_for("memberships", "full"), organisations, SIZES["full"], today.year)
    people = plan_people(rng_for("people", "full"), organisations, today, 6)
    series = plan_figures(rng_for("figures", "full"), organisations, today.year)
    return repr((organisations, people, [(s.turnover, s.export, s.rnd) for s in series]))


def test_the_full_plan_is_the_same_every_time():
    # when the full demo is planned twice
    first, second = full_plan(), full_plan()
    # then both plans are identical, down to every figure
    assert first == second
    assert "Azur Optronique" in first


def _load_and_fingerprint() -> tuple[str, int]:
    try:
        with transaction.atomic():
            load_demo(size="small")
            result = demo_fingerprint(), Organisation.objects.count()
            raise Rollback
    except Rollback:
        return result


@pytest.mark.django_db
def test_two_loads_into_fresh_databases_give_the_same_data():
    # when the small demo is loaded into an empty database twice
    first, organisations = _load_and_fingerprint()
    assert Organisation.objects.count() == 0
    second, _ = _load_and_fingerprint()
    # then names, identifiers, figures, memberships, invoices and people are the same
    assert first == second
    assert organisations == 39


@pytest.mark.django_db
def test_no_mail_leaves_while_loading(mailoutbox, django_capture_on_commit_callbacks):
    # when the small demo is loaded inside a caller's transaction whose callbacks then run
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        summary = load_demo(size="small")
    # then the services' mail was never queued for after the commit, and none was sent
    assert summary.members == 30
    assert callbacks == []
    assert mailoutbox == []
