"""Send the day's membership reminders; meant to run once a day from cron."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grappe.members.services import membership_send_reminders


class Command(BaseCommand):
    help = (
        "Send the day's membership reminders to the administrators of member organisations: "
        "on 1 and 15 December, the coming renewal of each active membership not yet renewed; "
        "every 15 days from the day after the due date, each unpaid invoice. Run it once a "
        "day, e.g. from cron: "
        "'30 7 * * * cd /srv/grappe && grappe membership_reminders'. "
        "Running it twice the same day sends the reminders twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up a missed day.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"--date: {options['date']!r} is not a YYYY-MM-DD date."
                ) from exc
        counts = membership_send_reminders(today=today)
        self.stdout.write(
            f"Renewal reminders: {counts['renewal']}; unpaid invoice reminders: {counts['unpaid']}."
        )
