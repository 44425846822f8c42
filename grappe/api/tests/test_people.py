"""People through the API: staff see everyone; members see who agreed to be listed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grappe.api.tests.conftest import contact
from grappe.members.models import ConsentChannel, ConsentSource
from grappe.members.services import consent_record
from grappe.members.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory


def test_members_see_only_listed_people_of_member_organisations(login, world, member):
    # given someone who agreed to be listed but works for a non-member organisation
    contact(world.non_member_org, consent=True, first_name="Carl", last_name="Elsewhere")

    # when a member lists people
    data = login(member).get("/api/v1/people?lang=en").json()

    # then only the listed contact of the member organisation appears, without staff fields
    assert data["total"] == 1
    assert data["items"] == [
        {
            "id": world.listed.pk,
            "first_name": "Alice",
            "last_name": "Listed",
            "name": "Alice Listed",
            "job_title": "",
            "organisations": [
                {
                    "organisation_slug": "lumiere-marseille",
                    "organisation_name": "Lumière Marseille",
                    "role": "sales",
                    "role_label": "Sales and marketing",
                }
            ],
        }
    ]


def test_the_latest_directory_decision_is_the_one_in_force(login, world, member):
    # given the listed person then withdrew their consent
    consent_record(
        person=world.listed,
        channel=ConsentChannel.DIRECTORY,
        granted=False,
        source=ConsentSource.PROFILE,
        at=timezone.now() + dt.timedelta(seconds=1),
    )

    # when a member lists people, or asks for that person
    listing = login(member).get("/api/v1/people").json()
    detail = login(member).get(f"/api/v1/people/{world.listed.pk}")

    # then they are gone
    assert listing["total"] == 0
    assert detail.status_code == 404


def test_people_who_left_a_member_organisation_are_not_listed(login, world, member):
    # given the listed person's affiliation ended last year
    affiliation = world.listed.affiliations.get()
    affiliation.end = dt.date(timezone.localdate().year - 1, 12, 31)
    affiliation.save(update_fields=["end"])

    # when a member lists people
    data = login(member).get("/api/v1/people").json()

    # then nobody is listed
    assert data["total"] == 0


def test_staff_see_everyone_with_contact_details_and_filters(login, world, staff):
    # when staff list people at the member organisation whose name has "bob"
    data = login(staff).get("/api/v1/people?organisation=lumiere-marseille&q=bob").json()

    # then the unlisted person is found, with staff fields
    assert data["total"] == 1
    [bob] = data["items"]
    assert bob["name"] == "Bob Unlisted"
    assert bob["email"] == world.unlisted.email
    assert bob["language"] == "fr"
    assert bob["organisations"][0]["is_admin"] is False


def test_the_people_list_takes_a_fixed_number_of_queries(
    login, world, staff, django_assert_max_num_queries
):
    # given many people at many organisations
    for index in range(30):
        organisation = OrganisationFactory()
        for _ in range(2):
            AffiliationFactory(
                organisation=organisation, person=PersonFactory(job_title=f"Engineer {index}")
            )
    client = login(staff)

    # when staff list 5 then 100 a page, the number of queries does not grow
    for per_page in (5, 100):
        with django_assert_max_num_queries(9):
            response = client.get(f"/api/v1/people?per_page={per_page}")
        assert response.status_code == 200
    assert response.json()["total"] == 60 + 2 + 1  # and staff themselves
