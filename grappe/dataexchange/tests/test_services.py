import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grappe.core.models import AuditEntry
from grappe.dataexchange.importing.plan import UNCHANGED
from grappe.dataexchange.models import ImportBatch, ImportStatus
from grappe.dataexchange.selectors import (
    ExportFilters,
    import_plan,
    organisation_export_rows,
    people_export_rows,
)
from grappe.dataexchange.services import (
    import_cancel,
    import_check,
    import_confirm,
    imports_expire,
)
from grappe.dataexchange.tests.helpers import csv_bytes, table, xlsx_bytes
from grappe.dataexchange.writing import csv_lines
from grappe.dataexchange.writing import xlsx_bytes as export_xlsx
from grappe.members.models import (
    Affiliation,
    AffiliationRole,
    Consent,
    ConsentSource,
    Organisation,
    OrganisationFigures,
    OrgKind,
    Person,
    SizeClass,
)
from grappe.members.selectors import competences_current
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["siret", "name", "kind", "city"]


def check(actor, rows, kind="organisations", name="file.csv", content=None):
    return import_check(actor=actor, kind=kind, filename=name, content=content or csv_bytes(rows))


def confirm(actor, batch, valid_only=False):
    fingerprint = import_plan(batch).fingerprint()
    return import_confirm(actor=actor, batch=batch, fingerprint=fingerprint, valid_only=valid_only)


def mixed_file():
    """Row 2 creates, row 3 updates Existante's city, row 4 is bad (no kind)."""
    OrganisationFactory(name="Existante", slug="existante", siret="55208131700018", city="Nice")
    return table(
        HEADER,
        {"siret": "12345678200002", "name": "Nouvelle Optique", "kind": "startup", "city": "Arles"},
        {"siret": "55208131700018", "city": "Toulon"},
        {"name": "Sans type"},
    )


def test_check_writes_nothing_but_the_batch(staff):
    # given a file with a new organisation
    rows = mixed_file()
    before = Organisation.objects.count()
    # when staff check it
    batch = check(staff, rows)
    # then the rows and the report are kept, owned by the uploader, and nothing else is written
    assert Organisation.objects.count() == before
    assert batch.owner == staff
    assert batch.status == ImportStatus.CHECKED
    assert batch.rows[0] == [2, {"siret": "12345678200002", "name": "Nouvelle Optique", "kind": "startup", "city": "Arles"}]  # fmt: skip
    assert batch.report["counts"] == {"create": 1, "update": 1, "unchanged": 0, "invalid": 1}
    assert batch.report["errors"] == [
        {"row": 4, "column": "kind", "message": "Required to create a new organisation."}
    ]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["import.check"]


def test_import_of_the_valid_rows_writes_exactly_them(staff):
    # given a checked file with two valid rows and a bad one
    batch = check(staff, mixed_file())
    # when staff import only the valid rows
    batch = confirm(staff, batch, valid_only=True)
    # then the new organisation is created, the existing one updated, the bad row skipped
    created = Organisation.objects.get(siret="12345678200002")
    assert (created.name, created.legal_name, created.kind, created.city) == (
        "Nouvelle Optique", "Nouvelle Optique", OrgKind.STARTUP, "Arles",
    )  # fmt: skip
    assert Organisation.objects.get(siret="55208131700018").city == "Toulon"
    assert not Organisation.objects.filter(name="Sans type").exists()
    assert Organisation.objects.count() == 2
    # through the members' services, audited with the staff member as actor
    assert sorted(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True)) == [
        "import.check", "import.confirm", "organisation.create", "organisation.update",
    ]  # fmt: skip
    assert batch.status == ImportStatus.IMPORTED
    assert batch.rows == []
    assert batch.result["counts"] == {"create": 1, "update": 1, "unchanged": 0, "invalid": 1}
    assert batch.result["rows"][2] == {"row": 4, "action": "invalid", "label": "Sans type"}


def test_a_file_with_errors_is_not_imported_without_choosing_the_valid_rows(staff):
    batch = check(staff, mixed_file())
    with pytest.raises(ValidationError) as error:
        confirm(staff, batch, valid_only=False)
    assert error.value.message_dict == {
        "plan": ["Some rows have errors: import only the valid rows, or correct the file."]
    }
    assert Organisation.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_an_all_bad_file_writes_nothing(staff):
    # given a file where every row is bad
    rows = table(HEADER, {"name": "A"}, {"siret": "123", "kind": "sme", "name": "B"})
    batch = check(staff, rows)
    # when staff try to import its valid rows
    with pytest.raises(ValidationError) as error:
        confirm(staff, batch, valid_only=True)
    # then nothing is written
    assert error.value.message_dict == {"plan": ["No row of this file can be imported."]}
    assert Organisation.objects.count() == 0
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["import.check"]


def test_confirm_checks_again_and_refuses_when_the_outcome_changed(staff):
    # given a checked file creating an organisation
    rows = table(HEADER, {"siret": "12345678200002", "name": "Nouvelle", "kind": "sme"})
    batch = check(staff, rows)
    fingerprint = import_plan(batch).fingerprint()
    # when someone creates that organisation before the confirmation
    OrganisationFactory(name="Nouvelle", siret="12345678200002")
    # then the confirmation is refused and nothing is written
    with pytest.raises(ValidationError) as error:
        import_confirm(actor=staff, batch=batch, fingerprint=fingerprint)
    assert error.value.message_dict == {
        "plan": ["The data changed since the check: read the new report, then confirm."]
    }
    assert Organisation.objects.count() == 1


def test_only_the_uploader_confirms_or_cancels(staff):
    # given a file checked by one staff member
    batch = check(staff, table(HEADER, {"name": "Nouvelle", "kind": "sme"}))
    colleague = UserFactory(is_staff=True)
    # then a colleague can neither confirm nor cancel it
    with pytest.raises(PermissionDenied):
        confirm(colleague, batch)
    with pytest.raises(PermissionDenied):
        import_cancel(actor=colleague, batch=batch)
    assert Organisation.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_non_staff_cannot_check_a_file(member):
    with pytest.raises(PermissionDenied):
        check(member, table(HEADER, {"name": "Nouvelle", "kind": "sme"}))
    assert ImportBatch.objects.count() == 0


def test_unreadable_file_is_refused_at_the_check(staff):
    with pytest.raises(ValidationError) as error:
        import_check(actor=staff, kind="organisations", filename="x.pdf", content=b"%PDF")
    assert error.value.message_dict == {"file": ["Upload a .csv or .xlsx file."]}
    assert ImportBatch.objects.count() == 0


def test_cancel_forgets_the_rows(staff):
    batch = check(staff, table(HEADER, {"name": "Nouvelle", "kind": "sme"}))
    batch = import_cancel(actor=staff, batch=batch)
    assert (batch.status, batch.rows) == (ImportStatus.CANCELLED, [])
    with pytest.raises(ValidationError):
        confirm(staff, batch)
    assert Organisation.objects.count() == 0


def test_a_check_expires_after_a_day(staff):
    batch = check(staff, table(HEADER, {"name": "Nouvelle", "kind": "sme"}))
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    batch.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        confirm(staff, batch)
    assert error.value.message_dict == {
        "status": ["This check is more than 24 hours old: upload the file again."]
    }
    assert imports_expire() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.rows) == (ImportStatus.EXPIRED, [])
    assert Organisation.objects.count() == 0


def test_xlsx_import_with_figures_and_competences(staff):
    # given an XLSX file with figures typed as numbers
    header = ["name", "kind", "competences", "figures_year", "headcount", "turnover",
              "export_share", "rnd_spend"]  # fmt: skip
    content = xlsx_bytes(
        [header, ["Laser Sud", "sme", "tech.lasers;tech.imaging", 2025, 12, 1800000.5, 35, 270000]]
    )
    batch = check(staff, None, name="orgs.xlsx", content=content)
    confirm(staff, batch)
    # then the organisation, its competences and its figures are written
    organisation = Organisation.objects.get(name="Laser Sud")
    assert sorted(organisation.competences.values_list("code", flat=True)) == [
        "tech.imaging", "tech.lasers",
    ]  # fmt: skip
    figures = OrganisationFigures.objects.get(organisation=organisation, year=2025)
    assert (figures.headcount, figures.turnover, figures.export_share, figures.rnd_spend) == (
        12, Decimal("1800000.50"), Decimal("35.00"), Decimal("270000.00"),
    )  # fmt: skip
    assert organisation.size_class == SizeClass.SMALL
    assert AuditEntry.objects.filter(actor=staff, action="figures.declare").count() == 1


def test_people_import_creates_person_affiliation_and_consents(staff):
    # given an organisation and a file of people, semicolon-separated as French Excel saves it
    organisation = OrganisationFactory(name="Lumière", slug="lumiere", siret="12345678200002")
    rows = table(
        ["email", "first_name", "last_name", "organisations", "roles", "admin_of", "newsletter"],
        {"email": "Marie@Example.org", "first_name": "Marie", "last_name": "Durand",
         "organisations": "123 456 782 00002", "roles": "Technical / R&D",
         "admin_of": "lumiere", "newsletter": "oui"},
    )  # fmt: skip
    batch = check(staff, None, kind="people", content=csv_bytes(rows, delimiter=";"))
    confirm(staff, batch)
    # then the person, their affiliation and their consent (source "import") are written
    person = Person.objects.get(last_name="Durand")
    assert (person.email, person.first_name, person.last_name) == (
        "marie@example.org", "Marie", "Durand",
    )  # fmt: skip
    affiliation = Affiliation.objects.get(person=person)
    assert (affiliation.organisation, affiliation.role, affiliation.is_admin) == (
        organisation, AffiliationRole.TECHNICAL, True,
    )  # fmt: skip
    consent = Consent.objects.get(person=person)
    assert (consent.channel, consent.granted, consent.source) == ("newsletter", True, ConsentSource.IMPORT)  # fmt: skip
    assert sorted(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True)) == [
        "affiliation.create", "consent.import", "import.check", "import.confirm", "person.create",
    ]  # fmt: skip


def export_then_check(staff, kind, rows, fmt, delimiter=","):
    if fmt == "xlsx":
        content, name = export_xlsx(rows, kind), f"{kind}.xlsx"
    else:
        content, name = "".join(csv_lines(rows, delimiter)).encode("utf-8"), f"{kind}.csv"
    return import_plan(import_check(actor=staff, kind=kind, filename=name, content=content))


def rich_organisations():
    lasers = competences_current().get(code="tech.lasers")
    first = OrganisationFactory(
        name='=HYPERLINK("http://evil.example","Cliquez")', slug="hostile", siret="12345678200002",
        siren="123456782", vat_number="FR11123456782", kind=OrgKind.LAB, phone="+33 4 91 00 00 00",
        latitude=Decimal("43.296500"), longitude=Decimal("-5.369800"), website="https://l.example",
        email="contact@l.example", founded_year=2012, legal_form="sas", street="1 rue A",
        postcode="06000", description_fr="Équipe « optique »\nsur deux lignes",
    )  # fmt: skip
    first.competences.set([lasers])
    FiguresFactory(organisation=first, year=2024, balance_sheet=Decimal("1000000.00"))
    FiguresFactory(organisation=first, year=2025, turnover=Decimal("1234567.89"))
    MembershipFactory(organisation=first)
    OrganisationFactory(name="Sans rien", slug="sans-rien", region="", country="CH")


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("csv", ";"), ("xlsx", ",")])
def test_organisations_round_trip_finds_no_change(staff, fmt, delimiter):
    # given organisations with every kind of value, one named like a formula
    rich_organisations()
    # when their export is checked as an import file
    plan = export_then_check(
        staff, "organisations", list(organisation_export_rows(ExportFilters())), fmt, delimiter
    )
    # then every row matches its organisation and nothing would change
    assert [(row.label, row.action, row.errors) for row in plan.rows] == [
        ('=HYPERLINK("http://evil.example","Cliquez")', UNCHANGED, []),
        ("Sans rien", UNCHANGED, []),
    ]
    assert plan.notices == []


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("csv", ";"), ("xlsx", ",")])
def test_people_round_trip_finds_no_change(staff, fmt, delimiter):
    # given people with affiliations and consents
    organisation = OrganisationFactory(name="Lumière", slug="lumiere")
    other = OrganisationFactory(name="Nord", slug="nord")
    marie = PersonFactory(email="marie@example.org", phone="+33 6 00", job_title="@CTO")
    AffiliationFactory(person=marie, organisation=organisation, role=AffiliationRole.SALES)
    AffiliationFactory(person=marie, organisation=other, is_admin=True)
    marie.consents.create(channel="newsletter", granted=True, at=timezone.now(), source="signup")
    PersonFactory(email="jean@example.org")
    people = [row for row in people_export_rows(ExportFilters()) if row[0] != staff.email]
    # when re-imported
    plan = export_then_check(staff, "people", people, fmt, delimiter)
    # then nothing would change
    assert [(row.action, row.errors) for row in plan.rows] == [(UNCHANGED, []), (UNCHANGED, [])]
