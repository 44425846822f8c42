"""Reads about organisations, people and memberships; every later feature asks these."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    Competence,
    Membership,
    MembershipStatus,
    Organisation,
    Person,
    TaxonomyVersion,
)


def _today() -> dt.date:
    return timezone.localdate()


def active_membership_q(on: dt.date, prefix: str = "") -> Q:
    """The condition 'this membership is active on `on`', for use inside other queries."""
    return Q(
        **{
            f"{prefix}status": MembershipStatus.ACTIVE,
            f"{prefix}start__lte": on,
            f"{prefix}end__gte": on,
        }
    )


def affiliation_current_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": AffiliationStatus.CONFIRMED, f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


def organisation_is_member(organisation: Organisation, on: dt.date | None = None) -> bool:
    on = on or _today()
    return Membership.objects.filter(active_membership_q(on), organisation=organisation).exists()


def member_organisations(on: dt.date | None = None) -> QuerySet[Organisation]:
    on = on or _today()
    return Organisation.objects.filter(
        Exists(Membership.objects.filter(active_membership_q(on), organisation=OuterRef("pk")))
    )


def person_is_member(person: Person | None, on: dt.date | None = None) -> bool:
    """A person is a member on a date when one of their affiliations then is to an
    organisation with an active membership. Every feature asks this one function."""
    if person is None or person.pk is None:
        return False
    on = on or _today()
    return Affiliation.objects.filter(
        affiliation_current_q(on),
        person=person,
        organisation__in=Membership.objects.filter(active_membership_q(on)).values("organisation"),
    ).exists()


def user_person(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person  # type: ignore[no-any-return]
    except Person.DoesNotExist:
        return None


def user_is_member(user: Any, on: dt.date | None = None) -> bool:
    return person_is_member(user_person(user), on)


def user_organisations(user: Any, *, admin_only: bool = False) -> QuerySet[Organisation]:
    """Organisations the user is currently a confirmed contact of."""
    person = user_person(user)
    if person is None:
        return Organisation.objects.none()
    affiliations = Affiliation.objects.filter(affiliation_current_q(_today()), person=person)
    if admin_only:
        affiliations = affiliations.filter(is_admin=True)
    return Organisation.objects.filter(pk__in=affiliations.values("organisation"))


@dataclass(frozen=True)
class Roles:
    authenticated: bool = False
    staff: bool = False
    expert: bool = False
    member: bool = False
    contact: bool = False
    org_admin: bool = False


def user_roles(user: Any) -> Roles:
    """What the base layout needs to know about the viewer (computed once a request)."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_grappe_roles", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    person = user_person(user)
    rows: list[tuple[bool, bool]] = []
    if person is not None:
        # One query: each current affiliation, and whether its organisation is a member today
        # (the same condition as person_is_member).
        today = _today()
        rows = list(
            Affiliation.objects.filter(affiliation_current_q(today), person=person)
            .annotate(
                organisation_active=Exists(
                    Membership.objects.filter(
                        active_membership_q(today), organisation=OuterRef("organisation")
                    )
                )
            )
            .values_list("is_admin", "organisation_active")
        )
    roles = Roles(
        authenticated=True,
        staff=bool(user.is_staff),
        expert=bool(getattr(user, "is_expert", False)),
        member=any(active for _admin, active in rows),
        contact=bool(rows),
        org_admin=any(admin for admin, _active in rows),
    )
    user._grappe_roles = roles
    return roles


def current_taxonomy() -> TaxonomyVersion | None:
    return TaxonomyVersion.objects.filter(is_current=True).first()


def competences_current(facet: str | None = None) -> QuerySet[Competence]:
    qs = Competence.objects.filter(version__is_current=True, is_active=True)
    if facet:
        qs = qs.filter(facet=facet)
    return qs.order_by("facet", "position", "code")


def organisation_memberships(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("invoice").order_by("-year")


def organisation_contacts(organisation: Organisation) -> QuerySet[Affiliation]:
    return (
        organisation.affiliations.filter(affiliation_current_q(_today()))
        .select_related("person")
        .order_by("-is_admin", "person__last_name")
    )


def membership_list(*, status: str = "", year: int | None = None) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("organisation", "invoice")
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "organisation__name")


def dashboard_for(user: Any) -> dict[str, Any]:
    """What a logged-in person sees first: their organisations with this year's membership,
    the join requests they must answer or await, and what to do next."""
    from django.db.models import Max

    from grappe.members.models import Invoice, InvoiceStatus
    from grappe.members.permissions import can_leave_organisation

    person = user_person(user)
    today = _today()
    year = today.year
    organisations = list(
        user_organisations(user).annotate(latest_figures=Max("figures__year")).order_by("name")
    )
    # The person's current affiliations, latest start last: one per organisation on its card.
    current = (
        list(
            Affiliation.objects.filter(affiliation_current_q(today), person=person).order_by(
                "start", "pk"
            )
        )
        if person
        else []
    )
    affiliation_of = {a.organisation_id: a for a in current}
    admin_of = {a.organisation_id for a in current if a.is_admin}
    leavable = {pk for pk, a in affiliation_of.items() if can_leave_organisation(user, a)}
    this_year: dict[int, Membership] = {}
    next_year: dict[int, Membership] = {}
    for m in Membership.objects.filter(organisation__in=organisations, year__in=[year, year + 1]):
        (this_year if m.year == year else next_year)[m.organisation_id] = m
    unpaid: dict[int, list[Invoice]] = {}
    for invoice in Invoice.objects.filter(
        organisation__pk__in=admin_of, status=InvoiceStatus.ISSUED
    ).order_by("due_on"):
        unpaid.setdefault(invoice.organisation_id, []).append(invoice)
    pending_requests = list(
        Affiliation.objects.filter(organisation__pk__in=admin_of, status=AffiliationStatus.PENDING)
        .select_related("person", "organisation")
        .order_by("created_at")
    )
    my_requests = (
        list(
            Affiliation.objects.filter(person=person, status=AffiliationStatus.PENDING)
            .select_related("organisation")
            .order_by("created_at")
        )
        if person
        else []
    )
    entries = [
        {
            "organisation": o,
            "is_admin": o.pk in admin_of,
            "membership": this_year.get(o.pk),
            "next_membership": next_year.get(o.pk),
            "unpaid": unpaid.get(o.pk, []),
            "latest_figures": o.latest_figures,
            "affiliation": affiliation_of.get(o.pk),
            "can_leave": o.pk in leavable,
        }
        for o in organisations
    ]
    context: dict[str, Any] = {
        "person": person,
        "organisations": entries,
        "pending_requests": pending_requests,
        "my_requests": my_requests,
        "is_member": person_is_member(person),
        "year": year,
        "next_steps": _next_steps(person, entries, pending_requests, my_requests, year),
    }
    if getattr(user, "is_staff", False):
        context["staff"] = {
            "applications": Membership.objects.filter(status=MembershipStatus.APPLIED).count(),
            "unpaid": Invoice.objects.filter(status=InvoiceStatus.ISSUED).count(),
        }
    return context


def _next_steps(
    person: Person | None,
    entries: list[dict[str, Any]],
    pending_requests: list[Affiliation],
    my_requests: list[Affiliation],
    year: int,
) -> list[dict[str, Any]]:
    """What the person should do now, most useful first; the template words each `code`."""
    if person is None:
        return [{"code": "complete_profile"}]
    steps: list[dict[str, Any]] = []
    if pending_requests:
        steps.append({"code": "answer_requests", "count": len(pending_requests)})
    for entry in entries:
        if not entry["is_admin"]:
            continue
        organisation, membership = entry["organisation"], entry["membership"]
        for invoice in entry["unpaid"]:
            steps.append({"code": "pay_invoice", "organisation": organisation, "invoice": invoice})
        if entry["latest_figures"] is None or entry["latest_figures"] < year - 1:
            steps.append({"code": "declare_figures", "organisation": organisation})
        if membership is None or membership.status == MembershipStatus.REFUSED:
            if entry["next_membership"] is None:
                steps.append({"code": "apply", "organisation": organisation})
        elif membership.status == MembershipStatus.APPLIED:
            steps.append({"code": "awaiting_decision", "organisation": organisation})
    if not entries and not my_requests:
        steps.append({"code": "find_or_declare"})
    return steps


def organisations_matching(*, query: str, viewer: Any, limit: int = 20) -> list[dict[str, Any]]:
    """Organisations whose name, legal name or SIREN matches, for a person looking for their
    own; each says whether the viewer is already a contact of it or has asked to join."""
    from grappe.members.validators import normalise_identifier

    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    condition = Q(name__icontains=query) | Q(legal_name__icontains=query)
    identifier = normalise_identifier(query)
    if identifier.isdigit() and len(identifier) >= 9:
        condition |= Q(siren=identifier[:9])
    found = list(Organisation.objects.filter(condition).order_by("name")[:limit])
    person = user_person(viewer)
    relations: dict[int, str] = {}
    if person is not None and found:
        for affiliation in Affiliation.objects.filter(
            Q(status=AffiliationStatus.PENDING) | affiliation_current_q(_today()),
            person=person,
            organisation__in=found,
        ):
            relations[affiliation.organisation_id] = affiliation.status
    return [{"organisation": o, "relation": relations.get(o.pk, "")} for o in found]


@dataclass(frozen=True)
class TaxonomyPublishResult:
    """What publishing a version does to the tags: how many move, how many are dropped (and
    the codes of the dropped ones, with how many tags each)."""

    moved: int
    dropped: int
    dropped_codes: dict[str, int] = field(default_factory=dict)


def taxonomy_tag_moves(
    previous: TaxonomyVersion | None, version: TaxonomyVersion
) -> tuple[dict[int, int], dict[int, str]]:
    """Old competence id -> new competence id by code, and the codes without a match."""
    if previous is None:
        return {}, {}
    new_by_code = dict(Competence.objects.filter(version=version).values_list("code", "pk"))
    moves, lost = {}, {}
    for pk, code in Competence.objects.filter(version=previous).values_list("pk", "code"):
        if code in new_by_code:
            moves[pk] = new_by_code[code]
        else:
            lost[pk] = code
    return moves, lost


def taxonomy_publish_preview(version: TaxonomyVersion) -> TaxonomyPublishResult:
    """What publishing `version` would do to the tags of organisations and people."""
    previous = TaxonomyVersion.objects.filter(is_current=True).exclude(pk=version.pk).first()
    moves, lost = taxonomy_tag_moves(previous, version)
    counts: Counter[int] = Counter()
    for through in (Organisation.competences.through, Person.competences.through):
        rows = (
            through.objects.filter(competence_id__in=[*moves, *lost])
            .values("competence_id")
            .annotate(tags=Count("pk"))
        )
        for row in rows:
            counts[row["competence_id"]] += row["tags"]
    dropped_codes = {lost[pk]: n for pk, n in counts.items() if pk in lost}
    return TaxonomyPublishResult(
        moved=sum(n for pk, n in counts.items() if pk in moves),
        dropped=sum(dropped_codes.values()),
        dropped_codes=dict(sorted(dropped_codes.items())),
    )


def taxonomy_versions() -> QuerySet[TaxonomyVersion]:
    """Every version, the one in force first, with its number of (active) competences."""
    return TaxonomyVersion.objects.annotate(
        competence_count=Count("competences"),
        active_count=Count("competences", filter=Q(competences__is_active=True)),
    ).order_by("-is_current", "-published_at", "-pk")
