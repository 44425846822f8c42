"""Conflicts of interest between experts and labelling requests (files).

A conflict is between organisations as well as people. An expert is in conflict with a file when:

* ``employer``: their employer is a partner of the file;
* ``group``: their employer and a partner belong to one group (same parent group, the employer
  is the partner's parent group, or the partner is the employer's parent group);
* ``relationship``: they declared a tie (competitor, client, supplier, shareholder, former
  employer, other) with a partner or with an organisation of a partner's group;
* ``joint_project``: their employer and a partner of the file were both partners of another
  request labelled (or given a support letter) in the last three years;
* ``exclusion``: the applicant asked to keep them away from the file;
* ``declaration``: they declared a conflict with the file themselves;
* ``contact``: they are a contact of the file;
* ``affiliation``: they currently work for (are affiliated to) a partner organisation.

`conflicts_for` computes every pair of a set of experts and a set of files in a fixed number of
queries (the assignment page shows a whole session at once); `expert_conflicts` is the same for
one pair. Reasons are sentences in the active language, naming the organisation or the fact.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grappe.members.models import Affiliation
from grappe.members.selectors import affiliation_current_q
from grappe.projects.models import (
    ConflictDeclaration,
    Decision,
    ExpertExclusion,
    ExpertProfile,
    ExpertRelationship,
    LabellingRequest,
    Partner,
    ProjectContact,
    RequestStatus,
)

JOINT_PROJECT_YEARS = 3

# A request counts as a joint labelled project when the committee granted one of these...
LABEL_DECISIONS = (Decision.LABELLED, Decision.LABELLED_RESERVATIONS, Decision.SUPPORT_LETTER)
# ...or when it reached one of these statuses (they all follow a positive decision).
LABELLED_STATUSES = (
    RequestStatus.LABELLED,
    RequestStatus.LABELLED_RESERVATIONS,
    RequestStatus.SUPPORT_LETTER,
    RequestStatus.CERTIFICATE_ISSUED,
    RequestStatus.SUBMITTED_TO_FUNDER,
    RequestStatus.FUNDED,
    RequestStatus.NOT_FUNDED,
)


class ConflictKind(TextChoices):
    EMPLOYER = "employer", gettext_lazy("Employer in the consortium")
    GROUP = "group", gettext_lazy("Employer's group in the consortium")
    RELATIONSHIP = "relationship", gettext_lazy("Declared relationship with a partner")
    JOINT_PROJECT = "joint_project", gettext_lazy("Joint labelled project in the last 3 years")
    EXCLUSION = "exclusion", gettext_lazy("Excluded by the applicant")
    DECLARATION = "declaration", gettext_lazy("Declared by the expert")
    CONTACT = "contact", gettext_lazy("Contact of the file")
    AFFILIATION = "affiliation", gettext_lazy("Works for a partner")


@dataclass(frozen=True)
class Conflict:
    kind: str
    reason: str

    @property
    def kind_label(self) -> str:
        return str(ConflictKind(self.kind).label)


class ConflictMap(dict[tuple[int, int], list[Conflict]]):
    """Conflicts keyed by (expert id, request id). Only conflicting pairs are stored; looking
    up any other pair with [] gives an empty list."""

    def __missing__(self, key: tuple[int, int]) -> list[Conflict]:
        return []


@dataclass(frozen=True)
class _Org:
    """What the checks need of an organisation: its id, name and parent group."""

    id: int
    name: str
    parent_id: int | None
    parent_name: str


def _org(organisation: Any) -> _Org:
    parent = organisation.parent_group
    return _Org(
        id=organisation.pk,
        name=organisation.name,
        parent_id=organisation.parent_group_id,
        parent_name=parent.name if parent is not None else "",
    )


def _group_reason(employer: _Org, partner: _Org, tie: str) -> str:
    values = {"employer": employer.name, "partner": partner.name, "group": employer.parent_name}
    if tie == "parent":
        return _("Employer %(employer)s is the parent group of the partner %(partner)s.") % (values)
    if tie == "subsidiary":
        return _("Employer %(employer)s is a subsidiary of the partner %(partner)s.") % values
    return (
        _("Employer %(employer)s and the partner %(partner)s belong to the same group (%(group)s).")
        % values
    )


def _relationship_reason(relationship: ExpertRelationship, partner: _Org, tie: str) -> str:
    values = {
        "kind": relationship.get_kind_display().lower(),
        "organisation": relationship.organisation.name,
        "partner": partner.name,
    }
    if not tie:
        return _("Declared relationship (%(kind)s) with the partner %(organisation)s.") % values
    return (
        _(
            "Declared relationship (%(kind)s) with %(organisation)s, of the same group as "
            "the partner %(partner)s."
        )
        % values
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _Partners:
    """The files' partner organisations, indexed to find an organisation's group at once."""

    def __init__(self) -> None:
        self.by_request: dict[int, list[_Org]] = defaultdict(list)
        self.by_org: dict[int, list[tuple[int, _Org]]] = defaultdict(list)
        self.by_parent: dict[int, list[tuple[int, _Org]]] = defaultdict(list)
        self.outside_sirens: list[tuple[int, str, str]] = []

    def add(self, request_id: int, partner: Partner) -> None:
        if partner.organisation is None:
            if partner.siret:
                self.outside_sirens.append((request_id, partner.siret[:9], partner.name))
            return
        org = _org(partner.organisation)
        self.by_request[request_id].append(org)
        self.by_org[org.id].append((request_id, org))
        if org.parent_id is not None:
            self.by_parent[org.parent_id].append((request_id, org))

    def org_ids(self) -> set[int]:
        return set(self.by_org)

    def same(self, mine: _Org) -> list[tuple[int, _Org]]:
        return self.by_org.get(mine.id, [])

    def grouped(self, mine: _Org) -> list[tuple[int, _Org, str]]:
        """(request, partner, tie) for the partners in one group with `mine` (not itself)."""
        rows = [(r, org, "parent") for r, org in self.by_parent.get(mine.id, [])]
        if mine.parent_id is not None:
            rows += [(r, org, "subsidiary") for r, org in self.by_org.get(mine.parent_id, [])]
            rows += [
                (r, org, "sibling")
                for r, org in self.by_parent.get(mine.parent_id, [])
                if org.id != mine.id
            ]
        return rows


def conflicts_for(
    experts: Iterable[ExpertProfile | int],
    requests: Iterable[LabellingRequest | int],
    *,
    today: dt.date | None = None,
) -> ConflictMap:
    """Every conflict of every (expert, request) pair, in at most nine queries."""
    today = today or timezone.localdate()
    expert_ids: list[int] = sorted({_pk(e) for e in experts})
    request_ids: list[int] = sorted({_pk(r) for r in requests})
    found: dict[tuple[int, int], list[Conflict]] = defaultdict(list)
    if not expert_ids or not request_ids:
        return ConflictMap()
    profiles = list(
        ExpertProfile.objects.filter(pk__in=expert_ids).select_related("employer__parent_group")
    )
    partners = _Partners()
    for partner in Partner.objects.filter(request_id__in=request_ids).select_related(
        "organisation__parent_group"
    ):
        partners.add(partner.request_id, partner)

    _employer_conflicts(found, profiles, partners)
    _relationship_conflicts(found, expert_ids, partners)
    _joint_project_conflicts(found, profiles, request_ids, partners, today)
    _file_conflicts(found, expert_ids, request_ids)
    _people_conflicts(found, profiles, request_ids, partners, today)
    result = ConflictMap()
    for key, conflicts in found.items():
        result[key] = list(dict.fromkeys(conflicts))  # one sentence once
    return result


def _pk(value: Any) -> int:
    return int(value.pk if hasattr(value, "pk") else value)


def expert_conflicts(
    expert: ExpertProfile, request: LabellingRequest, *, today: dt.date | None = None
) -> list[Conflict]:
    """The conflicts of one expert with one file (empty: the expert may review it)."""
    return conflicts_for([expert], [request], today=today)[(expert.pk, request.pk)]


def _employer_conflicts(
    found: dict[tuple[int, int], list[Conflict]],
    profiles: list[ExpertProfile],
    partners: _Partners,
) -> None:
    for profile in profiles:
        if profile.employer is None:
            continue
        employer = _org(profile.employer)
        for request_id, _partner in partners.same(employer):
            found[(profile.pk, request_id)].append(
                Conflict(
                    ConflictKind.EMPLOYER,
                    _("Employer %(employer)s is a partner of the consortium.")
                    % {"employer": employer.name},
                )
            )
        for request_id, partner, tie in partners.grouped(employer):
            found[(profile.pk, request_id)].append(
                Conflict(ConflictKind.GROUP, _group_reason(employer, partner, tie))
            )
        siren = profile.employer.siren
        for request_id, partner_siren, name in partners.outside_sirens:
            if siren and partner_siren == siren:
                found[(profile.pk, request_id)].append(
                    Conflict(
                        ConflictKind.EMPLOYER,
                        _(
                            "Employer %(employer)s is a partner of the consortium "
                            "(as %(partner)s, same SIREN)."
                        )
                        % {"employer": employer.name, "partner": name},
                    )
                )


def _relationship_conflicts(
    found: dict[tuple[int, int], list[Conflict]],
    expert_ids: list[int],
    partners: _Partners,
) -> None:
    relationships = ExpertRelationship.objects.filter(expert_id__in=expert_ids).select_related(
        "organisation__parent_group"
    )
    for relationship in relationships:
        tied = _org(relationship.organisation)
        rows = [(r, org, "") for r, org in partners.same(tied)] + partners.grouped(tied)
        for request_id, partner, tie in rows:
            found[(relationship.expert_id, request_id)].append(
                Conflict(
                    ConflictKind.RELATIONSHIP, _relationship_reason(relationship, partner, tie)
                )
            )


def _joint_project_conflicts(
    found: dict[tuple[int, int], list[Conflict]],
    profiles: list[ExpertProfile],
    request_ids: list[int],
    partners: _Partners,
    today: dt.date,
) -> None:
    employer_ids = {p.employer_id for p in profiles if p.employer_id is not None}
    partner_org_ids = partners.org_ids()
    if not employer_ids or not partner_org_ids:
        return
    since = _years_before(today, JOINT_PROJECT_YEARS)
    labelled = (
        (Q(request__decision__in=LABEL_DECISIONS) | Q(request__status__in=LABELLED_STATUSES))
        & Q(request__decided_at__date__gte=since)
        & ~Q(request_id__in=request_ids)
    )
    # Past labelled requests the experts' employers were partners of...
    past = Partner.objects.filter(labelled, organisation_id__in=employer_ids).values_list(
        "request_id", "organisation_id", "request__project__acronym"
    )
    employers_by_request: dict[int, set[int]] = defaultdict(set)
    acronyms: dict[int, str] = {}
    for request_id, organisation_id, acronym in past:
        employers_by_request[request_id].add(organisation_id)
        acronyms[request_id] = acronym
    if not employers_by_request:
        return
    # ...and which partners of the files were partners of them too.
    shared: dict[int, set[int]] = defaultdict(set)  # partner organisation → past requests
    for request_id, organisation_id in Partner.objects.filter(
        request_id__in=list(employers_by_request), organisation_id__in=partner_org_ids
    ).values_list("request_id", "organisation_id"):
        shared[organisation_id].add(request_id)
    for profile in profiles:
        if profile.employer_id is None:
            continue
        for request_id in request_ids:
            for partner in partners.by_request.get(request_id, []):
                if partner.id == profile.employer_id:
                    continue  # already an employer conflict
                for past_id in sorted(shared.get(partner.id, ())):
                    if profile.employer_id in employers_by_request[past_id]:
                        found[(profile.pk, request_id)].append(
                            Conflict(
                                ConflictKind.JOINT_PROJECT,
                                _(
                                    "The employer and the partner %(partner)s were partners "
                                    "of the labelled project %(project)s in the last three "
                                    "years."
                                )
                                % {"partner": partner.name, "project": acronyms[past_id]},
                            )
                        )


def _file_conflicts(
    found: dict[tuple[int, int], list[Conflict]], expert_ids: list[int], request_ids: list[int]
) -> None:
    for exclusion in ExpertExclusion.objects.filter(
        expert_id__in=expert_ids, request_id__in=request_ids
    ):
        found[(exclusion.expert_id, exclusion.request_id)].append(
            Conflict(
                ConflictKind.EXCLUSION,
                _("The applicant asked that this expert not review the file: %(reason)s")
                % {"reason": exclusion.reason},
            )
        )
    for declaration in ConflictDeclaration.objects.filter(
        expert_id__in=expert_ids, request_id__in=request_ids
    ):
        found[(declaration.expert_id, declaration.request_id)].append(
            Conflict(
                ConflictKind.DECLARATION,
                _("Conflict declared by the expert: %(reason)s") % {"reason": declaration.reason},
            )
        )


def _people_conflicts(
    found: dict[tuple[int, int], list[Conflict]],
    profiles: list[ExpertProfile],
    request_ids: list[int],
    partners: _Partners,
    today: dt.date,
) -> None:
    by_user = {p.user_id: p.pk for p in profiles}
    for request_id, user_id in ProjectContact.objects.filter(
        request_id__in=request_ids, user_id__in=list(by_user)
    ).values_list("request_id", "user_id"):
        found[(by_user[user_id], request_id)].append(
            Conflict(ConflictKind.CONTACT, _("Contact of the file's consortium."))
        )
    affiliations = (
        Affiliation.objects.filter(affiliation_current_q(today), person__user_id__in=list(by_user))
        .filter(organisation_id__in=partners.org_ids())
        .values_list("person__user_id", "organisation_id", "organisation__name")
    )
    affiliated: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for user_id, organisation_id, name in affiliations:
        affiliated[by_user[user_id]].append((organisation_id, name))
    for expert_id, organisations in affiliated.items():
        for organisation_id, name in organisations:
            for request_id in sorted({r for r, _p in partners.by_org[organisation_id]}):
                found[(expert_id, request_id)].append(
                    Conflict(
                        ConflictKind.AFFILIATION,
                        _("Works for the partner %(partner)s.") % {"partner": name},
                    )
                )
