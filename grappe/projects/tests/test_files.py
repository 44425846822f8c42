"""Preparing a file: creation by a contact of a member, the draft edited by its contacts, the
consortium, the contacts, and resubmission to another session."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.core.models import AuditEntry
from grappe.members.models import Competence, OrgKind, TaxonomyVersion
from grappe.members.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from grappe.projects.models import (
    ExpertExclusion,
    FundingScheme,
    LabellingRequest,
    Partner,
    PartnerRole,
    Project,
    ProjectContact,
    RequestStatus,
    Stage,
)
from grappe.projects.services import files as services
from grappe.projects.tests.factories import ExpertFactory, SessionFactory

S = RequestStatus
VALID_SIRET = "73282932000074"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def create(member, member_org, session, **extra):
    values = {
        "actor": member, "session": session, "lead": member_org, "acronym": "HYPERSPEC",
        "title": "Imagerie hyperspectrale embarquée", "scheme": FundingScheme.PSPC,
        "summary_public": "Un imageur compact.",
    } | extra  # fmt: skip
    return services.request_create(**values)


def test_a_contact_of_a_member_starts_a_file_led_by_their_organisation(db, member, member_org):
    # given an open session
    session = SessionFactory()
    # when a contact of a member organisation starts a file
    request = create(member, member_org, session)
    # then a draft exists, its organisation coordinates, and its author is its contact
    assert (request.status, request.project.acronym, request.project.lead) == (
        S.DRAFT, "HYPERSPEC", member_org,
    )  # fmt: skip
    coordinator = request.partners.get()
    assert (coordinator.role, coordinator.organisation, coordinator.name, coordinator.budget) == (
        PartnerRole.COORDINATOR, member_org, member_org.name, Decimal("0.00"),
    )  # fmt: skip
    assert list(request.contacts.values_list("user", "partner")) == [(member.pk, coordinator.pk)]
    assert [e.action for e in audit_for(request)] == ["request.create"]


def test_someone_without_a_member_organisation_may_not_start_a_file(db, registered):
    session = SessionFactory()
    organisation = OrganisationFactory()
    with pytest.raises(PermissionDenied) as refusal:
        create(registered, organisation, session)
    assert str(refusal.value) == (
        "Only contacts of a member organisation may submit a project file: you are not a "
        "confirmed contact of an organisation whose membership is active."
    )
    assert not Project.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_lead_must_be_a_member_organisation_of_the_author(db, member, other_member):
    other_org = other_member.person.affiliations.get().organisation
    with pytest.raises(ValidationError) as refusal:
        create(member, other_org, SessionFactory())
    assert refusal.value.message_dict == {
        "lead": ["Choose a member organisation you are a contact of."]
    }
    assert not Project.objects.exists()


def test_the_session_must_be_open_and_target_the_scheme(db, member, member_org):
    closed = SessionFactory(
        opens_at=timezone.now() - dt.timedelta(days=60),
        submission_deadline=timezone.now() - dt.timedelta(days=1),
        schemes=["anr"],
    )
    with pytest.raises(ValidationError) as refusal:
        create(member, member_org, closed, acronym="", stage=Stage.PRE_PROPOSAL)
    assert refusal.value.message_dict == {
        "acronym": ["Give the project's acronym."],
        "session": ["This session is not open for submissions."],
        "scheme": ["This session does not target this scheme."],
        "stage": ["Only ANR files are pre-proposals (the cluster gives an opinion)."],
    }


def test_contacts_edit_the_draft(lworld, member):
    # given the draft and a competence of the current taxonomy
    draft = lworld.draft
    competence = Competence.objects.filter(version__is_current=True, facet="technology").first()
    # when its contact edits it
    services.request_update(
        actor=member,
        request=draft,
        changes={"title": " Nouveau titre ", "trl_start": 4, "trl_target": 7,
                 "total_budget": "1200000", "publish_consent": True},
        acronym="NEWACRO",
        competences=[competence],
    )  # fmt: skip
    # then the values are saved, audited
    draft.refresh_from_db()
    assert (draft.title, draft.trl_start, draft.trl_target, draft.total_budget) == (
        "Nouveau titre", 4, 7, Decimal("1200000.00"),
    )  # fmt: skip
    assert draft.publish_consent is True
    assert draft.project.acronym == "NEWACRO"
    assert list(draft.competences.all()) == [competence]
    assert audit_for(draft).first().action == "request.update"


def test_a_draft_edit_names_each_bad_field(lworld, member):
    draft = lworld.draft
    old = Competence.objects.create(
        version=TaxonomyVersion.objects.create(code="old"), code="x", facet="technology",
        name_fr="Ancienne", name_en="Old",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        services.request_update(
            actor=member,
            request=draft,
            changes={"trl_start": 6, "trl_target": 4, "total_budget": "-1", "scheme": "idemo",
                     "impact_export_share": "120"},
        )  # fmt: skip
    assert refusal.value.message_dict == {
        "total_budget": ["An amount cannot be negative."],
        "impact_export_share": ["A share is at most 100 %."],
        "trl_target": ["The target TRL cannot be below the TRL at start."],
    }
    with pytest.raises(ValidationError) as refusal:
        services.request_update(actor=member, request=draft, changes={}, competences=[old])
    assert refusal.value.message_dict == {
        "competences": ["Choose technologies and markets of the current taxonomy."]
    }
    draft.refresh_from_db()
    assert (draft.trl_start, draft.total_budget) == (3, Decimal("1500000.00"))


def test_only_contacts_edit_and_only_the_draft(lworld, other_member, member):
    with pytest.raises(PermissionDenied) as refusal:
        services.request_update(actor=other_member, request=lworld.draft, changes={"title": "X"})
    assert str(refusal.value) == "Only the consortium's contacts may edit this file."
    with pytest.raises(PermissionDenied) as refusal:
        services.request_update(actor=member, request=lworld.request, changes={"title": "X"})
    assert str(refusal.value) == "The file was submitted: it can no longer be changed."
    lworld.request.refresh_from_db()
    assert lworld.request.title != "X"


# --- the consortium ------------------------------------------------------------------------


def test_an_outside_french_partner_is_described_with_a_valid_siret(lworld, member):
    partner = services.partner_save(
        actor=member,
        request=lworld.draft,
        data={"name": "Optique Externe", "siret": "732 829 320 00074", "country": "FR",
              "kind": OrgKind.SME, "role": PartnerRole.PARTNER, "in_territory": False,
              "budget": "250000", "requested_aid": "112500"},
    )  # fmt: skip
    assert (partner.organisation, partner.siret, partner.budget, partner.position) == (
        None, VALID_SIRET, Decimal("250000.00"), 1,
    )  # fmt: skip


def test_a_partner_is_refused_with_each_field_named(lworld, member):
    with pytest.raises(ValidationError) as refusal:
        services.partner_save(
            actor=member,
            request=lworld.draft,
            data={"name": "", "siret": "12345678901234", "country": "FR", "kind": "alien",
                  "role": PartnerRole.COORDINATOR, "budget": "100", "requested_aid": "200"},
        )  # fmt: skip
    assert refusal.value.message_dict == {
        "name": ["Give the partner's name."],
        "kind": ["Choose the kind of organisation."],
        "siret": ["“12345678901234” is not a valid SIRET: 14 digits with a valid check digit."],
        "requested_aid": ["The aid requested cannot exceed the partner's budget."],
        "role": ["The consortium already has a coordinator: make it a partner first."],
    }
    assert lworld.draft.partners.count() == 1


def test_a_foreign_partner_has_no_siret(lworld, member):
    with pytest.raises(ValidationError) as refusal:
        services.partner_save(
            actor=member,
            request=lworld.draft,
            data={"name": "Fraunhofer", "siret": VALID_SIRET, "country": "DE",
                  "kind": OrgKind.LAB, "role": PartnerRole.PARTNER, "budget": "1"},
        )  # fmt: skip
    assert refusal.value.message_dict == {
        "siret": ["A SIRET is for French establishments: leave it empty."]
    }


def test_a_platform_partner_fills_its_own_details(lworld, member):
    lab = lworld.lab  # a member organisation
    partner = services.partner_save(
        actor=member,
        request=lworld.draft,
        data={"organisation": lab, "role": PartnerRole.PARTNER, "budget": "300000"},
    )
    assert (partner.name, partner.kind, partner.country) == (lab.name, OrgKind.LAB, "FR")
    with pytest.raises(ValidationError) as refusal:
        services.partner_save(
            actor=member,
            request=lworld.draft,
            data={"organisation": lab, "role": PartnerRole.PARTNER, "budget": "1"},
        )
    assert refusal.value.message_dict == {
        "organisation": ["This organisation is already in the consortium."]
    }


def test_an_organisation_outside_the_members_is_described_by_hand(lworld, member):
    prospect = OrganisationFactory()  # on the platform, not a member, not the author's
    with pytest.raises(ValidationError) as refusal:
        services.partner_save(
            actor=member,
            request=lworld.draft,
            data={"organisation": prospect, "role": PartnerRole.PARTNER, "budget": "1"},
        )
    assert refusal.value.message_dict == {
        "organisation": ["Choose a member organisation, or describe an outside one by hand."]
    }


def test_a_new_coordinator_becomes_the_projects_lead(lworld, member):
    draft = lworld.draft
    old = draft.partners.get()
    services.partner_save(actor=member, request=draft, partner=old, data={"role": "partner"})
    services.partner_save(
        actor=member,
        request=draft,
        data={"organisation": lworld.lab, "role": PartnerRole.COORDINATOR, "budget": "1"},
    )
    draft.project.refresh_from_db()
    assert draft.project.lead == lworld.lab


def test_the_coordinator_cannot_be_removed(lworld, member):
    coordinator = lworld.draft.partners.get()
    with pytest.raises(ValidationError):
        services.partner_remove(actor=member, request=lworld.draft, partner=coordinator)
    assert Partner.objects.filter(pk=coordinator.pk).exists()


# --- contacts --------------------------------------------------------------------------------


def _colleague(organisation, **user):
    person = PersonFactory(user=UserFactory(**user))
    AffiliationFactory(person=person, organisation=organisation)
    return person.user


def test_a_contact_adds_a_colleague_of_a_partner(
    lworld, member, django_capture_on_commit_callbacks
):
    colleague = _colleague(lworld.lab, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.contact_add(
            actor=member, request=lworld.request, email=colleague.email.upper()
        )
    assert (contact.user, contact.partner.organisation, contact.added_by) == (
        colleague, lworld.lab, member,
    )  # fmt: skip
    (message,) = mail.outbox
    assert message.to == [colleague.email]
    assert message.subject == f"{lworld.request.project.acronym}: you are a contact of the file"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("nobody", "No registered user has this address: ask them to sign up first."),
        ("outsider", "This person is not a confirmed contact of a partner organisation of the consortium."),
        ("already", "This person is already a contact of the file."),
    ],
)  # fmt: skip
def test_a_contact_must_be_registered_and_work_for_a_partner(lworld, member, who, message):
    emails = {
        "nobody": "nobody@example.org",
        "outsider": _colleague(OrganisationFactory()).email,
        "already": member.email,
    }
    with pytest.raises(ValidationError) as refusal:
        services.contact_add(actor=member, request=lworld.request, email=emails[who])
    assert refusal.value.message_dict == {"email": [message]}
    assert lworld.request.contacts.count() == 1


def test_someone_outside_the_file_may_not_add_contacts(lworld, other_member):
    with pytest.raises(PermissionDenied):
        services.contact_add(actor=other_member, request=lworld.request, email=other_member.email)
    assert lworld.request.contacts.count() == 1


def test_the_last_contact_stays(lworld, member):
    contact = lworld.request.contacts.get()
    with pytest.raises(ValidationError) as refusal:
        services.contact_remove(actor=member, request=lworld.request, contact=contact)
    assert refusal.value.message_dict == {"contact": ["A file keeps at least one contact."]}
    assert ProjectContact.objects.filter(pk=contact.pk).exists()


# --- resubmission ----------------------------------------------------------------------------


def test_a_rejected_file_is_resubmitted_to_another_session_as_a_copy(lworld, member):
    # given the world's file was rejected, with a competence and an exclusion
    request = lworld.request
    LabellingRequest.objects.filter(pk=request.pk).update(status=S.REJECTED, decision="rejected")
    request.refresh_from_db()
    competence = Competence.objects.filter(version__is_current=True).first()
    request.competences.add(competence)
    ExpertExclusion.objects.create(request=request, expert=ExpertFactory(), reason="Concurrent")
    Partner.objects.filter(request=request).update(obtained_aid=Decimal(5))
    LabellingRequest.objects.filter(pk=lworld.draft.pk).update(status=S.WITHDRAWN)
    later = SessionFactory()
    # when its contact resubmits it
    new = services.request_resubmit(actor=member, request=request, session=later)
    # then a new draft of the same project copies the file; the old one keeps its decision
    assert (new.project, new.session, new.previous, new.status) == (
        request.project, later, request, S.DRAFT,
    )  # fmt: skip
    assert new.title == request.title
    expected = [
        (p.name, p.role, p.budget, None) for p in request.partners.order_by("position", "id")
    ]
    copied = new.partners.order_by("position", "id")
    assert list(copied.values_list("name", "role", "budget", "obtained_aid")) == expected
    assert list(new.contacts.values_list("user", flat=True)) == [member.pk]
    assert list(new.competences.all()) == [competence]
    assert new.exclusions.count() == 1
    request.refresh_from_db()
    assert (request.status, request.decision) == (S.REJECTED, "rejected")


def test_a_project_with_a_file_in_progress_is_not_resubmitted(lworld, member):
    request = lworld.request
    LabellingRequest.objects.filter(pk=request.pk).update(status=S.REJECTED)
    request.refresh_from_db()
    # the world's draft of the same coordinator is another project: make it this one's
    LabellingRequest.objects.filter(pk=lworld.draft.pk).update(
        project=request.project, session=SessionFactory()
    )
    with pytest.raises(ValidationError) as refusal:
        services.request_resubmit(actor=member, request=request, session=SessionFactory())
    assert refusal.value.message_dict == {
        "previous": ["The project already has a file in progress."]
    }


def test_a_file_in_progress_is_not_resubmitted(lworld, member):
    with pytest.raises(PermissionDenied):
        services.request_resubmit(actor=member, request=lworld.request, session=SessionFactory())
    assert LabellingRequest.objects.count() == 2


def test_a_project_is_labelled_once_per_session(lworld, member):
    request = lworld.request
    LabellingRequest.objects.filter(pk=request.pk).update(status=S.CLOSED)
    request.refresh_from_db()
    with pytest.raises(ValidationError) as refusal:
        services.request_resubmit(actor=member, request=request, session=lworld.session)
    assert refusal.value.message_dict == {
        "session": ["The project already has a file in this session."]
    }


def test_a_membership_ending_stops_new_files(db, member, member_org):
    member_org.memberships.update(end=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        create(member, member_org, SessionFactory())
    assert not Project.objects.exists()
