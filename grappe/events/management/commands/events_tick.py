"""`manage.py events_tick`: expire the seats offered from a waitlist whose deadline has
passed and offer the freed seats to the next people in line. Run it from cron every few
minutes (see docs/EVENTS.md); every registration service does the same for its own event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from grappe.events.services.registrations import offers_expire


class Command(BaseCommand):
    help = "Expire the waitlist offers past their deadline and offer the seats to the next people."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = offers_expire()
        if options["verbosity"]:
            self.stdout.write(f"{expired} expired offer(s) processed.")
