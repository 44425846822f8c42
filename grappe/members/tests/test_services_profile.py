import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grappe.core.models import AuditEntry
from grappe.members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    Consent,
    ConsentChannel,
    ConsentSource,
    Person,
)
from grappe.members.services import (
    affiliation_withdraw,
    consent_record,
    contact_add,
    contact_end,
    my_profile_update,
)
from grappe.members.services.profile import consents_in_force
from grappe.members.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# my_profile_update


def test_my_profile_update_changes_the_person_the_login_and_records_changed_consents(registered):
    # given a registered person who accepted the newsletter at sign-up
    person = registered.person
    consent_record(
        person=person, channel=ConsentChannel.NEWSLETTER, granted=True, source=ConsentSource.SIGNUP
    )
    # when they change their name and language, keep the newsletter and join the directory
    my_profile_update(
        actor=registered,
        data={"first_name": "Inès", "last_name": "Morel", "job_title": "CTO", "language": "en"},
        consents={ConsentChannel.NEWSLETTER: True, ConsentChannel.DIRECTORY: True},
    )
    # then the person and the login follow, and only the changed consent is recorded
    person.refresh_from_db()
    registered.refresh_from_db()
    assert (person.first_name, person.last_name, person.job_title, person.language) == (
        "Inès",
        "Morel",
        "CTO",
        "en",
    )
    assert (registered.first_name, registered.last_name, registered.language) == (
        "Inès",
        "Morel",
        "en",
    )
    rows = list(
        Consent.objects.filter(person=person)
        .order_by("id")
        .values_list("channel", "granted", "source")
    )
    assert rows == [
        ("newsletter", True, "signup"),
        ("directory", True, "profile"),
    ]
    assert consents_in_force(person) == {"directory": True, "newsletter": True}
    assert AuditEntry.objects.filter(action="person.update", object_id=str(person.pk)).count() == 1


def test_my_profile_update_withdrawing_a_consent_keeps_the_history(registered):
    # given a person who accepted the newsletter
    person = registered.person
    consent_record(
        person=person, channel=ConsentChannel.NEWSLETTER, granted=True, source=ConsentSource.SIGNUP
    )
    # when they withdraw it
    my_profile_update(actor=registered, data={}, consents={ConsentChannel.NEWSLETTER: False})
    # then both decisions are kept, the latest in force
    assert list(
        Consent.objects.filter(person=person).order_by("id").values_list("granted", flat=True)
    ) == [True, False]
    assert consents_in_force(person)[ConsentChannel.NEWSLETTER] is False


def test_my_profile_update_creates_the_person_of_a_login_without_one(db):
    # given a login made without a person (as `createsuperuser` does)
    user = UserFactory(email="chef@example.org", first_name="", last_name="")
    # when it saves its profile
    person = my_profile_update(
        actor=user, data={"first_name": "Claire", "last_name": "Roux", "email": "chef@example.org"}
    )
    # then a person is linked to the login
    assert Person.objects.get(user=user) == person
    assert (person.first_name, person.last_name, person.email) == (
        "Claire",
        "Roux",
        "chef@example.org",
    )
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk)).count() == 1


def test_my_profile_update_refuses_an_unknown_field_and_changes_nothing(registered):
    # given a registered person
    before = Person.objects.get(user=registered).first_name
    # when they try to change a field that is not theirs to change
    with pytest.raises(ValidationError) as error:
        my_profile_update(actor=registered, data={"first_name": "X", "user": None})
    # then nothing is written
    assert error.value.message_dict == {"user": ["Ce champ ne peut pas être modifié ici."]}
    assert Person.objects.get(user=registered).first_name == before


def test_my_profile_update_refuses_a_visitor(client):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        my_profile_update(actor=AnonymousUser(), data={"first_name": "X"})
    assert Person.objects.count() == 0


# contact_add


def test_contact_add_creates_the_person_and_the_affiliation_and_tells_them(
    org_admin, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    # given an administrator of a member organisation
    # when they add a colleague unknown to the cluster
    with django_capture_on_commit_callbacks(execute=True):
        affiliation = contact_add(
            actor=org_admin,
            organisation=member_org,
            first_name="Paul",
            last_name="Durand",
            email="Paul.Durand@Lumiere.example",
            job_title="Ingénieur",
            role=AffiliationRole.TECHNICAL,
        )
    # then a person and a confirmed affiliation exist, and the person is told
    person = Person.objects.get(email="paul.durand@lumiere.example")
    assert (person.first_name, person.last_name, person.job_title) == (
        "Paul",
        "Durand",
        "Ingénieur",
    )
    assert (
        affiliation.person,
        affiliation.organisation,
        affiliation.status,
        affiliation.is_admin,
    ) == (
        person,
        member_org,
        AffiliationStatus.CONFIRMED,
        False,
    )
    assert [m.to for m in mailoutbox] == [["paul.durand@lumiere.example"]]
    assert mailoutbox[0].subject == "Vous êtes contact de Lumière Marseille sur Grappe"


def test_contact_add_reuses_the_person_known_by_that_address(org_admin, member_org):
    # given a person already known (from another organisation)
    known = PersonFactory(email="lea@example.org", first_name="Léa", last_name="Martin")
    # when an administrator adds the same address
    affiliation = contact_add(
        actor=org_admin,
        organisation=member_org,
        first_name="L.",
        last_name="M.",
        email="LEA@example.org",
    )
    # then the known person is affiliated, not duplicated, and their name kept
    assert affiliation.person == known
    assert Person.objects.filter(email__iexact="lea@example.org").count() == 1
    known.refresh_from_db()
    assert known.first_name == "Léa"


def test_contact_add_refuses_a_current_contact(org_admin, member_org, mailoutbox):
    # given a person already a contact of the organisation
    person = PersonFactory(email="deja@example.org")
    AffiliationFactory(person=person, organisation=member_org)
    # when an administrator adds them again
    with pytest.raises(ValidationError) as error:
        contact_add(
            actor=org_admin,
            organisation=member_org,
            first_name="Déjà",
            last_name="Là",
            email="deja@example.org",
        )
    # then nothing is written
    assert error.value.message_dict == {
        "email": ["deja@example.org est déjà contact de cette organisation."]
    }
    assert Affiliation.objects.filter(person=person).count() == 1
    assert mailoutbox == []


def test_contact_add_is_refused_to_a_plain_contact(member, member_org, mailoutbox):
    with pytest.raises(PermissionDenied):
        contact_add(
            actor=member,
            organisation=member_org,
            first_name="Intrus",
            last_name="Nouveau",
            email="intrus@example.org",
        )
    assert Person.objects.filter(email="intrus@example.org").exists() is False
    assert mailoutbox == []


# contact_end


def test_contact_end_closes_the_affiliation_today(org_admin, member_org):
    # given a contact of the organisation
    person = PersonFactory()
    affiliation = AffiliationFactory(person=person, organisation=member_org)
    # when an administrator ends it
    contact_end(actor=org_admin, affiliation=affiliation)
    # then it ends today
    from django.utils import timezone

    affiliation.refresh_from_db()
    assert affiliation.end == timezone.localdate()


def test_contact_end_keeps_the_last_administrator(org_admin, member_org):
    # given the only administrator of the organisation
    affiliation = Affiliation.objects.get(person__user=org_admin, organisation=member_org)
    # when they try to leave
    with pytest.raises(ValidationError) as error:
        contact_end(actor=org_admin, affiliation=affiliation)
    # then they stay
    assert error.value.message_dict == {
        "is_admin": ["Une organisation garde au moins un administrateur."]
    }
    affiliation.refresh_from_db()
    assert affiliation.end is None


def test_contact_end_lets_staff_remove_the_last_administrator(staff, org_admin, member_org):
    affiliation = Affiliation.objects.get(person__user=org_admin, organisation=member_org)
    contact_end(actor=staff, affiliation=affiliation)
    affiliation.refresh_from_db()
    assert affiliation.end is not None


# affiliation_withdraw


def test_affiliation_withdraw_deletes_the_pending_request_with_an_audit_row(registered):
    # given a pending request of a registered person
    organisation = OrganisationFactory()
    request = AffiliationFactory(
        person=registered.person, organisation=organisation, status=AffiliationStatus.PENDING
    )
    pk = request.pk
    # when they withdraw it
    affiliation_withdraw(actor=registered, affiliation=request)
    # then it is gone, and the audit trail says so
    assert Affiliation.objects.filter(pk=pk).exists() is False
    entry = AuditEntry.objects.get(action="affiliation.withdraw", object_id=str(pk))
    assert entry.changes["status"] == ["pending", "withdrawn"]


def test_affiliation_withdraw_is_refused_to_someone_else(registered, other_member):
    organisation = OrganisationFactory()
    request = AffiliationFactory(
        person=registered.person, organisation=organisation, status=AffiliationStatus.PENDING
    )
    with pytest.raises(PermissionDenied):
        affiliation_withdraw(actor=other_member, affiliation=request)
    assert Affiliation.objects.filter(pk=request.pk).exists() is True


def test_affiliation_withdraw_refuses_an_answered_request(registered):
    organisation = OrganisationFactory()
    confirmed = AffiliationFactory(person=registered.person, organisation=organisation)
    with pytest.raises(ValidationError):
        affiliation_withdraw(actor=registered, affiliation=confirmed)
    assert Affiliation.objects.filter(pk=confirmed.pk).exists() is True


def test_my_profile_update_sets_own_competences_keeps_deactivated_ones_and_audits(
    registered, staff
):
    # given a person tagged with a competence staff have since deactivated
    from grappe.members.models import Competence
    from grappe.members.services import competence_update

    current = Competence.objects.filter(version__is_current=True)
    fibre = current.get(code="tech.lasers.fibre")
    ultrafast = current.get(code="tech.lasers.ultrafast")
    health = current.get(code="market.health")
    person = registered.person
    person.competences.add(ultrafast)
    competence_update(actor=staff, competence=ultrafast, data={"is_active": False})
    # when they choose a technology and a market on their profile
    my_profile_update(actor=registered, data={}, competences=[fibre, health])
    # then both are set, the deactivated tag stays, and the change is audited
    assert set(person.competences.values_list("code", flat=True)) == {
        "tech.lasers.fibre",
        "tech.lasers.ultrafast",
        "market.health",
    }
    entry = AuditEntry.objects.get(action="person.competences")
    assert entry.actor == registered
    assert entry.changes == {
        "competences": [
            ["tech.lasers.ultrafast"],
            ["market.health", "tech.lasers.fibre", "tech.lasers.ultrafast"],
        ]
    }


def test_my_profile_update_refuses_competences_not_offered_to_people(registered):
    # given a value-chain competence (organisations only) and an inactive one
    from grappe.members.models import Competence, Facet

    chain = Competence.objects.filter(version__is_current=True, facet=Facet.VALUE_CHAIN).first()
    # when the person picks it
    with pytest.raises(ValidationError) as raised:
        my_profile_update(actor=registered, data={}, competences=[chain])
    # then it is refused and nothing is written
    assert list(raised.value.message_dict) == ["competences"]
    assert registered.person.competences.count() == 0
    assert not AuditEntry.objects.filter(action="person.competences").exists()
