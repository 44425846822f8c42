import re

from playwright.sync_api import expect

from grappe.directory.indexing import organisation_reindex
from grappe.members.models import Competence, Organisation
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory


def _member(name, slug, codes, description):
    organisation = OrganisationFactory(name=name, slug=slug, description_fr=description)
    organisation.competences.set(Competence.objects.filter(code__in=codes))
    MembershipFactory(organisation=organisation)
    return organisation


def test_visitor_searches_laser_with_a_market_facet_and_opens_a_profile(page, db):
    # given three members: two laser makers (one for space), one imaging lab
    _member(
        "Azur Lasers Spatiaux", "azur-lasers-spatiaux", ["tech.lasers.fibre", "market.space"],
        "Nous concevons des lasers à fibre pour les satellites.",
    )  # fmt: skip
    _member(
        "Lasers de Provence", "lasers-de-provence", ["tech.lasers.fibre", "market.health"],
        "Des lasers pour la chirurgie et la dermatologie.",
    )  # fmt: skip
    _member(
        "Imagerie Toulousaine", "imagerie-toulousaine", ["market.space"],
        "Caméras et traitement d’images pour l’observation de la Terre.",
    )  # fmt: skip
    organisation_reindex(Organisation.objects.values_list("pk", flat=True))
    # when a visitor searches "laser" in the directory
    page.goto(page.base + "/directory/")
    page.fill("#directory-q", "laser")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator("#directory-results")
    expect(results.get_by_role("link", name="Lasers de Provence")).to_be_visible()
    expect(results.get_by_role("link", name="Imagerie Toulousaine")).to_have_count(0)
    # and ticks the "Spatial" market
    page.get_by_role("checkbox", name="Spatial").check()
    # then only the space laser maker is left, and the address says so
    expect(results.get_by_role("link", name="Lasers de Provence")).to_have_count(0)
    expect(results.get_by_role("link", name="Azur Lasers Spatiaux")).to_be_visible()
    expect(page).to_have_url(
        re.compile(r"q=laser.*market=market\.space|market=market\.space.*q=laser")
    )
    # and opening it shows its profile
    results.get_by_role("link", name="Azur Lasers Spatiaux").click()
    expect(page.locator("h1")).to_have_text("Azur Lasers Spatiaux")
    expect(
        page.get_by_text("Nous concevons des lasers à fibre pour les satellites.")
    ).to_be_visible()
