"""Five years of membership life: dues schedules, joins, tacit renewals, payments, lapses,
resignations, and this year's applications still waiting for a decision.

`plan_memberships` sets each organisation's timeline (no database); `memberships_run` replays
it in date order through the real services, so invoices are numbered as they were issued.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grappe.demo import vocabulary as words
from grappe.demo.identifiers import french_iban, siren_draw, siret_for, vat_for_siren
from grappe.demo.organisations import OrgPlan, Size
from grappe.members.models import (
    College,
    DecisionBody,
    FeeBand,
    FeeBasis,
    FeeSchedule,
    InvoiceStatus,
    Membership,
    MembershipStatus,
    Organisation,
)
from grappe.members.services import (
    invoice_cancel,
    invoice_mark_paid,
    membership_apply,
    membership_approve,
    membership_end,
    membership_refuse,
    membership_renew,
)
from grappe.members.services.invoices import cluster_profile

YEARS = 5
CLUSTER_FOUNDED = 2006  # nobody was a member before the cluster existed
UNPAID_SHARE = 0.12  # this year's renewals not paid yet


def window(year: int) -> list[int]:
    """The five years up to and including `year`."""
    return list(range(year - YEARS + 1, year + 1))


# --- the plan -------------------------------------------------------------------------------


def _plan_members(rng: random.Random, members: list[OrgPlan], size: Size, year: int) -> None:
    first = year - YEARS + 1
    forced = [p for p in members if p.founded >= first]
    others = [p for p in members if p.founded < first and not p.featured and p.kind != "large"]
    rng.shuffle(others)
    target = round(size.join_share * len(members))
    joiners = {p.key for p in forced + others[: max(0, target - len(forced))]}
    for plan in members:
        if plan.key in joiners:
            plan.member_since = plan.first_year = rng.randint(max(first, plan.founded), year)
        else:
            since = words.FEATURED.member_since if plan.featured else None
            low = max(plan.founded, CLUSTER_FOUNDED)
            plan.member_since = since or rng.randint(min(low, first - 1), first - 1)
            plan.first_year = first
        plan.last_year = year


def _plan_former(rng: random.Random, former: list[OrgPlan], year: int) -> None:
    first = year - YEARS + 1
    rng.shuffle(former)
    for index, plan in enumerate(former):
        plan.last_year = min(max(first + index % (YEARS - 1), plan.founded), year - 1)
        if plan.founded < first and rng.random() < 0.75:
            plan.member_since = rng.randint(max(plan.founded, CLUSTER_FOUNDED), first - 1)
            plan.first_year = first
        else:
            plan.member_since = plan.first_year = rng.randint(
                max(first, plan.founded), plan.last_year
            )
        # A lapse is an invoice never paid: a renewal's, not a newcomer's first one.
        lapses = index % 3 == 2 and plan.last_year != plan.member_since
        plan.ending = "lapsed" if lapses else "resigned"


def plan_memberships(rng: random.Random, plans: list[OrgPlan], size: Size, year: int) -> None:
    """Set every organisation's membership timeline: today's members, former members and the
    prospects whose application of this year is pending, approved or refused."""
    _plan_members(rng, [p for p in plans if p.group == "member"], size, year)
    _plan_former(rng, [p for p in plans if p.group == "former"], year)
    outcomes = [o for o, n in size.pending.items() for _ in range(n)]
    for plan, outcome in zip([p for p in plans if p.group == "prospect"], outcomes, strict=False):
        plan.pending = outcome


# --- schedules and the cluster's own details -----------------------------------------------


def fee_schedules_create(years: list[int]) -> list[FeeSchedule]:
    """DOMAIN.md's example dues: by turnover for firms, flat for research and other bodies."""
    million = Decimal(1_000_000)
    turnover_bands = [
        (Decimal(0), Decimal("0.5") * million, Decimal(220)),
        (Decimal("0.5") * million, 2 * million, Decimal(550)),
        (2 * million, 5 * million, Decimal(1100)),
        (5 * million, 10 * million, Decimal(1650)),
        (10 * million, None, Decimal(2200)),
    ]
    schedules = []
    for year in years:
        schedule, created = FeeSchedule.objects.get_or_create(
            year=year,
            defaults={
                "vat_rate": Decimal(20),
                "notes": f"Barème voté par l'assemblée générale de décembre {year - 1}.",
            },
        )
        if created:
            bands = [
                FeeBand(schedule=schedule, college=college, basis=FeeBasis.TURNOVER,
                        minimum=low, maximum=high, amount=amount)
                for college in (College.SME, College.LARGE)
                for low, high, amount in turnover_bands
            ] + [
                FeeBand(schedule=schedule, college=college, basis=FeeBasis.FLAT,
                        amount=Decimal(1100))
                for college in (College.RESEARCH, College.OTHER)
            ]  # fmt: skip
            FeeBand.objects.bulk_create(bands)
        schedules.append(schedule)
    return schedules


def cluster_profile_save(rng: random.Random) -> None:
    """The invented cluster's legal details, printed on every invoice."""
    profile = cluster_profile()
    siren = siren_draw(rng, set())
    spec = words.CLUSTER
    profile.name, profile.legal_name = spec.name, spec.legal_name
    profile.street, profile.postcode, profile.city = spec.street, spec.postcode, spec.city
    profile.siret, profile.vat_number = siret_for(siren), vat_for_siren(siren)
    profile.email, profile.bic = spec.email, spec.bic
    profile.iban = french_iban(*spec.bank)
    profile.payment_days = 30
    profile.resignation_deadline = "par lettre avant le 31 mars de l'année en cours"
    profile.full_clean()
    profile.save()


# --- replaying the timeline --------------------------------------------------------------


@dataclass(order=True)
class Event:
    on: dt.date
    rank: int
    action: Callable[[], None] = field(compare=False)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """`hour` o'clock on `day`, local time, but never later than now."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), timezone.now())


def board_meeting(after: dt.date) -> dt.date:
    """The board meets on the second Thursday of each month."""
    day = after
    while True:
        first = day.replace(day=1)
        thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7)
        if thursday >= after:
            return thursday
        day = (first + dt.timedelta(days=32)).replace(day=1)


class Timeline:
    """Turns each organisation's plan into dated service calls, then runs them in order."""

    def __init__(
        self,
        *,
        rng: random.Random,
        staff: Any,
        organisations: dict[str, Organisation],
        applicants: dict[str, Any],
        today: dt.date,
    ) -> None:
        self.rng, self.staff, self.orgs = rng, staff, organisations
        self.applicants, self.today = applicants, today
        self.events: list[Event] = []
        self.current: dict[tuple[str, int], Membership] = {}

    def add(self, on: dt.date, rank: int, action: Callable[[], None]) -> None:
        self.events.append(Event(min(on, self.today), rank, action))

    def day_in(self, year: int, start: int = 5, end: int = 310) -> dt.date:
        """A date of `year` between day `start` and day `end`, squeezed before today."""
        first = dt.date(year, 1, 1)
        last = min(first + dt.timedelta(days=end), self.today)
        low = min(first + dt.timedelta(days=start), last)
        return low + dt.timedelta(days=self.rng.randint(0, (last - low).days))

    def run(self) -> None:
        for event in sorted(self.events):
            event.action()

    # The building blocks -----------------------------------------------------------------

    def pay(self, key: str, year: int, on: dt.date, rank: int = 3) -> None:
        """Pay the year's invoice on `on` (a renewal's payment comes after the renewal of the
        same day, rank 2; a newcomer's after the admission, rank 4: give its rank)."""
        on = min(on, self.today)

        def action() -> None:
            invoice = self.current[(key, year)].invoice
            invoice_mark_paid(actor=self.staff, invoice=invoice, paid_on=on,
                              reference=f"VIR {on:%Y%m%d} {invoice.number}")  # fmt: skip

        self.add(on, rank, action)

    def first_recorded(self, plan: OrgPlan, year: int) -> None:
        """Members from before the window: their first recorded year, renewed on paper."""
        applied = dt.date(year - 1, 12, self.rng.randint(1, 15))

        def action() -> None:
            membership = membership_apply(
                actor=self.staff, organisation=self.orgs[plan.key], year=year,
                start=dt.date(year, 1, 1), applied_at=at(applied),
                motivation=f"Renouvellement de l'adhésion (adhérent depuis {plan.member_since}).",
            )  # fmt: skip
            self.current[(plan.key, year)] = membership_approve(
                actor=self.staff, membership=membership, body=DecisionBody.STAFF,
                note="Renouvellement de l'adhésion.", decided_at=at(dt.date(year, 1, 2), 9),
                issued_on=dt.date(year, 1, 2),
            )  # fmt: skip

        self.add(dt.date(year, 1, 2), 1, action)

    def renew(self, plan: OrgPlan, year: int) -> None:
        """The tacit renewal run on the first working day of the year."""
        on = min(dt.date(year, 1, 2), self.today)

        def action() -> None:
            previous = self.current[(plan.key, year - 1)]
            self.current[(plan.key, year)] = membership_renew(
                actor=self.staff, membership=previous, on=on
            )

        self.add(on, 2, action)

    def join(
        self,
        plan: OrgPlan,
        year: int,
        *,
        paid: bool = True,
        actor: Any = None,
        applied: dt.date | None = None,
    ) -> None:
        """Apply, be admitted by the board (monthly), then pay the invoice."""
        applied = applied or self.day_in(year, 8, 270)
        decided = min(board_meeting(applied + dt.timedelta(days=7)), self.today)
        body = DecisionBody.BOARD if decided < self.today else DecisionBody.STAFF
        note = (
            f"Admission votée par le bureau du {decided:%d/%m/%Y}."
            if body == DecisionBody.BOARD
            else "Admission prononcée par l'équipe sur délégation du bureau."
        )
        motivation = self.rng.choice(words.MOTIVATIONS_FR)

        def action() -> None:
            membership = membership_apply(
                actor=actor or self.staff, organisation=self.orgs[plan.key], year=year,
                start=applied, applied_at=at(applied), motivation=motivation,
            )  # fmt: skip
            self.current[(plan.key, year)] = membership_approve(
                actor=self.staff, membership=membership, body=body,
                note=note, decided_at=at(decided, 18), issued_on=decided,
            )  # fmt: skip

        self.add(applied, 4, action)
        if paid:  # on the day of the admission at the earliest (when the demo is loaded then)
            self.pay(plan.key, year, decided + dt.timedelta(days=self.rng.randint(6, 40)), rank=4)

    def end(self, plan: OrgPlan, year: int) -> None:
        if plan.ending == "lapsed":
            on = dt.date(year, 6, 30)
            reason = "Cotisation impayée malgré trois relances."
            status = MembershipStatus.LAPSED
        else:
            letter = dt.date(year, 9, 1) + dt.timedelta(days=self.rng.randint(0, 80))
            on = dt.date(year, 12, 31)
            reason = (
                f"Lettre de démission reçue le {letter:%d/%m/%Y}. "
                f"{self.rng.choice(words.RESIGNATION_REASONS)}"
            )
            status = MembershipStatus.RESIGNED

        def action() -> None:
            membership = membership_end(actor=self.staff, membership=self.current[(plan.key, year)],
                                        status=status, on=on, reason=reason)  # fmt: skip
            invoice = getattr(membership, "invoice", None)
            if (
                status == MembershipStatus.LAPSED
                and invoice
                and invoice.status == InvoiceStatus.ISSUED
            ):
                # An unpaid invoice is not left open for years: a credit note cancels it.
                invoice_cancel(actor=self.staff, invoice=invoice, reason="Adhésion non renouvelée",
                               issued_on=min(on, self.today))  # fmt: skip

        self.add(on, 5, action)

    # One organisation's whole story --------------------------------------------------------

    def organisation(self, plan: OrgPlan, year_now: int) -> None:
        if plan.pending:
            self.pending(plan, year_now)
            return
        if plan.first_year is None or plan.last_year is None:
            return
        for year in range(plan.first_year, plan.last_year + 1):
            lapsing = plan.ending == "lapsed" and year == plan.last_year
            if year == plan.member_since:
                self.join(plan, year)
            elif year == plan.first_year:
                self.first_recorded(plan, year)
            else:
                self.renew(plan, year)
            if year != plan.member_since and not lapsing:
                self.renewal_payment(plan, year, year_now)
        if plan.ending:
            self.end(plan, plan.last_year)

    def renewal_payment(self, plan: OrgPlan, year: int, year_now: int) -> None:
        paid_on = dt.date(year, 1, 2) + dt.timedelta(days=self.rng.randint(8, 85))
        late = self.rng.random() < UNPAID_SHARE
        if year == year_now and (late or paid_on > self.today):
            return
        self.pay(plan.key, year, paid_on)

    def pending(self, plan: OrgPlan, year: int) -> None:
        """This year's applications: waiting for the board, admitted but unpaid, refused."""
        actor = self.applicants.get(plan.key)
        if plan.pending == "approved":
            applied = self.today - dt.timedelta(days=self.rng.randint(25, 60))
            self.join(
                plan, year, paid=False, actor=actor, applied=max(applied, dt.date(year, 1, 1))
            )
            return
        applied = max(self.today - dt.timedelta(days=self.rng.randint(3, 45)), dt.date(year, 1, 1))
        motivation = self.rng.choice(words.MOTIVATIONS_FR)

        def action() -> None:
            membership = membership_apply(
                actor=actor or self.staff, organisation=self.orgs[plan.key], year=year,
                start=applied, applied_at=at(applied), motivation=motivation,
            )  # fmt: skip
            if plan.pending == "refused":
                membership_refuse(
                    actor=self.staff, membership=membership,
                    note="Activité hors du périmètre du pôle ; le bureau vous invite à suivre "
                    "nos événements ouverts et à renouveler votre demande l'an prochain.",
                )  # fmt: skip

        self.add(applied, 4, action)


def memberships_run(
    *,
    rng: random.Random,
    staff: Any,
    plans: list[OrgPlan],
    organisations: dict[str, Organisation],
    applicants: dict[str, Any],
    today: dt.date,
) -> None:
    """Replay every organisation's planned membership years through the services."""
    timeline = Timeline(
        rng=rng, staff=staff, organisations=organisations, applicants=applicants, today=today
    )
    for plan in plans:
        timeline.organisation(plan, today.year)
    timeline.run()
