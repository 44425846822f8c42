"""Reads of the back office: what needs doing, and the staff's lists with their filters.

Every list is a queryset whose joins and prefetches are decided here, so that a page costs the
same few queries whatever its size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    College,
    Consent,
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    Membership,
    MembershipStatus,
    Organisation,
    Person,
)
from grappe.members.selectors import active_membership_q, affiliation_current_q

S = MembershipStatus
STALE_REQUEST_DAYS = 7
CURRENT = [S.ACTIVE, S.APPROVED]


class MemberStatus:
    """An organisation's standing today, as staff filter the organisations list by it."""

    MEMBER = "member"
    APPLIED = "applied"
    APPROVED = "approved"
    FORMER = "former"
    NEVER = "never"


@dataclass(frozen=True)
class Totals:
    count: int
    net: Decimal
    vat: Decimal
    gross: Decimal


def _totals(qs: QuerySet[Invoice]) -> Totals:
    zero = Decimal("0.00")
    row = qs.aggregate(
        count=Count("pk"), net=Sum("amount_net"), vat=Sum("vat_amount"), gross=Sum("amount_gross")
    )
    return Totals(row["count"], row["net"] or zero, row["vat"] or zero, row["gross"] or zero)


def not_renewed(year: int) -> QuerySet[Membership]:
    """Current memberships of `year` with no membership yet for the year after."""
    return Membership.objects.filter(
        year=year, status__in=CURRENT, renewed_by__isnull=True
    ).exclude(organisation__in=Membership.objects.filter(year=year + 1).values("organisation"))


def stale_affiliation_requests(now: dt.datetime | None = None) -> QuerySet[Affiliation]:
    """Requests to join an organisation left unanswered for more than a week."""
    now = now or timezone.now()
    return (
        Affiliation.objects.filter(
            status=AffiliationStatus.PENDING,
            created_at__lt=now - dt.timedelta(days=STALE_REQUEST_DAYS),
        )
        .select_related("person", "organisation")
        .order_by("created_at")
    )


def home_summary(today: dt.date | None = None) -> dict[str, Any]:
    """What the team has to do, from the oldest item: the back office's first page."""
    today = today or timezone.localdate()
    applications = Membership.objects.filter(status=S.APPLIED).select_related("organisation")
    unpaid = Invoice.objects.filter(status=InvoiceStatus.ISSUED)
    overdue = unpaid.filter(due_on__lt=today)
    stale = stale_affiliation_requests()
    counts = dict(
        Membership.objects.filter(year=today.year)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    summary: dict[str, Any] = {
        "today": today,
        "year": today.year,
        "applications": list(applications.order_by("applied_at", "pk")[:10]),
        "applications_count": applications.count(),
        "unpaid": _totals(unpaid),
        "overdue": _totals(overdue),
        "overdue_list": list(
            overdue.select_related("organisation").order_by("due_on", "number")[:10]
        ),
        "stale_requests": list(stale[:10]),
        "stale_requests_count": stale.count(),
        "status_counts": [(status, label, counts.get(status, 0)) for status, label in S.choices],
        "members_count": counts.get(S.ACTIVE, 0),
        "not_renewed_count": None,
        "next_schedule": FeeSchedule.objects.filter(year=today.year + 1).exists(),
    }
    if today.month == 12:
        summary["not_renewed_count"] = not_renewed(today.year).count()
    return summary


def membership_list(
    *, year: int | None = None, status: str = "", college: str = "", q: str = ""
) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("organisation", "invoice")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if college:
        qs = qs.filter(college=college)
    if q:
        qs = qs.filter(
            Q(organisation__name__icontains=q) | Q(organisation__legal_name__icontains=q)
        )
    return qs.order_by("-year", "organisation__name", "pk")


def membership_years() -> list[int]:
    years = set(Membership.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def membership_get(pk: int) -> Membership:
    return Membership.objects.select_related(
        "organisation", "applied_by", "decided_by", "invoice", "renewal_of"
    ).get(pk=pk)


def invoice_list(
    *,
    year: int | None = None,
    status: str = "",
    overdue: bool = False,
    q: str = "",
    today: dt.date | None = None,
) -> QuerySet[Invoice]:
    today = today or timezone.localdate()
    qs = Invoice.objects.select_related("organisation", "membership", "credit_note")
    if year:
        qs = qs.filter(issued_on__year=year)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=InvoiceStatus.ISSUED, due_on__lt=today)
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(organisation__legal_name__icontains=q)
        )
    return qs.order_by("-issued_on", "-number")


def invoice_totals(qs: QuerySet[Invoice]) -> dict[str, Totals]:
    """Totals of a filtered list: all, paid and still to be paid."""
    return {
        "all": _totals(qs),
        "paid": _totals(qs.filter(status=InvoiceStatus.PAID)),
        "unpaid": _totals(qs.filter(status=InvoiceStatus.ISSUED)),
    }


def invoice_years() -> list[int]:
    years = {d.year for d in Invoice.objects.dates("issued_on", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def schedule_table(schedule: FeeSchedule) -> list[dict[str, Any]]:
    """One row per collège, its bands from the lowest, for the schedule's table."""
    bands = sorted(schedule.bands.all(), key=lambda b: (b.college, b.minimum))
    return [
        {
            "college": value,
            "label": label,
            "bands": [b for b in bands if b.college == value],
        }
        for value, label in College.choices
    ]


def organisation_list(
    *,
    q: str = "",
    kind: str = "",
    college: str = "",
    member: str = "",
    today: dt.date | None = None,
) -> QuerySet[Organisation]:
    """Organisations with their standing this year, for the staff's list."""
    today = today or timezone.localdate()
    memberships = Membership.objects.filter(organisation=OuterRef("pk"))
    qs = Organisation.objects.annotate(
        is_member=Exists(memberships.filter(active_membership_q(today))),
        year_status=Subquery(memberships.filter(year=today.year).values("status")[:1]),
        has_memberships=Exists(memberships),
    )
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(legal_name__icontains=q) | Q(siren__startswith=q.strip())
        )
    if kind:
        qs = qs.filter(kind=kind)
    if college:
        qs = qs.filter(Q(college_override=college) | Q(college_override="", college=college))
    qs = {
        MemberStatus.MEMBER: qs.filter(is_member=True),
        MemberStatus.APPLIED: qs.filter(year_status=S.APPLIED),
        MemberStatus.APPROVED: qs.filter(year_status=S.APPROVED),
        MemberStatus.FORMER: qs.filter(is_member=False, has_memberships=True),
        MemberStatus.NEVER: qs.filter(has_memberships=False),
    }.get(member, qs)
    return qs.order_by("name", "pk")


def person_list(
    *, q: str = "", member: str = "", role: str = "", kind: str = "", today: dt.date | None = None
) -> QuerySet[Person]:
    """People with their login and their current organisations (prefetched)."""
    today = today or timezone.localdate()
    current = Affiliation.objects.filter(affiliation_current_q(today))
    member_of = current.filter(
        person=OuterRef("pk"),
        organisation__in=Membership.objects.filter(active_membership_q(today)).values(
            "organisation"
        ),
    )
    qs = (
        Person.objects.select_related("user")
        .annotate(is_member=Exists(member_of))
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=current.select_related("organisation").order_by("-is_admin", "start"),
                to_attr="current_affiliations",
            )
        )
    )
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(user__email__icontains=word)
            )
    if member == "yes":
        qs = qs.filter(is_member=True)
    elif member == "no":
        qs = qs.filter(is_member=False)
    qs = {
        "staff": qs.filter(user__is_staff=True),
        "expert": qs.filter(user__is_expert=True),
        "login": qs.filter(user__isnull=False),
        "no_login": qs.filter(user__isnull=True),
    }.get(role, qs)
    if kind:
        qs = qs.filter(Exists(current.filter(person=OuterRef("pk"), organisation__kind=kind)))
    return qs.order_by("last_name", "first_name", "pk")


def person_get(pk: int) -> Person:
    return Person.objects.select_related("user").get(pk=pk)


def person_detail(person: Person) -> dict[str, Any]:
    """Everything staff see on a person's page: affiliations, consents, login and roles."""
    affiliations = person.affiliations.select_related("organisation").order_by("-start", "pk")
    consents = list(Consent.objects.filter(person=person).order_by("channel", "-at", "-id"))
    in_force: dict[str, Consent] = {}
    for consent in consents:
        in_force.setdefault(consent.channel, consent)
    email_addresses = []
    mfa = False
    if person.user_id:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        email_addresses = list(EmailAddress.objects.filter(user_id=person.user_id))
        mfa = Authenticator.objects.filter(user_id=person.user_id).exists()
    return {
        "person": person,
        "affiliations": list(affiliations),
        "consents": consents,
        "consents_in_force": in_force,
        "email_addresses": email_addresses,
        "mfa": mfa,
    }


def affiliation_requests() -> QuerySet[Affiliation]:
    """Every request to join an organisation still unanswered, oldest first."""
    return (
        Affiliation.objects.filter(status=AffiliationStatus.PENDING)
        .select_related("person", "organisation")
        .order_by("created_at", "pk")
    )
