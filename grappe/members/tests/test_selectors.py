import datetime as dt

import pytest

from grappe.members.models import MembershipStatus
from grappe.members.selectors import person_is_member, user_is_member
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_person_is_member_while_affiliated_to_an_active_member():
    # given an organisation active in 2025 and a person affiliated from March to June 2025
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, year=2025)
    person = PersonFactory()
    AffiliationFactory(
        person=person,
        organisation=organisation,
        start=dt.date(2025, 3, 1),
        end=dt.date(2025, 6, 30),
    )
    # then membership follows the dated affiliation
    assert person_is_member(person, dt.date(2025, 2, 28)) is False
    assert person_is_member(person, dt.date(2025, 3, 1)) is True
    assert person_is_member(person, dt.date(2025, 6, 30)) is True
    assert person_is_member(person, dt.date(2025, 7, 1)) is False


def test_person_is_not_member_when_the_membership_is_not_active():
    for status in [s for s in MembershipStatus.values if s != MembershipStatus.ACTIVE]:
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, year=2025, status=status)
        person = PersonFactory()
        AffiliationFactory(person=person, organisation=organisation, start=dt.date(2024, 1, 1))
        assert person_is_member(person, dt.date(2025, 5, 1)) is False, status


def test_member_fixture_is_member_and_registered_is_not(member, registered):
    assert user_is_member(member) is True
    assert user_is_member(registered) is False
