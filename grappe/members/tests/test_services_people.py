"""People, their affiliations (request, confirm, refuse, end, administrators) and consents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grappe.core.audit import snapshot
from grappe.core.models import AuditEntry
from grappe.members import services
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    Consent,
    ConsentChannel,
    ConsentSource,
    Person,
)
from grappe.members.selectors import organisation_contacts
from grappe.members.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PENDING, CONFIRMED, REFUSED = (
    AffiliationStatus.PENDING, AffiliationStatus.CONFIRMED, AffiliationStatus.REFUSED,
)  # fmt: skip


def _admin_affiliation(user, organisation) -> Affiliation:
    return Affiliation.objects.get(person__user=user, organisation=organisation)


def _request(registered, organisation) -> Affiliation:
    return services.affiliation_request(actor=registered, organisation=organisation)


# --- Requests to join ---------------------------------------------------------------------


def test_a_registered_person_asks_to_join_and_the_administrators_are_told(
    registered, org_admin, member_org, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        affiliation = services.affiliation_request(
            actor=registered, organisation=member_org, role="technical"
        )
    assert (affiliation.person, affiliation.status, affiliation.role) == (
        registered.person, PENDING, "technical",
    )  # fmt: skip
    assert affiliation.start == timezone.localdate()
    assert AuditEntry.objects.filter(action="affiliation.request").get().actor == registered
    assert [mail.to for mail in mailoutbox] == [[org_admin.person.email]]
    # and, pending, they are not a contact yet
    assert registered.person not in [a.person for a in organisation_contacts(member_org)]


def test_asking_twice_is_refused(registered, member_org, mailoutbox):
    _request(registered, member_org)
    with pytest.raises(ValidationError) as raised:
        _request(registered, member_org)
    assert list(raised.value.message_dict) == ["organisation"]
    assert Affiliation.objects.filter(person=registered.person, status=PENDING).count() == 1


def test_a_contact_cannot_ask_to_join_their_own_organisation(member, member_org):
    with pytest.raises(PermissionDenied):
        _request(member, member_org)


def test_a_visitor_cannot_ask_to_join(member_org):
    with pytest.raises(PermissionDenied):
        _request(AnonymousUser(), member_org)
    assert Affiliation.objects.filter(status=PENDING).count() == 0


def test_a_login_without_a_person_is_asked_to_complete_its_profile(member_org):
    # given a login made without the sign-up form (no person behind it)
    user = UserFactory()
    # when it asks to join, then the refusal names the missing person, nothing is written
    with pytest.raises(ValidationError) as raised:
        _request(user, member_org)
    assert list(raised.value.message_dict) == ["person"]
    assert Affiliation.objects.filter(status=PENDING).count() == 0


@pytest.mark.parametrize(
    ("decide", "status", "template_word"),
    [(services.affiliation_confirm, CONFIRMED, "confirm"),
     (services.affiliation_refuse, REFUSED, "refuse")],
)  # fmt: skip
def test_an_administrator_answers_a_request(
    decide, status, template_word, registered, org_admin, member_org, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    affiliation = _request(registered, member_org)
    with django_capture_on_commit_callbacks(execute=True):
        decide(actor=org_admin, affiliation=affiliation)
    affiliation.refresh_from_db()
    assert affiliation.status == status
    entry = AuditEntry.objects.get(action=f"affiliation.{template_word}")
    assert (entry.actor, entry.changes["status"]) == (org_admin, ["pending", status])
    assert [mail.to for mail in mailoutbox] == [[registered.person.email]]


def test_a_confirmed_request_makes_a_contact(registered, org_admin, member_org):
    affiliation = _request(registered, member_org)
    services.affiliation_confirm(actor=org_admin, affiliation=affiliation)
    assert affiliation in organisation_contacts(member_org)


def test_staff_answer_a_request_left_unanswered(registered, staff, member_org):
    affiliation = _request(registered, member_org)
    services.affiliation_confirm(actor=staff, affiliation=affiliation)
    affiliation.refresh_from_db()
    assert affiliation.status == CONFIRMED


@pytest.mark.parametrize("role", ["member", "other_member", "registered", "expert"])
def test_only_administrators_and_staff_answer_a_request(request, member_org, role, mailoutbox):
    affiliation = AffiliationFactory(organisation=member_org, status=PENDING)
    with pytest.raises(PermissionDenied):
        services.affiliation_confirm(actor=request.getfixturevalue(role), affiliation=affiliation)
    affiliation.refresh_from_db()
    assert affiliation.status == PENDING
    assert mailoutbox == []


@pytest.mark.parametrize("status", [CONFIRMED, REFUSED])
def test_an_answered_request_cannot_be_answered_again(org_admin, member_org, status, mailoutbox):
    affiliation = AffiliationFactory(organisation=member_org, status=status)
    with pytest.raises(ValidationError) as raised:
        services.affiliation_refuse(actor=org_admin, affiliation=affiliation)
    assert list(raised.value.message_dict) == ["status"]
    affiliation.refresh_from_db()
    assert affiliation.status == status
    assert mailoutbox == []


# --- Ending, administrators ----------------------------------------------------------------


def test_an_administrator_ends_a_colleagues_affiliation(org_admin, member, member_org):
    affiliation = _admin_affiliation(member, member_org)
    services.affiliation_end(actor=org_admin, affiliation=affiliation, end=dt.date(2026, 3, 31))
    affiliation.refresh_from_db()
    assert affiliation.end == dt.date(2026, 3, 31)
    entry = AuditEntry.objects.get(action="affiliation.end")
    assert entry.changes == {"end": [None, "2026-03-31"]}


def test_an_end_before_the_start_is_refused(org_admin, member, member_org):
    affiliation = _admin_affiliation(member, member_org)
    with pytest.raises(ValidationError) as raised:
        services.affiliation_end(actor=org_admin, affiliation=affiliation, end=dt.date(2019, 1, 1))
    assert list(raised.value.message_dict) == ["end"]
    affiliation.refresh_from_db()
    assert affiliation.end is None


def test_a_pending_request_is_refused_not_ended(org_admin, member_org):
    affiliation = AffiliationFactory(organisation=member_org, status=PENDING)
    with pytest.raises(ValidationError) as raised:
        services.affiliation_end(actor=org_admin, affiliation=affiliation)
    assert list(raised.value.message_dict) == ["status"]


def test_the_last_administrator_cannot_leave(org_admin, member_org):
    # given the only administrator of the organisation
    affiliation = _admin_affiliation(org_admin, member_org)
    before = snapshot(affiliation)
    # when they end their own affiliation, then it is refused and nothing changes
    with pytest.raises(ValidationError) as raised:
        services.affiliation_end(actor=org_admin, affiliation=affiliation)
    assert list(raised.value.message_dict) == ["end"]
    affiliation.refresh_from_db()
    assert snapshot(affiliation) == before
    assert AuditEntry.objects.count() == 0


def test_an_administrator_may_leave_once_another_one_is_named(org_admin, member, member_org):
    services.affiliation_set_admin(
        actor=org_admin, affiliation=_admin_affiliation(member, member_org), is_admin=True
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.affiliation_end(
        actor=org_admin, affiliation=_admin_affiliation(org_admin, member_org), end=yesterday
    )
    assert [a.person for a in organisation_contacts(member_org).filter(is_admin=True)] == [
        member.person
    ]


def test_staff_may_end_the_last_administrator(staff, org_admin, member_org):
    affiliation = _admin_affiliation(org_admin, member_org)
    services.affiliation_end(actor=staff, affiliation=affiliation)
    affiliation.refresh_from_db()
    assert affiliation.end == timezone.localdate()


def test_the_last_administrator_cannot_step_down(org_admin, member_org):
    affiliation = _admin_affiliation(org_admin, member_org)
    with pytest.raises(ValidationError) as raised:
        services.affiliation_set_admin(actor=org_admin, affiliation=affiliation, is_admin=False)
    assert list(raised.value.message_dict) == ["is_admin"]
    affiliation.refresh_from_db()
    assert affiliation.is_admin is True


def test_staff_may_remove_the_last_administrator(staff, org_admin, member_org):
    affiliation = _admin_affiliation(org_admin, member_org)
    services.affiliation_set_admin(actor=staff, affiliation=affiliation, is_admin=False)
    affiliation.refresh_from_db()
    assert affiliation.is_admin is False
    assert AuditEntry.objects.get(action="affiliation.admin").changes == {"is_admin": [True, False]}


def test_a_pending_request_cannot_be_made_administrator(org_admin, member_org):
    affiliation = AffiliationFactory(organisation=member_org, status=PENDING)
    with pytest.raises(ValidationError) as raised:
        services.affiliation_set_admin(actor=org_admin, affiliation=affiliation, is_admin=True)
    assert list(raised.value.message_dict) == ["is_admin"]


@pytest.mark.parametrize("role", ["member", "other_member", "registered"])
def test_only_administrators_and_staff_manage_contacts(request, member, member_org, role):
    affiliation = _admin_affiliation(member, member_org)
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.affiliation_set_admin(actor=actor, affiliation=affiliation, is_admin=True)
    with pytest.raises(PermissionDenied):
        services.affiliation_end(actor=actor, affiliation=affiliation)
    affiliation.refresh_from_db()
    assert (affiliation.is_admin, affiliation.end) == (False, None)


def test_an_administrator_adds_a_confirmed_contact(org_admin, member_org):
    person = PersonFactory()
    affiliation = services.affiliation_create(
        actor=org_admin, person=person, organisation=member_org, role="sales",
        start=dt.date(2026, 1, 5),
    )  # fmt: skip
    assert (affiliation.status, affiliation.start, affiliation.is_admin) == (
        CONFIRMED, dt.date(2026, 1, 5), False,
    )  # fmt: skip
    assert AuditEntry.objects.get(action="affiliation.create").actor == org_admin


def test_a_stranger_cannot_add_a_contact(other_member, member_org):
    with pytest.raises(PermissionDenied):
        services.affiliation_create(
            actor=other_member, person=PersonFactory(), organisation=member_org
        )


# --- People and consents ----------------------------------------------------------------------


def test_signing_up_links_the_person_known_by_the_same_address():
    # given a person already known (added as a contact) and a new login with their address
    known = PersonFactory(email="anne@lumiere.example", user=None)
    user = UserFactory(email="anne@lumiere.example")
    # when the sign-up completes
    person = services.person_create_for_user(
        user=user, first_name="Anne", last_name="Lumière", language="en", newsletter=True
    )
    # then the known person gets the login, and the newsletter consent is kept with its source
    assert person.pk == known.pk
    assert (person.user, person.first_name, person.language) == (user, "Anne", "en")
    consent = Consent.objects.get(person=person)
    assert (consent.channel, consent.granted, consent.source) == (
        "newsletter", True, ConsentSource.SIGNUP,
    )  # fmt: skip


def test_consents_are_a_dated_log_and_the_latest_is_in_force():
    person = PersonFactory()
    first = timezone.now() - dt.timedelta(days=30)
    services.consent_record(
        person=person, channel=ConsentChannel.NEWSLETTER, granted=True, source="signup", at=first
    )
    services.consent_record(
        person=person, channel=ConsentChannel.NEWSLETTER, granted=False, source="profile"
    )
    rows = list(person.consents.values_list("granted", "source"))
    assert rows == [(False, "profile"), (True, "signup")]


def test_an_unknown_consent_channel_is_refused():
    person = PersonFactory()
    with pytest.raises(ValidationError) as raised:
        services.consent_record(person=person, channel="fax", granted=True, source="staff")
    assert list(raised.value.message_dict) == ["channel"]
    assert Consent.objects.count() == 0


def test_a_person_updates_their_record_audited(registered):
    person = registered.person
    services.person_update(actor=registered, person=person, data={"job_title": "CTO"})
    person.refresh_from_db()
    assert person.job_title == "CTO"
    assert AuditEntry.objects.get(action="person.update").changes == {"job_title": ["", "CTO"]}


def test_a_person_cannot_update_someone_else(registered, member):
    with pytest.raises(PermissionDenied):
        services.person_update(actor=registered, person=member.person, data={"job_title": "X"})


def test_an_invalid_address_is_refused_naming_the_field(staff):
    with pytest.raises(ValidationError) as raised:
        services.person_create(
            actor=staff, data={"first_name": "A", "last_name": "B", "email": "not-an-address"}
        )
    assert list(raised.value.message_dict) == ["email"]
    assert Person.objects.filter(first_name="A").count() == 0


def test_people_created_by_staff_are_audited(staff):
    person = services.person_create(
        actor=staff, data={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@x.example"}
    )
    assert AuditEntry.objects.get(action="person.create", object_id=str(person.pk)).actor == staff


def test_organisation_without_contacts_has_none():
    assert list(organisation_contacts(OrganisationFactory())) == []
