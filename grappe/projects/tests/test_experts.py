"""The expert pool: profiles, the confidentiality agreement, declared relationships and
conflicts (which end assignments at once), and the competence match."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.members.tests.factories import OrganisationFactory, UserFactory
from grappe.projects.assignment import match_score
from grappe.projects.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    ConflictDeclaration,
    ExpertKind,
    ExpertProfile,
    ExpertRelationship,
    RelationshipKind,
)
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.services import experts as services
from grappe.projects.tests.factories import AssignmentFactory, ExpertFactory, competences

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages in English (the site's default is French): the asserts read the msgids."""
    with translation.override("en"):
        yield


A = AssignmentStatus
NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))


@pytest.fixture
def clerk(db):
    return UserFactory(is_staff=True, language="en")


def test_staff_add_a_person_with_a_login_to_the_pool(clerk):
    # given a person with a login, not an expert yet
    user = UserFactory(is_expert=False)
    employer = OrganisationFactory(name="Optique Nice")
    # when staff add them to the pool
    profile = services.expert_profile_create(
        actor=clerk,
        user=user,
        kind=ExpertKind.MEMBER,
        employer=employer,
        competences=competences("tech.lasers.fibre", "market.space"),
        load_limit=3,
        bio="Lasers à fibre pour le spatial.",
    )
    # then the profile holds what was given and the login is now an expert's
    user.refresh_from_db()
    assert user.is_expert is True
    assert (profile.kind, profile.employer, profile.load_limit, profile.is_active) == (
        ExpertKind.MEMBER, employer, 3, True,
    )  # fmt: skip
    assert sorted(profile.competences.values_list("code", flat=True)) == [
        "market.space", "tech.lasers.fibre",
    ]  # fmt: skip
    assert profile.nda_accepted_at is None
    assert audit_for(profile).get().action == "expert.create"
    assert audit_for(user).get().changes == {"is_expert": [False, True]}


def test_only_staff_add_experts(clerk):
    # given a logged-in expert
    someone = ExpertFactory().user
    # when they try to add another person
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        services.expert_profile_create(actor=someone, user=user, kind=ExpertKind.EXTERNAL)
    # then nothing is written
    assert not ExpertProfile.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.is_expert is False


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"kind": "wizard"}, {"kind": ["Choose a kind of expert from the list."]}),
        ({"load_limit": 51}, {"load_limit": ["Give a number of files from 0 to 50."]}),
        (
            {"competences": "chain.research"},
            {
                "competences": [
                    "Choose technologies and markets of the current taxonomy of competences."
                ]
            },
        ),
    ],
)
def test_bad_profile_values_are_refused_naming_the_field(clerk, values, errors):
    # given a bad value
    user = UserFactory()
    kwargs = {"kind": ExpertKind.EXTERNAL, **values}
    if "competences" in kwargs:
        kwargs["competences"] = competences(kwargs["competences"])
    # when staff add the person
    with pytest.raises(ValidationError) as refusal:
        services.expert_profile_create(actor=clerk, user=user, **kwargs)
    # then the field is named and nothing is written
    assert refusal.value.message_dict == errors
    assert not ExpertProfile.objects.exists()


def test_a_person_is_in_the_pool_once(clerk):
    # given an expert
    profile = ExpertFactory()
    # when staff add them again
    with pytest.raises(ValidationError) as refusal:
        services.expert_profile_create(actor=clerk, user=profile.user, kind=ExpertKind.STAFF)
    # then it is refused
    assert refusal.value.message_dict == {
        "user": ["This person is already in the pool of experts."]
    }
    assert ExpertProfile.objects.count() == 1


def test_the_expert_keeps_competences_and_availability_up_to_date():
    # given an expert
    profile = ExpertFactory()
    # when they change their competences, load and availability
    services.expert_profile_update(
        actor=profile.user,
        profile=profile,
        competences=competences("tech.imaging.hyperspectral"),
        load_limit=2,
        is_active=False,
    )
    # then the profile says so
    profile.refresh_from_db()
    assert list(profile.competences.values_list("code", flat=True)) == [
        "tech.imaging.hyperspectral"
    ]
    assert (profile.load_limit, profile.is_active) == (2, False)
    assert audit_for(profile).get().changes["load_limit"] == [4, 2]


def test_the_expert_cannot_change_their_employer():
    # given an expert employed by a lab
    lab = OrganisationFactory(name="Institut Photonique")
    profile = ExpertFactory(employer=lab)
    # when they try to clear it
    with pytest.raises(ValidationError) as refusal:
        services.expert_profile_update(actor=profile.user, profile=profile, employer=None)
    # then the field is named and nothing changes
    assert refusal.value.message_dict == {
        "employer": ["Only the cluster's staff change this; write to the team."]
    }
    profile.refresh_from_db()
    assert profile.employer == lab


def test_another_expert_cannot_change_a_profile():
    # given two experts
    profile, other = ExpertFactory(), ExpertFactory()
    # when one edits the other's profile
    with pytest.raises(PermissionDenied):
        services.expert_profile_update(actor=other.user, profile=profile, load_limit=9)
    # then nothing changes
    profile.refresh_from_db()
    assert profile.load_limit == 4


def test_a_new_employer_in_a_consortium_ends_the_assignment_at_once(
    eworld, clerk, django_capture_on_commit_callbacks
):
    # given the imaging expert accepted B
    assignment = AssignmentFactory(
        request=eworld.b, expert=eworld.experts["imaging_pro"], status=A.ACCEPTED
    )
    # when staff record their new employer: B's coordinator
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_profile_update(
            actor=clerk, profile=assignment.expert, employer=eworld.b_lead, now=NOW
        )
    # then the assignment is withdrawn with the reason, and a replacement is proposed
    assignment.refresh_from_db()
    assert assignment.status == A.WITHDRAWN
    assert (
        assignment.decline_reason
        == f"Employer {eworld.b_lead.name} is a partner of the consortium."
    )
    assert (
        Assignment.objects.filter(request=eworld.b, source=AssignmentSource.REPLACEMENT).count()
        == 1
    )
    # and staff are told (in English, their language)
    (message,) = mail.outbox
    assert message.subject == f"Conflict of interest: {assignment.expert} withdrawn from IMAGEB"


def test_the_expert_accepts_the_agreement():
    # given an expert who has not accepted it
    profile = ExpertFactory(nda_accepted_at=None, nda_version="")
    # when they accept the current version
    services.expert_agreement_accept(
        actor=profile.user, profile=profile, version=NDA_VERSION, now=NOW
    )
    # then the date and version are recorded, with an audit row
    profile.refresh_from_db()
    assert (profile.nda_accepted_at, profile.nda_version) == (NOW, NDA_VERSION)
    assert audit_for(profile).get().action == "expert.accept_agreement"


def test_an_old_version_of_the_agreement_is_refused():
    # given an expert who accepted nothing yet
    profile = ExpertFactory(nda_accepted_at=None, nda_version="")
    # when the page they accept from carried an older version
    with pytest.raises(ValidationError) as refusal:
        services.expert_agreement_accept(actor=profile.user, profile=profile, version="2025-1")
    # then they are asked to read the current one, and nothing is recorded
    assert refusal.value.message_dict == {
        "version": [
            f"The agreement has changed: read the current version ({NDA_VERSION}) and accept it."
        ]
    }
    profile.refresh_from_db()
    assert (profile.nda_accepted_at, profile.nda_version) == (None, "")


def test_nobody_accepts_the_agreement_for_someone_else(clerk):
    # given an expert
    profile = ExpertFactory(nda_accepted_at=None, nda_version="")
    # when staff try to accept it for them
    with pytest.raises(PermissionDenied):
        services.expert_agreement_accept(actor=clerk, profile=profile, version=NDA_VERSION)
    # then nothing is recorded
    profile.refresh_from_db()
    assert profile.nda_accepted_at is None


def test_a_declared_relationship_with_a_partner_ends_the_assignment_at_once(
    eworld, clerk, django_capture_on_commit_callbacks
):
    # given the laser expert invited to A
    assignment = AssignmentFactory(
        request=eworld.a, expert=eworld.experts["laser_pro"], status=A.INVITED
    )
    # when they declare being a supplier of A's coordinator
    with django_capture_on_commit_callbacks(execute=True):
        relationship = services.expert_relationship_add(
            actor=assignment.expert.user,
            profile=assignment.expert,
            organisation=eworld.a.project.lead,
            kind=RelationshipKind.SUPPLIER,
            note="Fournisseur de fibres",
            now=NOW,
        )
    # then the relationship is recorded and the assignment withdrawn at once
    assert (relationship.kind, relationship.note) == (
        RelationshipKind.SUPPLIER,
        "Fournisseur de fibres",
    )
    assignment.refresh_from_db()
    assert assignment.status == A.WITHDRAWN
    assert assignment.decline_reason == (
        f"Declared relationship (supplier) with the partner {eworld.a.project.lead.name}."
    )
    # and staff are told, a replacement is proposed
    assert [m.to for m in mail.outbox] == [[clerk.email]]
    assert Assignment.objects.filter(request=eworld.a, source=AssignmentSource.REPLACEMENT).exists()


def test_a_relationship_is_declared_once():
    # given a declared relationship
    profile = ExpertFactory()
    organisation = OrganisationFactory()
    services.expert_relationship_add(
        actor=profile.user, profile=profile, organisation=organisation, kind=RelationshipKind.CLIENT
    )
    # when it is declared again
    with pytest.raises(ValidationError) as refusal:
        services.expert_relationship_add(
            actor=profile.user,
            profile=profile,
            organisation=organisation,
            kind=RelationshipKind.CLIENT,
        )
    # then the organisation field says so
    assert refusal.value.message_dict == {
        "organisation": ["This relationship is already declared."]
    }
    assert ExpertRelationship.objects.count() == 1


def test_a_relationship_can_be_removed():
    # given a declared relationship
    profile = ExpertFactory()
    relationship = services.expert_relationship_add(
        actor=profile.user,
        profile=profile,
        organisation=OrganisationFactory(),
        kind=RelationshipKind.OTHER,
    )
    # when the expert removes it
    services.expert_relationship_remove(actor=profile.user, relationship=relationship)
    # then it is gone, with an audit row
    assert not ExpertRelationship.objects.exists()


def test_declaring_a_conflict_withdraws_the_file_at_once(
    eworld, clerk, django_capture_on_commit_callbacks
):
    # given the laser expert accepted A
    assignment = AssignmentFactory(
        request=eworld.a, expert=eworld.experts["laser_pro"], status=A.ACCEPTED
    )
    # when they declare a conflict
    with django_capture_on_commit_callbacks(execute=True):
        declaration = services.conflict_declare(
            actor=assignment.expert.user, assignment=assignment, reason="Ancien directeur de thèse"
        )
    # then the declaration is recorded and the assignment withdrawn
    assert (declaration.request, declaration.reason) == (eworld.a, "Ancien directeur de thèse")
    assignment.refresh_from_db()
    assert assignment.status == A.WITHDRAWN
    assert assignment.decline_reason == "Conflict declared by the expert: Ancien directeur de thèse"
    # and staff hear of it, with a replacement proposed
    (message,) = mail.outbox
    assert message.to == [clerk.email]
    assert Assignment.objects.filter(request=eworld.a, source=AssignmentSource.REPLACEMENT).exists()


def test_a_conflict_needs_a_description(eworld):
    # given an invitation
    assignment = AssignmentFactory(
        request=eworld.a, expert=eworld.experts["laser_pro"], status=A.INVITED
    )
    # when the expert declares a conflict without a word
    with pytest.raises(ValidationError) as refusal:
        services.conflict_declare(actor=assignment.expert.user, assignment=assignment, reason="")
    # then it is asked for, and nothing changes
    assert refusal.value.message_dict == {
        "reason": ["Describe the conflict, for the cluster's team."]
    }
    assert not ConflictDeclaration.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == A.INVITED


def test_nobody_declares_a_conflict_on_someone_elses_file(eworld):
    # given an invitation of the laser expert
    assignment = AssignmentFactory(
        request=eworld.a, expert=eworld.experts["laser_pro"], status=A.INVITED
    )
    # when another expert declares a conflict on it
    with pytest.raises(PermissionDenied):
        services.conflict_declare(
            actor=eworld.experts["generalist"].user, assignment=assignment, reason="?"
        )
    # then nothing changes
    assert not ConflictDeclaration.objects.exists()


# --- the competence match -------------------------------------------------------------------


def tags(*codes: str) -> list[tuple[str, str]]:
    facets = {"tech": "technology", "market": "market", "chain": "value_chain", "trl": "trl"}
    return [(code, facets[code.split(".")[0]]) for code in codes]


@pytest.mark.parametrize(
    ("file", "expert", "score"),
    [
        # the same code on both facets: a full match
        (
            tags("tech.lasers.fibre", "market.space"),
            tags("tech.lasers.fibre", "market.space"),
            1000,
        ),
        # the same branch (tech.lasers) only: half of the technology share (0.7)
        (tags("tech.lasers.fibre", "market.space"), tags("tech.lasers.ultrafast"), 350),
        # the market only: its 0.3
        (tags("tech.lasers.fibre", "market.space"), tags("market.space"), 300),
        # two technologies, one matched exactly: (1 + 0) / 2 of 0.7
        (
            tags("tech.lasers.fibre", "tech.imaging.lidar", "market.space"),
            tags("tech.lasers.fibre"),
            350,
        ),
        # a file with technologies only: they weigh all
        (tags("tech.lasers.fibre"), tags("tech.lasers"), 500),
        # value-chain and TRL tags are not expertise
        (
            tags("tech.lasers.fibre", "chain.research"),
            tags("tech.lasers.fibre", "chain.research"),
            1000,
        ),
        (tags("chain.research"), tags("chain.research"), 0),
        ([], tags("tech.lasers"), 0),
    ],
)
def test_the_competence_match(file, expert, score):
    assert match_score(file, expert) == score
