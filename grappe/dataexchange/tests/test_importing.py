import datetime as dt
from decimal import Decimal

import pytest

from grappe.dataexchange.importing import plan_file
from grappe.dataexchange.tests.helpers import parsed, table
from grappe.members.models import AffiliationRole, ConsentChannel, ConsentSource, OrgKind
from grappe.members.selectors import competences_current
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
ORG_HEADER = [
    "slug", "name", "siren", "siret", "vat_number", "kind", "region", "country", "email", "competences",
    "figures_year", "headcount", "turnover", "export_share", "rnd_spend",
]  # fmt: skip
PEOPLE_HEADER = [
    "email", "first_name", "last_name", "job_title", "language", "organisations", "roles",
    "admin_of", "newsletter", "directory",
]  # fmt: skip


def plan_organisations(*rows, header=ORG_HEADER):
    return plan_file("organisations", parsed(table(header, *rows)), today=TODAY)


def plan_people(*rows, header=PEOPLE_HEADER):
    return plan_file("people", parsed(table(header, *rows)))


def errors(plan):
    return [(number, error.column, error.message) for number, error in plan.errors]


def test_every_kind_of_bad_organisation_row_is_reported_with_row_and_reason():
    # given an existing organisation and a file mixing good and bad rows
    OrganisationFactory(name="Existante", slug="existante", siret="55208131700018")
    long_name = "L" * 250
    plan = plan_organisations(
        {"name": "Nouvelle Optique", "kind": "sme", "siret": "12345678200002"},
        {"region": "FRL0"},
        {"name": "Siret faux", "kind": "sme", "siret": "12345678200003"},
        {"name": "Doublon", "kind": "sme", "siret": "123 456 782 00002"},
        {"name": "Boulangerie", "kind": "bakery"},
        {"name": "Ailleurs", "kind": "lab", "region": "XX99"},
        {"name": "Compétente", "kind": "lab", "competences": "tech.lasers;tech.unknown"},
        {"name": "Mail", "kind": "sme", "email": "not-an-email"},
        {"name": "TVA", "kind": "sme", "vat_number": "FR00123456782"},
        {"name": "Incohérente", "kind": "sme", "siren": "123456782", "siret": "55208131700018"},
        {"name": "Chiffres", "kind": "sme", "figures_year": "2025", "turnover": "abc"},
        {"name": "Export", "kind": "sme", "figures_year": "2025", "headcount": "3",
         "turnover": "100000", "export_share": "120", "rnd_spend": "0"},
        {"slug": "does-not-exist", "name": "Inconnue"},
        {"name": long_name, "kind": "sme"},
        {"name": "Future", "kind": "sme", "figures_year": "2027", "headcount": "3",
         "turnover": "1", "export_share": "1", "rnd_spend": "-5"},
        {"name": "Atlantide", "kind": "sme", "country": "Atlantis"},
    )  # fmt: skip
    # then each bad row is reported with its spreadsheet row number, column and reason
    assert errors(plan) == [
        (3, "name", "Required to create a new organisation."),
        (3, "kind", "Required to create a new organisation."),
        (4, "siret", "“12345678200003” is not a valid SIRET: 14 digits with a valid check digit."),
        (5, "siret", "Already on row 2: each organisation once per file."),
        (6, "kind", "“bakery” is not one of: startup, sme, midsize, large, lab, university, tech_centre, public, association, other."),
        (7, "region", "“XX99” is not one of: FRL0, FRJ1, FRJ2, FR10, FRK2, FRK1, FRI1, FRH0, FRF1, FRE1, FRD1, FRG0, FRB0, FRC1, FRM0, DE21, DE11, DEG0, BE10, ES51, ITC4, NL33, CH01."),
        (8, "competences", "Not in the current taxonomy: tech.unknown."),
        (9, "email", "Enter a valid email address."),
        (10, "vat_number", "“FR00123456782” is not a valid intra-EU VAT number (for France: FR, key, SIREN)."),
        (11, "siren", "The SIREN is not the first 9 digits of the SIRET."),
        (12, "headcount", "Required with the other figures of the year."),
        (12, "export_share", "Required with the other figures of the year."),
        (12, "rnd_spend", "Required with the other figures of the year."),
        (12, "turnover", "“abc” is not a number."),
        (13, "export_share", "Must be between 0 and 100."),
        (14, "slug", "No organisation has this slug; leave it empty to create one."),
        (15, "name", "Ensure this value has at most 200 characters (it has 250)."),
        (16, "figures_year", "Must be between 1900 and 2026."),
        (16, "rnd_spend", "Cannot be negative."),
        (17, "country", "“Atlantis” is not a country: give its two-letter ISO code (FR, DE, SG…) or its name in French or English."),
    ]  # fmt: skip
    # and the good row alone is valid
    assert [row.row for row in plan.valid_rows] == [2]
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0, "invalid": 15}


def test_a_country_is_read_from_its_code_or_its_french_or_english_name():
    # given rows naming countries by ISO code, French name and English name
    plan = plan_organisations(
        {"name": "Photonics SG", "kind": "sme", "country": "SG"},
        {"name": "Optique Singapour", "kind": "sme", "country": "Singapour"},
        {"name": "Lasers Germany", "kind": "sme", "country": "germany"},
        {"name": "Fibres Corée", "kind": "sme", "country": "Corée du Sud"},
    )
    # then each becomes the country's code
    assert errors(plan) == []
    after = [{c.column: c.after for c in row.changes}["country"] for row in plan.rows]
    assert after == ["SG", "SG", "DE", "KR"]


def test_an_organisation_is_matched_by_siret_then_by_slug():
    # given two organisations, one without SIRET
    with_siret = OrganisationFactory(name="Avec", slug="avec", siret="12345678200002")
    without = OrganisationFactory(name="Sans", slug="sans", siret="")
    other = OrganisationFactory(name="Autre", slug="autre", siret="55208131700018")
    # when rows name them by SIRET, by slug, or by both but inconsistently
    plan = plan_organisations(
        {"siret": "12345678200002", "email": "avec@example.org"},
        {"slug": "sans", "siret": "73282932000074"},
        {"slug": "avec", "siret": "55208131700018"},
    )
    # then the first two update their organisation, the third is refused
    assert [(r.row, r.target, r.action) for r in plan.rows[:2]] == [
        (2, with_siret, "update"),
        (3, without, "update"),
    ]
    assert [(c.column, c.before, c.after) for c in plan.rows[0].changes] == [
        ("email", "", "avec@example.org")
    ]
    assert [(c.column, c.before, c.after) for c in plan.rows[1].changes] == [
        ("siret", "", "73282932000074")
    ]
    assert errors(plan) == [
        (4, "slug", "The SIRET is that of “Autre” but the slug that of “Avec”.")
    ]
    assert other.siret == "55208131700018"


def test_preview_of_an_update_lists_only_what_changes():
    # given an organisation with competences and 2025 figures
    organisation = OrganisationFactory(
        name="Lumière", slug="lumiere", siret="12345678200002", kind=OrgKind.SME, region="FRL0"
    )
    lasers, imaging = competences_current().filter(code__in=["tech.lasers", "tech.imaging"])
    organisation.competences.set([lasers])
    FiguresFactory(
        organisation=organisation, year=2025, headcount=20, turnover=Decimal("3000000.00"),
        export_share=Decimal("40.00"), rnd_spend=Decimal("450000.00"),
    )  # fmt: skip
    # when a row gives the same values, written differently, and a few new ones
    plan = plan_organisations(
        {"siret": "12345678200002", "name": "Lumière", "kind": "PME", "region": "Provence-Alpes-Côte d'Azur",
         "competences": "tech.imaging; tech.lasers", "figures_year": "2025", "headcount": "22",
         "turnover": "3 000 000,00", "export_share": "40", "rnd_spend": "450000"},
    )  # fmt: skip
    # then only the competences and the headcount change
    row = plan.rows[0]
    assert row.action == "update"
    assert [(c.column, c.before, c.after) for c in row.changes] == [
        ("competences", "tech.lasers", "tech.imaging; tech.lasers"),
        ("headcount 2025", "20", "22"),
    ]
    assert imaging in row.data["competences"]


def test_a_new_organisation_with_the_name_of_another_gets_a_warning():
    OrganisationFactory(name="Photon Sud", slug="photon-sud")
    plan = plan_organisations({"name": "photon sud", "kind": "sme"})
    assert plan.rows[0].valid
    assert plan.rows[0].warnings == [
        "An organisation with this name exists already (slug photon-sud)."
    ]


def test_unknown_columns_are_reported_and_ignored():
    plan = plan_organisations(
        {"name": "X", "kind": "sme", "colour": "blue"}, header=["name", "kind", "colour"]
    )
    assert plan.notices == ["These columns are not known and are ignored: colour."]
    assert plan.rows[0].valid


def test_every_kind_of_bad_person_row_is_reported_with_row_and_reason():
    # given organisations and a person already known under another case of their e-mail
    OrganisationFactory(name="Lumière", slug="lumiere", siret="12345678200002")
    OrganisationFactory(name="Other Org", slug="other-org")
    PersonFactory(email="Known@Example.org", first_name="Known", last_name="Person")
    plan = plan_people(
        {"email": "marie@example.org", "first_name": "Marie", "last_name": "Durand",
         "organisations": "12345678200002", "newsletter": "oui"},
        {"first_name": "Sans", "last_name": "Mail"},
        {"email": "bad@", "first_name": "Bad", "last_name": "Mail"},
        {"email": "MARIE@example.org", "first_name": "Marie", "last_name": "Bis"},
        {"email": "jean@example.org", "first_name": "Jean"},
        {"email": "a@example.org", "first_name": "A", "last_name": "A", "organisations": "nowhere"},
        {"email": "b@example.org", "first_name": "B", "last_name": "B", "organisations": "lumiere", "roles": "chef"},
        {"email": "c@example.org", "first_name": "C", "last_name": "C", "newsletter": "peut-être"},
        {"email": "d@example.org", "first_name": "D", "last_name": "D", "language": "de"},
        {"email": "e@example.org", "first_name": "E", "last_name": "E", "organisations": "lumiere", "admin_of": "other-org"},
        {"email": "f@example.org", "first_name": "F", "last_name": "F", "organisations": "lumiere;other-org", "roles": "technical;sales;finance"},
        {"email": "known@example.org", "job_title": "CTO"},
    )  # fmt: skip
    assert errors(plan) == [
        (3, "email", "Required: people are matched by their e-mail address."),
        (4, "email", "Enter a valid email address."),
        (5, "email", "Already on row 2: each person once per file."),
        (6, "last_name", "Required to create a new person."),
        (7, "organisations", "No organisation has the SIRET or slug “nowhere”."),
        (8, "roles", "“chef” is not one of: executive, technical, sales, finance, researcher, communication, other."),
        (9, "newsletter", "Write yes or no."),
        (10, "language", "“de” is not one of: fr, en."),
        (11, "admin_of", "“Other Org” is not among the organisations of this row."),
        (12, "roles", "Give one role, or one per organisation (2)."),
    ]  # fmt: skip
    assert [(row.row, row.action) for row in plan.valid_rows] == [(2, "create"), (13, "update")]


def test_preview_of_a_person_lists_new_affiliations_and_consents():
    # given a person affiliated to one organisation, who refused the newsletter
    lumiere = OrganisationFactory(name="Lumière", slug="lumiere", siret="12345678200002")
    other = OrganisationFactory(name="Optique Nord", slug="optique-nord")
    person = PersonFactory(email="marie@example.org", first_name="Marie", last_name="Durand")
    AffiliationFactory(person=person, organisation=lumiere, role=AffiliationRole.SALES)
    person.consents.create(
        channel=ConsentChannel.NEWSLETTER, granted=False, at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        source=ConsentSource.SIGNUP,
    )  # fmt: skip
    # when a row names both organisations, as administrator of the new one, and consents
    plan = plan_people(
        {"email": "marie@example.org", "first_name": "Marie", "last_name": "Durand",
         "organisations": "12345678200002;optique-nord", "roles": "technical",
         "admin_of": "optique-nord", "newsletter": "yes", "directory": "no"},
    )  # fmt: skip
    # then only the missing affiliation and the consents change (the role of the existing
    # affiliation is left alone)
    row = plan.rows[0]
    assert [(c.column, c.before, c.after) for c in row.changes] == [
        ("organisations", "", "Optique Nord (Technical / R&D, administrator)"),
        ("newsletter", "no", "yes"),
        ("directory", "", "no"),
    ]
    assert row.data["affiliations"] == [(other, "technical", True)]
    assert row.data["consents"] == {"newsletter": True, "directory": False}


def test_same_rows_give_the_same_fingerprint_until_the_data_changes():
    rows = [{"name": "Nouvelle", "kind": "sme", "siret": "12345678200002"}]
    first = plan_organisations(*rows).fingerprint()
    assert plan_organisations(*rows).fingerprint() == first
    OrganisationFactory(name="Déjà là", siret="12345678200002")
    assert plan_organisations(*rows).fingerprint() != first


@pytest.mark.parametrize("count", [2, 40])
def test_a_check_reads_the_database_in_a_fixed_number_of_queries(
    count, django_assert_max_num_queries
):
    # given organisations and people matched by the rows, and rows creating new ones
    org_rows, people_rows = [], []
    for index in range(count):
        organisation = OrganisationFactory(slug=f"org-{index}")
        FiguresFactory(organisation=organisation, year=2025)
        person = PersonFactory(email=f"p{index}@example.org")
        AffiliationFactory(person=person, organisation=organisation)
        org_rows += [
            {"slug": f"org-{index}", "competences": "tech.lasers", "figures_year": "2025",
             "headcount": "21", "turnover": "1", "export_share": "1", "rnd_spend": "1"},
            {"name": f"Nouvelle {index}", "kind": "sme"},
        ]  # fmt: skip
        people_rows += [
            {"email": f"p{index}@example.org", "organisations": f"org-{index}", "newsletter": "yes"},
            {"email": f"new{index}@example.org", "first_name": "N", "last_name": "N",
             "organisations": f"org-{index}"},
        ]  # fmt: skip
    # then checking either file reads the database a fixed number of times
    with django_assert_max_num_queries(6):
        plan = plan_organisations(*org_rows)
    assert plan.counts == {"create": count, "update": count, "unchanged": 0, "invalid": 0}
    with django_assert_max_num_queries(4):
        plan = plan_people(*people_rows)
    assert plan.counts == {"create": count, "update": count, "unchanged": 0, "invalid": 0}
