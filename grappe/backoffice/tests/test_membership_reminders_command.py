"""`manage.py membership_reminders`, run daily by cron."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_the_command_sends_the_days_reminders_and_says_how_many(
    mailoutbox, django_capture_on_commit_callbacks
):
    # given an active 2026 membership whose administrator is to be reminded on 1 December
    organisation = OrganisationFactory()
    AffiliationFactory(
        organisation=organisation, is_admin=True, person=PersonFactory(email="a@x.example")
    )
    MembershipFactory(organisation=organisation, year=2026)
    out = StringIO()
    # when the command runs as if on 1 December 2026
    with django_capture_on_commit_callbacks(execute=True):
        call_command("membership_reminders", "--date", "2026-12-01", stdout=out)
    # then the reminder is sent and counted
    assert out.getvalue().strip() == "Renewal reminders: 1; unpaid invoice reminders: 0."
    assert [mail.to for mail in mailoutbox] == [["a@x.example"]]


def test_the_command_runs_for_today_by_default(monkeypatch):
    seen = {}

    def fake(*, today=None):
        seen["today"] = today
        return {"renewal": 0, "unpaid": 0}

    monkeypatch.setattr(
        "grappe.members.management.commands.membership_reminders.membership_send_reminders", fake
    )
    call_command("membership_reminders", stdout=StringIO())
    assert seen == {"today": None}


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="2026-13-01"):
        call_command("membership_reminders", "--date", "2026-13-01")


def test_the_help_says_it_runs_daily_from_cron():
    from grappe.members.management.commands.membership_reminders import Command

    assert "once a day" in Command.help
    assert "cron" in Command.help
