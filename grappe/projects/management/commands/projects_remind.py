"""`manage.py projects_remind`: remind experts of what they owe — invitations unanswered for
three days, reviews due within seven days or overdue — never twice within three days for one
assignment, one mail per expert. Run it from cron once a day (see docs/EXPERTS.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from grappe.projects.services.reviews import reviews_send_reminders


class Command(BaseCommand):
    help = "Remind experts of unanswered invitations and of reviews due soon or overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reviews_send_reminders()
        if options["verbosity"]:
            self.stdout.write(
                ngettext("%(count)d expert reminded.", "%(count)d experts reminded.", sent)
                % {"count": sent}
            )
