"""Organisation profiles through the API: the fields each caller may see, competences by facet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from grappe.members.models import Competence
from grappe.members.tests.factories import FiguresFactory, MembershipFactory, OrganisationFactory

GATED = {"address", "identifiers", "email", "phone", "contacts", "headcount", "turnover"}


@pytest.fixture
def profile(world):
    """The member organisation with everything filled in."""
    organisation = world.member_org
    organisation.street, organisation.postcode = "12 rue de la Lumière", "13013"
    organisation.siren, organisation.email, organisation.phone = (
        "552100554",
        "contact@lumiere.fr",
        "04 91 00 00 00",
    )
    organisation.founded_year = 2004
    organisation.save()
    organisation.competences.set(
        Competence.objects.filter(
            version__is_current=True, code__in=["tech.lasers", "tech.lasers.fibre", "market.space"]
        )
    )
    FiguresFactory(
        organisation=organisation, year=2025, headcount=42, turnover=Decimal("6100000.00")
    )
    return organisation


def test_anonymous_callers_see_the_public_fields_only(client, profile):
    # when a visitor reads the profile
    data = client.get(f"/api/v1/organisations/{profile.slug}").json()

    # then only the public fields of the gated ones are there
    assert GATED & set(data) == {"address", "identifiers"}
    assert data["founded_year"] == 2004
    assert data["address"] == {
        "street": "12 rue de la Lumière", "postcode": "13013", "city": "Marseille",
        "latitude": None, "longitude": None,
    }  # fmt: skip
    assert data["identifiers"] == {"siren": "552100554", "siret": "", "vat_number": ""}
    assert data["is_member"] is True
    assert data["url"] == f"http://testserver/directory/{profile.slug}/"


def test_members_of_another_organisation_see_the_members_fields(login, profile, other_member):
    # when a member of another organisation reads the profile
    data = login(other_member).get(f"/api/v1/organisations/{profile.slug}").json()

    # then they see e-mail, phone, headcount and the listed contacts, not the turnover
    assert GATED & set(data) == {
        "address",
        "identifiers",
        "email",
        "phone",
        "contacts",
        "headcount",
    }
    assert (data["email"], data["phone"], data["headcount"]) == (
        "contact@lumiere.fr",
        "04 91 00 00 00",
        42,
    )
    assert data["figures_year"] == 2025
    assert [c["name"] for c in data["contacts"]] == ["Alice Listed"]


def test_the_organisations_own_people_and_staff_see_everything(login, profile, member, staff):
    for user in (member, staff):
        # when one of its contacts, then staff, read the profile
        data = login(user).get(f"/api/v1/organisations/{profile.slug}").json()

        # then every gated field is there, the turnover and every contact included
        assert set(data) >= GATED
        assert data["turnover"] == "6100000.00"
        assert sorted(c["name"] for c in data["contacts"]) == sorted(
            a.person.full_name for a in profile.affiliations.select_related("person")
        )


def test_an_organisation_opening_a_field_shows_it_to_everyone(client, profile):
    # given the organisation made its e-mail public (allowed by the default policy)
    profile.visibility = {"email": "public"}
    profile.save(update_fields=["visibility"])

    # when a visitor reads the profile
    data = client.get(f"/api/v1/organisations/{profile.slug}").json()

    # then the e-mail is there
    assert data["email"] == "contact@lumiere.fr"


def test_competences_come_by_facet_in_the_request_language(client, profile):
    # when the profile is read in English, then in French
    english = client.get(f"/api/v1/organisations/{profile.slug}?lang=en").json()
    french = client.get(f"/api/v1/organisations/{profile.slug}", HTTP_ACCEPT_LANGUAGE="fr").json()

    # then competences are grouped by facet, with codes and names in that language
    assert english["competences"] == {
        "technology": [
            {"code": "tech.lasers", "name": "Lasers and sources"},
            {"code": "tech.lasers.fibre", "name": "Fibre lasers"},
        ],
        "market": [{"code": "market.space", "name": "Space"}],
        "value_chain": [],
        "trl": [],
    }
    assert french["competences"]["technology"][1] == {
        "code": "tech.lasers.fibre",
        "name": "Lasers à fibre",
    }
    assert english["description"] == "Design of optical systems."
    assert french["description"] == "Conception de systèmes optiques."


def test_a_profile_reads_in_a_fixed_number_of_queries(
    client, profile, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/organisations/{profile.slug}")
    assert response.status_code == 200


# The list: the directory's own search, as the directory page uses it.


@pytest.fixture
def directory(world):
    """Three member organisations about lasers, imaging and space, and a non-member."""
    from grappe.directory.indexing import organisation_reindex

    def org(name: str, slug: str, codes: list[str], *, member: bool = True):
        organisation = OrganisationFactory(name=name, slug=slug)
        organisation.competences.set(
            Competence.objects.filter(version__is_current=True, code__in=codes)
        )
        if member:
            MembershipFactory(organisation=organisation)
        return organisation

    orgs = [
        org(
            "Laser Fibre Provence", "laser-fibre-provence", ["tech.lasers.fibre", "market.industry"]
        ),
        org("Vision Sud", "vision-sud", ["tech.imaging", "market.agrifood"]),
        org("Optique Spatiale", "optique-spatiale", ["tech.systems", "market.space"]),
        org("Laser Hors Pôle", "laser-hors-pole", ["tech.lasers.diodes"], member=False),
    ]
    organisation_reindex([o.pk for o in [*orgs, world.member_org, world.non_member_org]])
    return orgs


def test_the_list_is_the_directorys_search(client, directory):
    from django.contrib.auth.models import AnonymousUser

    from grappe.directory.search import directory_search, parse_directory_query

    # given what the directory's search finds for lasers, 2 a page
    params = {"technology": ["tech.lasers"], "q": ["laser"]}
    with translation.override("en"):
        expected = directory_search(
            parse_directory_query(params), viewer=AnonymousUser(), per_page=2
        )

    # when a visitor asks the API the same
    response = client.get("/api/v1/organisations?technology=tech.lasers&q=laser&per_page=2&lang=en")

    # then the API gives the same page, totals and facets
    data = response.json()
    assert [item["slug"] for item in data["items"]] == [o.slug for o in expected.results]
    assert (data["total"], data["page"], data["pages"], data["per_page"]) == (
        expected.total, 1, expected.pages, 2,
    )  # fmt: skip
    assert data["facets"] == {
        name: [
            {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected,
             "depth": v.depth}
            for v in values
        ]
        for name, values in expected.facets.items()
    }  # fmt: skip
    assert data["suggestion"] == expected.suggestion


def test_a_list_item_carries_the_summary_and_competence_codes(client, directory):
    data = client.get("/api/v1/organisations?technology=tech.lasers&lang=en").json()

    # then only the member about lasers is listed, described in English
    assert data["total"] == 1
    assert data["items"] == [
        {
            "slug": "laser-fibre-provence",
            "name": "Laser Fibre Provence",
            "kind": "sme",
            "kind_label": "SME",
            "college": "sme",
            "college_label": "SMEs and start-ups",
            "size_class": "small",
            "size_class_label": "Small (< 50)",
            "city": "Marseille",
            "region": "FRL0",
            "region_label": data["items"][0]["region_label"],
            "country": "FR",
            "website": "",
            "logo": None,
            "description": "Design of optical systems.",
            "is_member": True,
            "url": "http://testserver/directory/laser-fibre-provence/",
            "competences": ["market.industry", "tech.lasers.fibre"],
        }
    ]
    assert data["items"][0]["region_label"]
    technology = {v["value"]: v for v in data["facets"]["technology"]}
    assert technology["tech.lasers"]["selected"] is True


def test_staff_may_list_non_members_too(login, directory, staff):
    # when staff ask for every organisation about lasers
    data = (
        login(staff)
        .get("/api/v1/organisations?technology=tech.lasers&include_non_members=true")
        .json()
    )

    # then the non-member is there, marked as such
    assert {item["slug"]: item["is_member"] for item in data["items"]} == {
        "laser-fibre-provence": True,
        "laser-hors-pole": False,
    }


def test_visitors_cannot_list_non_members(client, directory):
    data = client.get(
        "/api/v1/organisations?technology=tech.lasers&include_non_members=true"
    ).json()

    assert [item["slug"] for item in data["items"]] == ["laser-fibre-provence"]


def test_more_than_100_a_page_is_refused(client, directory):
    response = client.get("/api/v1/organisations?per_page=101", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "per_page": ["Enter a value less than or equal to 100."]
    }


def test_the_list_takes_a_fixed_number_of_queries(
    login, directory, member, django_assert_max_num_queries
):
    from grappe.directory.indexing import organisation_reindex

    # given many member organisations with competences
    lasers = list(Competence.objects.filter(version__is_current=True, code__startswith="tech."))
    many = []
    for index in range(40):
        organisation = OrganisationFactory(name=f"Photon {index:02d}")
        organisation.competences.set(lasers[index % 5 : index % 5 + 3])
        MembershipFactory(organisation=organisation)
        many.append(organisation.pk)
    organisation_reindex(many)
    client = login(member)
    client.get("/api/v1/organisations?per_page=1")  # the search loads its snapshot once

    # when a member lists 5 then 100 a page
    for per_page in (5, 100):
        with django_assert_max_num_queries(14):
            response = client.get(f"/api/v1/organisations?per_page={per_page}")
        assert response.status_code == 200
    assert response.json()["total"] == 44
