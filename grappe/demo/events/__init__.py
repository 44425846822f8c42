"""The demo cluster's events: five years of conferences, workshops, webinars, trainings and
general assemblies, two trade fairs a year with the cluster's pavilion, a trade mission abroad
a year, and the coming season (to the end of next June), with their registrations.

`plan_events` draws the calendar from the seeded generator and today's date, without the
database. `load_events` writes it through the events services, each action at its own moment
(`now=`): the services check what they would have checked then (registration window, seats,
the member price against the organisation's membership on the event's day). Every action
happens before today's midnight, so that two loads on the same day give the same data
whatever the hour, and nothing happens in the future but registrations already made.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from grappe.demo.events.calendar import plan_events
from grappe.demo.events.writer import Writer
from grappe.events.models import (
    Event,
    ExhibitorApplication,
    MissionApplication,
    Price,
    Registration,
)

__all__ = ["events_fingerprint_rows", "load_events", "plan_events"]


def load_events(size: str, stdout: Any) -> list[tuple[str, str]]:
    """The demo part "events": the calendar, written through the services. No new login is
    printed (the contacts who apply for booths and missions get one, as if they signed up)."""
    from grappe.demo.load import rng_for

    today = timezone.localdate()
    rng = rng_for("events", size)
    plans = plan_events(rng, size, today)
    writer = Writer(rng, size, today)
    writer.run(plans)
    n = writer.counts.get
    kinds = ", ".join(
        f"{n('events.' + kind, 0)} {label}" for kind, label in (
            ("conference", "conferences"), ("workshop", "workshops"), ("webinar", "webinars"),
            ("training", "trainings"), ("general_assembly", "general assemblies"),
            ("trade_fair", "trade fairs"), ("trade_mission", "trade missions"),
        )
    )  # fmt: skip
    registrations = sum(v for k, v in writer.counts.items() if k.startswith("registrations."))
    lines = [
        (f"{len(plans)} events ({kinds}) with their price lists and programmes",
         writer.seconds["events"]),
        (f"{registrations} registrations ({n('registrations.waitlisted', 0)} waitlisted, "
         f"{n('cancellations', 0)} cancelled, {n('offers confirmed', 0)} freed seats taken), "
         f"{n('check-ins', 0)} check-ins", writer.seconds["registrations"]),
        (f"{n('exhibitor applications', 0)} exhibitor applications "
         f"({n('booths allocated', 0)} booths), {n('mission applications', 0)} trade-mission "
         f"applications ({n('mission selected', 0)} selected), {n('logins', 0)} logins of "
         f"applicants", writer.seconds["applications"]),
    ]  # fmt: skip
    if stdout is not None:
        for message, seconds in lines:
            stdout.write(f"  {message} ({seconds:.1f} s)\n")
    return []


def events_fingerprint_rows() -> list[Any]:
    """What the events part made, for `demo_fingerprint`: without database ids, ticket codes
    or the machine's timestamps (the moments the services record are the demo's own)."""
    rows: list[Any] = list(
        Event.objects.order_by("slug").values_list(
            "slug", "kind", "status", "visibility", "title_fr", "title_en", "starts_at",
            "ends_at", "capacity", "published_at", "cancelled_at",
        )
    )  # fmt: skip
    rows += list(
        Price.objects.order_by("ticket__event__slug", "ticket__position", "valid_from").values_list(
            "ticket__event__slug", "ticket__category", "amount", "valid_from", "valid_until"
        )
    )
    rows += list(
        Registration.objects.order_by("event__slug", "person__email", "status").values_list(
            "event__slug", "person__email", "organisation__slug", "ticket__category", "status",
            "amount", "confirmed_at", "waitlisted_at", "offered_at", "cancelled_at",
            "checked_in_at",
        )
    )  # fmt: skip
    rows += list(
        ExhibitorApplication.objects.order_by("pavilion__event__slug", "organisation__slug")
        .values_list("pavilion__event__slug", "organisation__slug", "status", "booth__label",
                     "decided_at")
    )  # fmt: skip
    rows += list(
        MissionApplication.objects.order_by("mission__event__slug", "organisation__slug")
        .values_list("mission__event__slug", "organisation__slug", "status", "cost", "cofunded",
                     "decided_at")
    )  # fmt: skip
    return rows
