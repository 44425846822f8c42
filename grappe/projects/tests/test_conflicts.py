"""Conflicts of interest: each kind, with its reason, and the batch form against the single."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from grappe.members.models import OrgKind
from grappe.members.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
)
from grappe.projects.conflicts import (
    Conflict,
    ConflictKind,
    conflicts_for,
    expert_conflicts,
)
from grappe.projects.models import (
    ConflictDeclaration,
    Decision,
    ExpertExclusion,
    ExpertRelationship,
    PartnerRole,
    RelationshipKind,
    RequestStatus,
)
from grappe.projects.tests.factories import (
    ExpertFactory,
    PartnerFactory,
    RequestFactory,
    contact_add,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages in English (the site's default is French): the asserts read the msgids."""
    with translation.override("en"):
        yield


TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def file():
    """A file of Lumière Marseille (coordinator) with the lab Institut Photonique."""
    coordinator = OrganisationFactory(name="Lumière Marseille", siren="732829320")
    lab = OrganisationFactory(name="Institut Photonique", kind=OrgKind.LAB)
    request = RequestFactory(project__lead=coordinator, status=RequestStatus.SUBMITTED)
    PartnerFactory(request=request, organisation=coordinator, role=PartnerRole.COORDINATOR)
    PartnerFactory(request=request, organisation=lab)
    request.coordinator, request.lab = coordinator, lab
    return request


def decided(on: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on, dt.time(10)))


def test_an_expert_without_ties_has_no_conflict(file):
    # given an expert working for an organisation outside the consortium
    expert = ExpertFactory(employer=OrganisationFactory(name="Optique Nice"))
    # when the conflicts are computed
    # then there is none
    assert expert_conflicts(expert, file, today=TODAY) == []


def test_the_employer_in_the_consortium_is_a_conflict(file):
    # given an expert employed by the lab of the consortium
    expert = ExpertFactory(employer=file.lab)
    # when the conflicts are computed
    conflicts = expert_conflicts(expert, file, today=TODAY)
    # then the employer is named
    assert conflicts == [
        Conflict(
            ConflictKind.EMPLOYER, "Employer Institut Photonique is a partner of the consortium."
        )
    ]


def test_an_outside_partner_with_the_employers_siren_is_a_conflict(file):
    # given an outside partner (no organisation on the platform) whose SIRET has the SIREN of
    # the expert's employer
    employer = OrganisationFactory(name="Photon Sud", siren="552100554")
    PartnerFactory(request=file, organisation=None, name="PHOTON SUD SAS", siret="55210055400013")
    expert = ExpertFactory(employer=employer)
    # when the conflicts are computed
    conflicts = expert_conflicts(expert, file, today=TODAY)
    # then the conflict names both
    assert conflicts == [
        Conflict(
            ConflictKind.EMPLOYER,
            "Employer Photon Sud is a partner of the consortium (as PHOTON SUD SAS, same SIREN).",
        )
    ]


def test_the_employers_group_in_the_consortium_is_a_conflict(file):
    # given three experts: one at the coordinator's parent group, one at a subsidiary of the
    # lab, one at a sister company of the coordinator
    group = OrganisationFactory(name="Groupe Lumen", kind=OrgKind.LARGE)
    file.coordinator.parent_group = group
    file.coordinator.save()
    at_parent = ExpertFactory(employer=group)
    at_subsidiary = ExpertFactory(
        employer=OrganisationFactory(name="Photonique Filiale", parent_group=file.lab)
    )
    at_sister = ExpertFactory(
        employer=OrganisationFactory(name="Lumen Toulouse", parent_group=group)
    )
    # when the conflicts are computed
    found = conflicts_for([at_parent, at_subsidiary, at_sister], [file], today=TODAY)
    # then each is a group conflict with the tie in words
    assert found[(at_parent.pk, file.pk)] == [
        Conflict(
            ConflictKind.GROUP,
            "Employer Groupe Lumen is the parent group of the partner Lumière Marseille.",
        )
    ]
    assert found[(at_subsidiary.pk, file.pk)] == [
        Conflict(
            ConflictKind.GROUP,
            "Employer Photonique Filiale is a subsidiary of the partner Institut Photonique.",
        )
    ]
    assert found[(at_sister.pk, file.pk)] == [
        Conflict(
            ConflictKind.GROUP,
            "Employer Lumen Toulouse and the partner Lumière Marseille belong to the same group "
            "(Groupe Lumen).",
        )
    ]


def test_a_declared_relationship_with_a_partner_is_a_conflict(file):
    # given an expert who declared being a client of the coordinator
    expert = ExpertFactory()
    ExpertRelationship.objects.create(
        expert=expert, organisation=file.coordinator, kind=RelationshipKind.CLIENT
    )
    # when the conflicts are computed
    conflicts = expert_conflicts(expert, file, today=TODAY)
    # then the relationship is the reason
    assert conflicts == [
        Conflict(
            ConflictKind.RELATIONSHIP,
            "Declared relationship (client) with the partner Lumière Marseille.",
        )
    ]


def test_a_relationship_with_a_partners_group_is_a_conflict(file):
    # given an expert who declared a competitor in the group of the lab
    sister = OrganisationFactory(name="Institut Frère", parent_group=file.lab)
    expert = ExpertFactory()
    ExpertRelationship.objects.create(
        expert=expert, organisation=sister, kind=RelationshipKind.COMPETITOR
    )
    # when the conflicts are computed
    conflicts = expert_conflicts(expert, file, today=TODAY)
    # then the group tie is said
    assert conflicts == [
        Conflict(
            ConflictKind.RELATIONSHIP,
            "Declared relationship (competitor) with Institut Frère, of the same group as the "
            "partner Institut Photonique.",
        )
    ]


def test_a_relationship_with_another_organisation_is_no_conflict(file):
    # given an expert who declared a supplier outside the consortium
    expert = ExpertFactory()
    ExpertRelationship.objects.create(
        expert=expert, organisation=OrganisationFactory(), kind=RelationshipKind.SUPPLIER
    )
    # then the file is free of conflict
    assert expert_conflicts(expert, file, today=TODAY) == []


def _past_project(employer, partner, *, decision, on):
    past = RequestFactory(
        project__acronym="LIDARSUD",
        status=RequestStatus.CLOSED,
        decision=decision,
        decided_at=decided(on),
    )
    PartnerFactory(request=past, organisation=employer, role=PartnerRole.COORDINATOR)
    PartnerFactory(request=past, organisation=partner)
    return past


def test_a_joint_labelled_project_in_the_last_three_years_is_a_conflict(file):
    # given the expert's employer and the lab were partners of a project labelled 2 years ago
    employer = OrganisationFactory(name="Optique Nice")
    _past_project(employer, file.lab, decision=Decision.LABELLED, on=dt.date(2024, 7, 1))
    expert = ExpertFactory(employer=employer)
    # when the conflicts are computed
    conflicts = expert_conflicts(expert, file, today=TODAY)
    # then the joint project is named
    assert conflicts == [
        Conflict(
            ConflictKind.JOINT_PROJECT,
            "The employer and the partner Institut Photonique were partners of the labelled "
            "project LIDARSUD in the last three years.",
        )
    ]


@pytest.mark.parametrize(
    ("decision", "on"),
    [
        (Decision.LABELLED, dt.date(2023, 6, 14)),  # one day more than three years ago
        (Decision.REJECTED, dt.date(2025, 1, 10)),  # recent, but not labelled
    ],
)
def test_an_old_or_rejected_joint_project_is_no_conflict(file, decision, on):
    # given a joint project decided too long ago, or rejected
    employer = OrganisationFactory(name="Optique Nice")
    _past_project(employer, file.lab, decision=decision, on=on)
    expert = ExpertFactory(employer=employer)
    # then there is no conflict
    assert expert_conflicts(expert, file, today=TODAY) == []


def test_a_joint_project_exactly_three_years_ago_is_a_conflict(file):
    # given a joint project labelled three years ago to the day
    employer = OrganisationFactory(name="Optique Nice")
    _past_project(employer, file.lab, decision=Decision.SUPPORT_LETTER, on=dt.date(2023, 6, 15))
    expert = ExpertFactory(employer=employer)
    # then it still counts
    assert [c.kind for c in expert_conflicts(expert, file, today=TODAY)] == [
        ConflictKind.JOINT_PROJECT
    ]


def test_an_exclusion_asked_by_the_applicant_is_a_conflict(file):
    # given the applicant asked to keep an expert away
    expert = ExpertFactory()
    ExpertExclusion.objects.create(request=file, expert=expert, reason="Works for a competitor")
    # then the reason is the applicant's
    assert expert_conflicts(expert, file, today=TODAY) == [
        Conflict(
            ConflictKind.EXCLUSION,
            "The applicant asked that this expert not review the file: Works for a competitor",
        )
    ]


def test_the_experts_own_declaration_is_a_conflict(file):
    # given the expert declared a conflict with the file
    expert = ExpertFactory()
    ConflictDeclaration.objects.create(request=file, expert=expert, reason="Former thesis adviser")
    # then it is one
    assert expert_conflicts(expert, file, today=TODAY) == [
        Conflict(ConflictKind.DECLARATION, "Conflict declared by the expert: Former thesis adviser")
    ]


def test_a_contact_of_the_file_is_in_conflict(file):
    # given an expert who is also a contact of the file
    expert = ExpertFactory()
    contact_add(file, expert.user)
    # then they are in conflict
    assert expert_conflicts(expert, file, today=TODAY) == [
        Conflict(ConflictKind.CONTACT, "Contact of the file's consortium.")
    ]


def test_a_current_affiliation_to_a_partner_is_a_conflict(file):
    # given an expert (employed elsewhere) who is also a contact of the lab
    expert = ExpertFactory(employer=OrganisationFactory(name="Optique Nice"))
    AffiliationFactory(person=PersonFactory(user=expert.user), organisation=file.lab)
    # then the affiliation is a conflict
    assert expert_conflicts(expert, file, today=TODAY) == [
        Conflict(ConflictKind.AFFILIATION, "Works for the partner Institut Photonique.")
    ]


def test_an_ended_affiliation_is_no_conflict(file):
    # given an expert who left the lab last year
    expert = ExpertFactory()
    AffiliationFactory(
        person=PersonFactory(user=expert.user),
        organisation=file.lab,
        start=dt.date(2019, 1, 1),
        end=dt.date(2025, 6, 30),
    )
    # then there is no conflict
    assert expert_conflicts(expert, file, today=TODAY) == []


def test_several_ties_give_several_reasons(file):
    # given an expert employed by the coordinator who also declared a conflict
    expert = ExpertFactory(employer=file.coordinator)
    ConflictDeclaration.objects.create(request=file, expert=expert, reason="My own team")
    # then both reasons are listed
    assert [c.kind for c in expert_conflicts(expert, file, today=TODAY)] == [
        ConflictKind.EMPLOYER,
        ConflictKind.DECLARATION,
    ]


def test_reasons_are_in_the_active_language(file):
    # given an expert employed by the lab
    expert = ExpertFactory(employer=file.lab)
    # when computed in French
    with translation.override("fr"):
        conflicts = expert_conflicts(expert, file, today=TODAY)
    # then the sentence is French
    assert conflicts[0].reason == "L'employeur Institut Photonique est partenaire du consortium."


def _mixed_world(file):
    """Experts with every kind of tie, two files, and unrelated experts."""
    group = OrganisationFactory(name="Groupe Lumen")
    file.coordinator.parent_group = group
    file.coordinator.save()
    other = RequestFactory(status=RequestStatus.SUBMITTED)
    PartnerFactory(request=other, role=PartnerRole.COORDINATOR)
    PartnerFactory(request=other, organisation=file.lab)
    employer = OrganisationFactory(name="Optique Nice")
    _past_project(employer, file.coordinator, decision=Decision.LABELLED, on=dt.date(2025, 3, 1))
    experts = [
        ExpertFactory(employer=file.lab),
        ExpertFactory(employer=group),
        ExpertFactory(employer=employer),
        ExpertFactory(),
        ExpertFactory(),
        ExpertFactory(employer=OrganisationFactory()),
    ]
    ExpertRelationship.objects.create(
        expert=experts[3], organisation=file.coordinator, kind=RelationshipKind.SHAREHOLDER
    )
    ExpertExclusion.objects.create(request=other, expert=experts[4], reason="Competitor")
    ConflictDeclaration.objects.create(request=file, expert=experts[5], reason="Friend")
    contact_add(other, experts[5].user)
    AffiliationFactory(person=PersonFactory(user=experts[4].user), organisation=file.lab)
    return experts, [file, other]


def test_the_batch_form_equals_the_single_form(file):
    # given experts with every kind of tie and two files
    experts, files = _mixed_world(file)
    # when the batch is computed
    batch = conflicts_for(experts, files, today=TODAY)
    # then every pair equals the single computation, and the conflicting pairs are the expected
    for expert in experts:
        for request in files:
            assert batch[(expert.pk, request.pk)] == expert_conflicts(expert, request, today=TODAY)
    assert {key: [c.kind for c in value] for key, value in batch.items()} == {
        (experts[0].pk, files[0].pk): [ConflictKind.EMPLOYER],
        (experts[0].pk, files[1].pk): [ConflictKind.EMPLOYER],
        (experts[1].pk, files[0].pk): [ConflictKind.GROUP],
        (experts[2].pk, files[0].pk): [ConflictKind.JOINT_PROJECT],
        (experts[3].pk, files[0].pk): [ConflictKind.RELATIONSHIP],
        (experts[4].pk, files[1].pk): [ConflictKind.EXCLUSION, ConflictKind.AFFILIATION],
        (experts[4].pk, files[0].pk): [ConflictKind.AFFILIATION],
        (experts[5].pk, files[0].pk): [ConflictKind.DECLARATION],
        (experts[5].pk, files[1].pk): [ConflictKind.CONTACT],
    }


def test_the_batch_form_takes_a_fixed_number_of_queries(file):
    # given a few experts and files, then many more
    experts, files = _mixed_world(file)

    def count(some_experts, some_files) -> int:
        with CaptureQueriesContext(connection) as queries:
            conflicts_for(some_experts, some_files, today=TODAY)
        return len(queries)

    few = count(experts, files[:1])
    more_files = files + [RequestFactory() for _ in range(5)]
    more_experts = experts + [ExpertFactory(employer=OrganisationFactory()) for _ in range(5)]
    for extra in more_files[2:]:
        PartnerFactory(request=extra, organisation=file.lab)
    # then the count does not grow with them, and stays at most nine
    assert count(more_experts, more_files) == few
    assert few <= 9


def test_ids_are_accepted_as_well_as_objects(file):
    # given an expert in conflict
    expert = ExpertFactory(employer=file.lab)
    # then ids give the same answer
    assert conflicts_for([expert.pk], [file.pk], today=TODAY) == conflicts_for(
        [expert], [file], today=TODAY
    )


def test_unknown_pairs_read_as_no_conflict(file):
    # given no expert at all
    found = conflicts_for([], [file], today=TODAY)
    # then any lookup is an empty list, and nothing is stored
    assert found[(1, file.pk)] == []
    assert dict(found) == {}
