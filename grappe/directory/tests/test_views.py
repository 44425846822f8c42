"""Wiring of the directory pages: search (HTMX), profile visibility and JSON-LD, map."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from grappe.directory.indexing import organisation_reindex
from grappe.directory.tests.conftest import make_org
from grappe.members.models import Consent, ConsentChannel, ConsentSource, Visibility
from grappe.members.tests.factories import AffiliationFactory, FiguresFactory, PersonFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def json_ld(response) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert found is not None
    return json.loads(found.group(1))


@pytest.fixture
def profiled(member_org):
    """The member organisation with every profile field filled, figures and two contacts."""
    member_org.street, member_org.postcode = "2 rue de la Lumière", "13001"
    member_org.siren, member_org.vat_number = "732829320", "FR44732829320"
    member_org.email, member_org.phone = "contact@lumiere.example", "+33 4 91 00 00 00"
    member_org.founded_year = 2004
    member_org.latitude, member_org.longitude = Decimal("43.296"), Decimal("5.370")
    member_org.save()
    FiguresFactory(organisation=member_org, headcount=42, turnover=Decimal("5100000"))
    listed = PersonFactory(first_name="Ada", last_name="Listée", email="ada@lumiere.example")
    hidden = PersonFactory(first_name="Bob", last_name="Discret", email="bob@lumiere.example")
    for person, granted in [(listed, True), (hidden, False)]:
        AffiliationFactory(person=person, organisation=member_org)
        Consent.objects.create(
            person=person, channel=ConsentChannel.DIRECTORY, granted=granted,
            at=timezone.now(), source=ConsentSource.PROFILE,
        )  # fmt: skip
    organisation_reindex([member_org.pk])
    return member_org


def shown(response) -> set[str]:
    """Which of the configurable fields appear on a profile page."""
    text = response.text
    probes = {
        "address": "2 rue de la Lumière", "identifiers": "732829320",
        "email": "contact@lumiere.example", "phone": "+33 4 91 00 00 00",
        "contacts": "Ada Listée", "headcount": "42 (full-time", "turnover": "5,100,000",
        "founded_year": "2004",
    }  # fmt: skip
    return {field for field, probe in probes.items() if probe in text}


def test_profile_fields_for_a_visitor(client, profiled):
    response = client.get(profiled.get_absolute_url(), **EN)
    assert response.status_code == 200
    assert shown(response) == {"address", "identifiers", "founded_year"}
    assert "Bob Discret" not in response.text


def test_profile_fields_for_a_member_of_another_organisation(login, other_member, profiled):
    response = login(other_member).get(profiled.get_absolute_url(), **EN)
    assert shown(response) == {
        "address", "identifiers", "founded_year", "email", "phone", "contacts", "headcount",
    }  # fmt: skip
    assert "Bob Discret" not in response.text  # no consent to the directory listing


def test_profile_fields_for_a_contact_of_the_organisation(login, member, profiled):
    response = login(member).get(profiled.get_absolute_url(), **EN)
    assert shown(response) == {
        "address", "identifiers", "founded_year", "email", "phone", "contacts", "headcount",
        "turnover",
    }  # fmt: skip


def test_profile_fields_for_staff(login, staff, profiled):
    response = login(staff).get(profiled.get_absolute_url(), **EN)
    assert len(shown(response)) == 8
    content_type = ContentType.objects.get_for_model(profiled)
    assert reverse("core:audit", args=[content_type.pk, profiled.pk]) in response.text


def test_an_organisation_may_open_a_field_to_the_public(client, profiled):
    profiled.visibility = {"email": Visibility.PUBLIC, "address": Visibility.MEMBERS}
    profiled.save()
    assert shown(client.get(profiled.get_absolute_url(), **EN)) == {
        "email", "identifiers", "founded_year",
    }  # fmt: skip


def test_profile_json_ld_holds_what_the_visitor_may_see(client, profiled):
    profiled.competences.set(
        __import__("grappe.directory.tests.conftest", fromlist=["x"]).competences("tech.lasers")
    )
    data = json_ld(client.get(profiled.get_absolute_url(), **EN))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Lumière Marseille"
    assert data["url"] == "http://testserver/directory/lumiere-marseille/"
    assert data["address"] == {
        "@type": "PostalAddress", "addressCountry": "FR", "addressLocality": "Marseille",
        "addressRegion": "Provence-Alpes-Côte d'Azur", "streetAddress": "2 rue de la Lumière",
        "postalCode": "13001",
    }  # fmt: skip
    assert data["foundingDate"] == "2004"
    assert data["vatID"] == "FR44732829320" and data["taxID"] == "732829320"
    assert data["knowsAbout"] == ["Lasers and sources"]
    assert data["memberOf"]["@type"] == "Organization"
    assert "email" not in data and "telephone" not in data and "numberOfEmployees" not in data
    assert "contactPoint" not in data


def test_profile_json_ld_for_a_member_has_contact_details(login, other_member, profiled):
    data = json_ld(login(other_member).get(profiled.get_absolute_url(), **EN))
    assert data["email"] == "contact@lumiere.example"
    assert data["telephone"] == "+33 4 91 00 00 00"
    assert data["numberOfEmployees"] == {"@type": "QuantitativeValue", "value": 42}
    assert data["contactPoint"] == [
        {"@type": "ContactPoint", "name": "Ada Listée", "email": "ada@lumiere.example"}
    ]


def test_a_non_member_profile_is_hidden_but_from_staff(client, login, member, staff):
    outsider = make_org(name="Hors Pôle", slug="hors-pole", member=False)
    url = outsider.get_absolute_url()
    assert client.get(url).status_code == 404
    assert login(member).get(url).status_code == 404
    assert login(staff).get(url).status_code == 200
    assert client.get("/directory/nobody-here/").status_code == 404


def test_edit_link_for_administrators_and_staff_only(client, login, org_admin, profiled):
    try:
        edit = reverse("members:organisation_edit", kwargs={"slug": profiled.slug})
    except NoReverseMatch:
        edit = None
    visitor_page = client.get(profiled.get_absolute_url(), **EN)
    admin_page = login(org_admin).get(profiled.get_absolute_url(), **EN)
    assert visitor_page.context["profile"].edit_url == ""
    assert admin_page.context["profile"].edit_url == (edit or "")
    assert ("Edit this profile" in admin_page.text) is bool(edit)
    assert "Edit this profile" not in visitor_page.text


def test_search_page_for_a_visitor(client, crafted):
    response = client.get(reverse("directory:search"), {"q": "laser"}, **EN)
    assert response.status_code == 200
    assert "<html" in response.text and 'id="directory-results"' in response.text
    assert [o.name for o in response.context["page"].results] == [
        "Laser Fibre Provence", "Alpha Ultrabref", "Optique Azur",
    ]  # fmt: skip
    assert 'name="size_class"' not in response.text
    assert 'name="non_members"' not in response.text


def test_search_page_htmx_request_returns_only_the_results(client, crafted):
    response = client.get(
        reverse("directory:search"), {"q": "lazer", "kind": "sme"}, HTTP_HX_REQUEST="true", **EN
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "<h1" not in response.text
    assert "Laser Fibre Provence" in response.text and "Alpha Ultrabref" not in response.text
    assert "showing results for “laser”" in response.text
    assert response["Vary"].count("HX-Request") == 1


def test_search_page_for_members_and_staff_has_more_filters(login, member, staff, crafted):
    member_page = login(member).get(reverse("directory:search"), **EN)
    assert 'name="size_class"' in member_page.text
    assert 'name="non_members"' not in member_page.text
    staff_page = login(staff).get(reverse("directory:search"), {"non_members": "1"}, **EN)
    assert 'name="non_members"' in staff_page.text
    assert "Laser Hors Pôle" in staff_page.text and "Not a member" in staff_page.text


def test_search_page_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    orgs = [make_org(name=f"Optique {n:02}", slug=f"o-{n}") for n in range(25)]
    organisation_reindex([o.pk for o in orgs])
    client.get(reverse("directory:search"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:search"), {"q": "optique", "page": "2"})
    assert len(response.context["page"].results) == 5


def test_map_shows_markers_only_where_the_viewer_may_see_the_address(client, login, member, db):
    # given four organisations with coordinates: public address, members-only address,
    # no coordinates, and a non-member
    coords = {"latitude": Decimal("43.3"), "longitude": Decimal("5.4")}
    make_org(name="Public", slug="public", **coords)
    make_org(name="Discrète", slug="discrete", visibility={"address": "members"}, **coords)
    make_org(name="Sans coordonnées", slug="sans")
    make_org(name="Ancien", slug="ancien", member=False, **coords)
    visitor = client.get(reverse("directory:map"), **EN)
    assert visitor.status_code == 200
    assert [m["name"] for m in visitor.context["markers"]] == ["Public"]
    assert 'id="directory-map-data"' in visitor.text and "Discrète" in visitor.text
    assert "Ancien" not in visitor.text
    as_member = login(member).get(reverse("directory:map"), **EN)
    assert [m["name"] for m in as_member.context["markers"]] == ["Discrète", "Public"]
    assert as_member.context["markers"][1] == {
        "name": "Public", "url": "/directory/public/", "city": "Marseille", "lat": 43.3, "lon": 5.4,
    }  # fmt: skip


def test_map_page_configures_tiles_from_settings(client, db, settings):
    settings.GRAPPE_MAP_TILES_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.GRAPPE_MAP_ATTRIBUTION = "&copy; Example"
    response = client.get(reverse("directory:map"))
    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in response.text
    assert 'data-attribution="&amp;copy; Example"' in response.text
    assert "vendor/leaflet/leaflet.js" in response.text


def test_pages_read_in_french(client, crafted):
    response = client.get(reverse("directory:search"), {"q": "lazer"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Annuaire des adhérents" in response.text
    assert "Type d’organisation" in response.text and "3 organisations" in response.text
    assert "voici les résultats pour « laser »" in response.text
    profile = client.get(crafted["name"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Compétences" in profile.text and "Lasers à fibre" in profile.text
    assert "Carte des adhérents" in client.get(reverse("directory:map")).text
