"""The published price list: which price of a ticket is in force on a day, and whether a
person may take a ticket. Eligibility is decided here, on the server, against the
organisation's membership on the day of the event; the forms only show what it says."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.i18n import date_format
from grappe.core.permissions import is_staff
from grappe.events.models import Event, Price, PriceCategory, TicketCategory
from grappe.members.models import (
    RESEARCH_KINDS,
    Affiliation,
    Membership,
    MembershipStatus,
    Organisation,
    OrgKind,
    Person,
)
from grappe.members.selectors import (
    active_membership_q,
    affiliation_current_q,
    organisation_is_member,
)

# A student price needs an affiliation to a place of study or research.
STUDENT_KINDS = {OrgKind.UNIVERSITY, OrgKind.LAB}
# A later membership record in one of these states stops the tacit renewal.
ENDED = {
    MembershipStatus.REFUSED,
    MembershipStatus.LAPSED,
    MembershipStatus.RESIGNED,
    MembershipStatus.EXCLUDED,
}


def event_day(event: Event) -> dt.date:
    """The day the event starts, in its own time zone (a mission abroad starts on its day)."""
    try:
        zone = zoneinfo.ZoneInfo(event.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_current_timezone()  # type: ignore[assignment]
    return event.starts_at.astimezone(zone).date()


def price_in_force(ticket: TicketCategory, on: dt.date) -> Price | None:
    """The ticket's price on day `on`, or None when none applies.

    When two prices apply on one day (an early-bird price with dates and the standard price
    without), the dated one wins; among dated ones, the one that ends first. Reads
    `ticket.prices.all()`, so a prefetched price list costs no query."""
    candidates = [
        price
        for price in ticket.prices.all()
        if (price.valid_from is None or price.valid_from <= on)
        and (price.valid_until is None or on <= price.valid_until)
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda p: (
            p.valid_until is None,
            p.valid_until or dt.date.max,
            -(p.valid_from or dt.date.min).toordinal(),
            p.pk or 0,
        ),
    )


def organisation_member_on(
    organisation: Organisation, day: dt.date, today: dt.date | None = None
) -> bool:
    """Whether `organisation` is a member on `day`.

    Memberships are yearly and renewed tacitly: for a day after the end of the current
    membership (an event next January booked in November), an organisation whose membership
    is active today and has not been ended (no resignation, exclusion or lapse recorded)
    counts as a member, unless a later record for that period says it ended or was refused.
    Only the next membership year is assumed this way."""
    today = today or timezone.localdate()
    if organisation_is_member(organisation, on=day):
        return True
    if day <= today:
        return False
    current = (
        Membership.objects.filter(
            active_membership_q(today), organisation=organisation, ended_at__isnull=True
        )
        .filter(end__lt=day)
        .order_by("-end")
        .first()
    )
    if current is None or day.year > current.end.year + 1:
        return False
    return not Membership.objects.filter(
        Q(start__gt=current.end) & Q(start__lte=day), organisation=organisation, status__in=ENDED
    ).exists()


def _is_contact(person: Person, organisation: Organisation) -> bool:
    return Affiliation.objects.filter(
        affiliation_current_q(timezone.localdate()), person=person, organisation=organisation
    ).exists()


def _not_contact(person: Person, organisation: Organisation) -> str:
    return _("%(person)s is not a current contact of %(organisation)s.") % {
        "person": person.full_name,
        "organisation": organisation.name,
    }


def ticket_eligibility(
    *,
    ticket: TicketCategory,
    person: Person,
    organisation: Organisation | None,
    event: Event,
    student: bool = False,
    actor: Any = None,
) -> str | None:
    """None when `person` (coming for `organisation`) may take `ticket`, else the reason in
    the current language. Staff may put people on invitation-only tickets; every other rule
    holds for staff too."""
    if ticket.invitation_only or ticket.category == PriceCategory.GUEST:
        if is_staff(actor):
            return None
        return _("This ticket is by invitation: the cluster's team registers speakers and guests.")
    if ticket.category == PriceCategory.MEMBER:
        return _member_reason(person, organisation, event)
    if ticket.category == PriceCategory.ACADEMIC:
        if organisation is None:
            return _(
                "The academic price is for people of a research or education organisation: "
                "choose your organisation."
            )
        if not _is_contact(person, organisation):
            return _not_contact(person, organisation)
        if organisation.kind not in RESEARCH_KINDS:
            return _(
                "%(organisation)s is not a research or education organisation: the academic "
                "price does not apply."
            ) % {"organisation": organisation.name}
        return None
    if ticket.category == PriceCategory.STUDENT:
        if not student:
            return _("Declare that you are a student to take the student price.")
        if organisation is None or organisation.kind not in STUDENT_KINDS:
            return _(
                "The student price needs an affiliation to a university or a lab: choose it "
                "as your organisation."
            )
        if not _is_contact(person, organisation):
            return _not_contact(person, organisation)
        return None
    return None


def _member_reason(person: Person, organisation: Organisation | None, event: Event) -> str | None:
    if organisation is None:
        return _(
            "The member price is for contacts of a member organisation: choose your organisation."
        )
    if not _is_contact(person, organisation):
        return _not_contact(person, organisation)
    day = event_day(event)
    if not organisation_member_on(organisation, day):
        return _(
            "%(organisation)s is not a member of the cluster on %(date)s, the day of the "
            "event: the member price does not apply."
        ) % {"organisation": organisation.name, "date": date_format(day, "DATE_FORMAT")}
    return None
