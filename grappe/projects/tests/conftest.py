"""The labelling world shared by the projects tests and their role × route matrices.

Roles (each a logged-in user, or None for the visitor): `visitor`, `unrelated_member` (a
contact of another member organisation), `consortium_contact` (a contact of the file),
`assigned_expert` (accepted, agreement signed, no conflict), `conflicted_expert` (works for a
partner: a conflict), `unassigned_expert` (agreement signed, not assigned), `staff`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from grappe.members.models import OrgKind
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory
from grappe.projects.models import LabellingRequest, PartnerRole, RequestStatus
from grappe.projects.tests.factories import (
    AssignmentFactory,
    ExpertFactory,
    PartnerFactory,
    RequestFactory,
    SessionFactory,
    contact_add,
)

PROJECT_ROLES = [
    "visitor",
    "unrelated_member",
    "consortium_contact",
    "assigned_expert",
    "conflicted_expert",
    "unassigned_expert",
    "staff",
]


@dataclass
class LabellingWorld:
    session: Any
    request: LabellingRequest  # under review, with a coordinator, a partner lab and an expert
    draft: LabellingRequest  # a draft of the same coordinator
    lab: Any
    users: dict[str, Any]


@pytest.fixture
def lworld(db, member, member_org, other_member, staff) -> LabellingWorld:
    """A file under review: `member` (of `member_org`) is its consortium contact."""
    session = SessionFactory()
    request = RequestFactory(
        session=session, project__lead=member_org, status=RequestStatus.UNDER_REVIEW
    )
    lab = OrganisationFactory(
        name="Institut Photonique", slug="institut-photonique", kind=OrgKind.LAB
    )
    MembershipFactory(organisation=lab)
    PartnerFactory(request=request, organisation=member_org, role=PartnerRole.COORDINATOR)
    PartnerFactory(request=request, organisation=lab, kind=OrgKind.LAB)
    contact_add(request, member)
    draft = RequestFactory(project__lead=member_org, session=session, status=RequestStatus.DRAFT)
    PartnerFactory(request=draft, organisation=member_org, role=PartnerRole.COORDINATOR)
    contact_add(draft, member)
    assigned = AssignmentFactory(request=request)
    conflicted = ExpertFactory(employer=lab)
    unassigned = ExpertFactory()
    users = {
        "visitor": None,
        "unrelated_member": other_member,
        "consortium_contact": member,
        "assigned_expert": assigned.expert.user,
        "conflicted_expert": conflicted.user,
        "unassigned_expert": unassigned.user,
        "staff": staff,
    }
    return LabellingWorld(session=session, request=request, draft=draft, lab=lab, users=users)


@pytest.fixture
def as_project_role(client, lworld):
    """Log the test client in as one of PROJECT_ROLES and return it."""

    def _as(role: str):
        user = lworld.users[role]
        if user is not None:
            client.force_login(user)
        return client

    return _as


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Documents are stored in a private folder of the test's own (never the real data dir)."""
    settings.GRAPPE_PRIVATE_ROOT = tmp_path / "private"


# --- experts' side (p2) ------------------------------------------------------------------------


@dataclass
class ExpertWorld:
    """A session asking 2 experts per file, two files under review and five experts:

    file A (tech.lasers.fibre, market.space), file B (tech.imaging.hyperspectral,
    market.health, coordinated by `b_lead`); experts `laser_pro` (A: 1.000),
    `laser_branch` (A: 0.350), `imaging_pro` (B: 1.000), `generalist` (A and B: 0.350) and
    `conflicted` (imaging, employed by B's coordinator). All have accepted the agreement."""

    session: Any
    a: LabellingRequest
    b: LabellingRequest
    b_lead: Any
    experts: dict[str, Any]


@pytest.fixture
def eworld(db) -> ExpertWorld:
    from grappe.projects.tests.factories import tag

    session = SessionFactory(experts_per_project=2)
    a = tag(
        RequestFactory(session=session, status=RequestStatus.UNDER_REVIEW, project__acronym="LASERA"),
        "tech.lasers.fibre", "market.space",
    )  # fmt: skip
    b = tag(
        RequestFactory(session=session, status=RequestStatus.UNDER_REVIEW, project__acronym="IMAGEB"),
        "tech.imaging.hyperspectral", "market.health",
    )  # fmt: skip
    PartnerFactory(request=a, organisation=a.project.lead, role=PartnerRole.COORDINATOR)
    PartnerFactory(request=b, organisation=b.project.lead, role=PartnerRole.COORDINATOR)
    experts = {
        "laser_pro": tag(
            ExpertFactory(user__last_name="Laser"), "tech.lasers.fibre", "market.space"
        ),
        "laser_branch": tag(ExpertFactory(user__last_name="Branche"), "tech.lasers.ultrafast"),
        "imaging_pro": tag(
            ExpertFactory(user__last_name="Imagerie"), "tech.imaging.hyperspectral", "market.health"
        ),
        "generalist": tag(ExpertFactory(user__last_name="Général"), "tech.lasers", "tech.imaging"),
        "conflicted": tag(
            ExpertFactory(user__last_name="Conflit", employer=b.project.lead),
            "tech.imaging.hyperspectral",
            "market.health",
        ),  # fmt: skip
    }
    return ExpertWorld(session=session, a=a, b=b, b_lead=b.project.lead, experts=experts)
