"""The portfolio of labelled projects: by year, scheme, market and technology; budgets, aid
requested and obtained, the funding success rate, and who took part. Each read is one
aggregate query, whatever the number of projects.

Definitions (docs/LABELLING.md, docs/FIGURES.md):

- a project is **labelled in year Y** when a full proposal received the decision "labelled" or
  "labelled with reservations" in Y (its decision date); support letters are counted apart;
  opinions on pre-proposals are not labels;
- **budget** is the file's total budget; **aid requested** the sum of the partners' requested
  aid; **aid obtained** the sum of the aid the partners obtained (recorded with the outcome);
- the **success rate** is funded / (funded + not funded) among labelled projects whose outcome
  is known (a withdrawal is not counted);
- a partner is a **member** when its organisation held a membership for the year of the
  decision; **SMEs** are start-ups and SMEs (or a declared size below 250); **labs** are labs,
  universities and technical centres.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language

from grappe.insights.figures import euros
from grappe.members.models import RESEARCH_KINDS, Membership, MembershipStatus, OrgKind, SizeClass
from grappe.projects.models import Decision, FundingScheme, LabellingRequest, Partner, Stage

LABELS = (Decision.LABELLED, Decision.LABELLED_RESERVATIONS)
HELD = [
    MembershipStatus.APPROVED,
    MembershipStatus.ACTIVE,
    MembershipStatus.LAPSED,
    MembershipStatus.RESIGNED,
    MembershipStatus.EXCLUDED,
]
SME_Q = Q(kind__in=[OrgKind.STARTUP, OrgKind.SME], size_class="") | Q(
    kind__in=[OrgKind.STARTUP, OrgKind.SME, OrgKind.MIDSIZE, OrgKind.LARGE],
    size_class__in=[SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM],
)


def labelled_q(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}decision__in": LABELS,
            f"{prefix}stage": Stage.FULL,
            f"{prefix}decided_at__isnull": False,
        }
    )


@dataclass
class Totals:
    labelled: int = 0
    support_letters: int = 0
    budget: Decimal = Decimal(0)
    requested: Decimal = Decimal(0)
    obtained: Decimal = Decimal(0)
    funded: int = 0
    not_funded: int = 0

    def add(self, other: Totals) -> None:
        for name in (
            "labelled", "support_letters", "budget", "requested", "obtained", "funded",
            "not_funded",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def success_rate(self) -> Decimal | None:
        from grappe.insights.figures import percent

        return percent(self.funded, self.funded + self.not_funded)


def _year_range(years: tuple[int, ...]) -> Q:
    return Q(decided_at__year__gte=min(years), decided_at__year__lte=max(years))


def totals_by_year_and_scheme(years: tuple[int, ...]) -> dict[tuple[int, str], Totals]:
    """(year, scheme) → totals, in two queries (the files, then their partners)."""
    result: dict[tuple[int, str], Totals] = defaultdict(Totals)
    decided = LabellingRequest.objects.filter(_year_range(years), decided_at__isnull=False)
    rows = (
        decided.annotate(year=ExtractYear("decided_at"))
        .values("year", "scheme")
        .annotate(
            labelled=Count("pk", filter=labelled_q()),
            letters=Count("pk", filter=Q(decision=Decision.SUPPORT_LETTER)),
            budget=Sum("total_budget", filter=labelled_q()),
            funded=Count("pk", filter=labelled_q() & Q(outcome="funded")),
            not_funded=Count("pk", filter=labelled_q() & Q(outcome="not_funded")),
        )
        .order_by()
    )
    for row in rows:
        totals = result[(row["year"], row["scheme"])]
        totals.labelled = row["labelled"]
        totals.support_letters = row["letters"]
        totals.budget = euros(row["budget"]) or Decimal(0)
        totals.funded = row["funded"]
        totals.not_funded = row["not_funded"]
    aid = (
        Partner.objects.filter(labelled_q("request__"))
        .filter(
            request__decided_at__year__gte=min(years), request__decided_at__year__lte=max(years)
        )
        .annotate(year=ExtractYear("request__decided_at"))
        .values("year", "request__scheme")
        .annotate(requested=Sum("requested_aid"), obtained=Sum("obtained_aid"))
        .order_by()
    )
    for row in aid:
        totals = result[(row["year"], row["request__scheme"])]
        totals.requested = euros(row["requested"]) or Decimal(0)
        totals.obtained = euros(row["obtained"]) or Decimal(0)
    return result


def by_year(per_scheme: dict[tuple[int, str], Totals], years: tuple[int, ...]) -> dict[int, Totals]:
    result = {year: Totals() for year in years}
    for (year, _scheme), totals in per_scheme.items():
        if year in result:
            result[year].add(totals)
    return result


def by_scheme(per_scheme: dict[tuple[int, str], Totals]) -> dict[str, Totals]:
    result: dict[str, Totals] = defaultdict(Totals)
    for (_year, scheme), totals in per_scheme.items():
        result[scheme].add(totals)
    return result


def scheme_rows(per_scheme_year: dict[tuple[int, str], Totals]) -> list[tuple[str, str, Totals]]:
    """(code, label, totals) for each scheme with a labelled project or a letter, in the
    order of the schemes."""
    totals = by_scheme(per_scheme_year)
    return [
        (code, str(label), totals[code])
        for code, label in FundingScheme.choices
        if code in totals and (totals[code].labelled or totals[code].support_letters)
    ]


def labelled_by_competence(years: tuple[int, ...], facet: str) -> list[tuple[str, dict[int, int]]]:
    """(competence name, {year: labelled projects}) for one facet, most frequent first."""
    through = LabellingRequest.competences.through
    rows = (
        through.objects.filter(labelled_q("labellingrequest__"), competence__facet=facet)
        .filter(
            labellingrequest__decided_at__year__gte=min(years),
            labellingrequest__decided_at__year__lte=max(years),
        )
        .annotate(year=ExtractYear("labellingrequest__decided_at"))
        .values("competence_id", "competence__name_fr", "competence__name_en", "year")  # type: ignore[misc]
        .annotate(n=Count("labellingrequest_id", distinct=True))
        .order_by()
    )
    english = (get_language() or "fr").startswith("en")
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    for row in rows:
        names[row["competence_id"]] = (
            row["competence__name_en"] if english else row["competence__name_fr"]
        )
        counts[row["competence_id"]][row["year"]] = row["n"]
    ordered = sorted(counts, key=lambda pk: (-sum(counts[pk].values()), names[pk]))
    return [(names[pk], counts[pk]) for pk in ordered]


@dataclass
class Involvement:
    partnerships: int = 0
    organisations: int = 0
    platform: int = 0
    members: int = 0
    non_members: int = 0
    smes: int = 0
    labs: int = 0


def partner_involvement(years: tuple[int, ...]) -> dict[int, Involvement]:
    """Per year of decision: partnerships in labelled projects and who they are (one query)."""
    member_then = Exists(
        Membership.objects.filter(
            organisation=OuterRef("organisation"), year=OuterRef("year"), status__in=HELD
        )
    )
    rows = (
        Partner.objects.filter(labelled_q("request__"))
        .filter(
            request__decided_at__year__gte=min(years), request__decided_at__year__lte=max(years)
        )
        .annotate(year=ExtractYear("request__decided_at"))
        .annotate(member=member_then)
        .values("year")
        .annotate(
            partnerships=Count("pk"),
            organisations=Count("organisation", distinct=True),
            platform=Count("pk", filter=Q(organisation__isnull=False)),
            members=Count("pk", filter=Q(member=True)),
            smes=Count("pk", filter=SME_Q),
            labs=Count("pk", filter=Q(kind__in=RESEARCH_KINDS)),
        )
        .order_by()
    )
    result = {year: Involvement() for year in years}
    for row in rows:
        year = row["year"]
        if year not in result:
            continue
        result[year] = Involvement(
            partnerships=row["partnerships"],
            organisations=row["organisations"],
            platform=row["platform"],
            members=row["members"],
            non_members=row["partnerships"] - row["members"],
            smes=row["smes"],
            labs=row["labs"],
        )
    return result


def labelled_list(years: tuple[int, ...]) -> QuerySet[LabellingRequest]:
    """Staff: the labelled projects of the years, by name (one query)."""
    return (
        LabellingRequest.objects.filter(labelled_q(), _year_range(years))
        .select_related("project", "session", "project__lead")
        .annotate(requested=Sum("partners__requested_aid"), obtained=Sum("partners__obtained_aid"))
        .order_by("-decided_at", "project__acronym")
    )


@dataclass
class Portfolio:
    years: tuple[int, ...]
    per_year: dict[int, Totals]
    per_scheme: list[tuple[str, str, Totals]]  # code, label, totals
    total: Totals
    markets: list[tuple[str, dict[int, int]]]
    technologies: list[tuple[str, dict[int, int]]]
    involvement: dict[int, Involvement]
    projects: list[Any] = field(default_factory=list)


def portfolio_years(year: int | None = None, span: int = 5) -> tuple[int, ...]:
    last = min(year or timezone.localdate().year, timezone.localdate().year)
    return tuple(range(last - span + 1, last + 1))


def portfolio_for(*, year: int | None = None) -> Portfolio:
    """The staff portfolio of the five years up to `year` (this year by default)."""
    years = portfolio_years(year)
    per_scheme_year = totals_by_year_and_scheme(years)
    per_year = by_year(per_scheme_year, years)
    total = Totals()
    for totals in per_year.values():
        total.add(totals)
    return Portfolio(
        years=years,
        per_year=per_year,
        per_scheme=scheme_rows(per_scheme_year),
        total=total,
        markets=labelled_by_competence(years, "market"),
        technologies=labelled_by_competence(years, "technology"),
        involvement=partner_involvement(years),
        projects=list(labelled_list(years)),
    )
