import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from grappe.dataexchange.models import ImportBatch, ImportStatus
from grappe.dataexchange.tests.helpers import csv_bytes, table
from grappe.members.models import AffiliationRole, Organisation, OrgKind
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def routes(batch_pk):
    return [
        ("get", reverse("dataexchange:index")),
        ("get", reverse("dataexchange:export", args=["organisations", "csv"])),
        ("get", reverse("dataexchange:export", args=["organisations", "xlsx"])),
        ("get", reverse("dataexchange:export", args=["people", "csv"])),
        ("get", reverse("dataexchange:export", args=["people", "xlsx"])),
        ("get", reverse("dataexchange:import")),
        ("post", reverse("dataexchange:import")),
        ("get", reverse("dataexchange:template", args=["organisations", "csv"])),
        ("get", reverse("dataexchange:template", args=["people", "xlsx"])),
        ("get", reverse("dataexchange:import_detail", args=[batch_pk])),
        ("get", reverse("dataexchange:import_confirm", args=[batch_pk])),
        ("post", reverse("dataexchange:import_confirm", args=[batch_pk])),
        ("post", reverse("dataexchange:import_cancel", args=[batch_pk])),
    ]


def staff_batch(owner):
    return ImportBatch.objects.create(
        owner=owner,
        kind="organisations",
        filename="orgs.csv",
        header=["name", "kind"],
        rows=[[2, {"name": "Nouvelle", "kind": "sme"}]],
    )


@pytest.mark.parametrize("who", ["visitor", "registered", "member", "org_admin"])
def test_every_route_is_refused_to_non_staff(who, request, client, login):
    # given a batch uploaded by staff and someone who is not staff
    batch = staff_batch(UserFactory(is_staff=True))
    user = request.getfixturevalue(who)
    browser = client if who == "visitor" else login(user)
    # then every route answers 403 (a visitor is asked to log in), and nothing is written
    for method, url in routes(batch.pk):
        response = getattr(browser, method)(url)
        if who == "visitor":
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/"), (method, url)
        else:
            assert response.status_code == 403, (method, url)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert Organisation.objects.filter(name="Nouvelle").count() == 0


def test_another_staff_member_cannot_open_someone_elses_import(staff, login):
    batch = staff_batch(UserFactory(is_staff=True))
    client = login(staff)
    assert client.get(reverse("dataexchange:import_detail", args=[batch.pk])).status_code == 403
    url = reverse("dataexchange:import_confirm", args=[batch.pk])
    assert client.post(url, {"fingerprint": "x"}).status_code == 403
    assert Organisation.objects.count() == 0


def test_staff_check_then_import_only_the_valid_rows(staff, login):
    # given a file with a good row and a bad one
    client = login(staff)
    content = csv_bytes(
        table(["name", "kind", "siret"], {"name": "Nouvelle Optique", "kind": "sme"},
              {"name": "Mauvaise", "kind": "sme", "siret": "123"}),
        delimiter=";",
    )  # fmt: skip
    # when staff upload it
    response = client.post(
        reverse("dataexchange:import"),
        {"kind": "organisations", "file": SimpleUploadedFile("orgs.csv", content)},
        **EN,
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dataexchange:import_detail", args=[batch.pk])
    # then the report lists the bad row with its column and reason, and the preview
    page = client.get(response["Location"], **EN).content.decode()
    assert "<code>siret</code></td>\n        <td>“123” is not a valid SIRET" in page
    assert "Import only the valid rows (1 change)" in page
    assert Organisation.objects.count() == 0
    # when they import only the valid rows
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    response = client.post(
        reverse("dataexchange:import_confirm", args=[batch.pk]),
        {"fingerprint": fingerprint, "valid_only": "1"},
        **EN,
    )
    # then the good row is written
    assert response.status_code == 302
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Nouvelle Optique"]
    page = client.get(response["Location"], **EN).content.decode()
    assert "Import done: 1 created, 0 updated." in page
    assert "left out (errors)" in page


def test_report_is_translated_in_french(staff, login):
    client = login(staff)
    content = csv_bytes(table(["name"], {"name": "Sans type"}))
    response = client.post(
        reverse("dataexchange:import"),
        {"kind": "organisations", "file": SimpleUploadedFile("orgs.csv", content)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Obligatoire pour créer une nouvelle organisation." in page
    assert "Lignes en erreur" in page


def test_an_unreadable_upload_shows_the_reason_on_the_form(staff, login):
    response = login(staff).post(
        reverse("dataexchange:import"),
        {"kind": "organisations", "file": SimpleUploadedFile("orgs.pdf", b"%PDF")},
        **EN,
    )
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_confirm_with_a_stale_fingerprint_is_refused(staff, login):
    client = login(staff)
    batch = staff_batch(staff)
    response = client.post(
        reverse("dataexchange:import_confirm", args=[batch.pk]), {"fingerprint": "old"}, **EN
    )
    assert response.status_code == 302
    page = client.get(response["Location"], **EN).content.decode()
    assert "The data changed since the check: read the new report, then confirm." in page
    assert Organisation.objects.count() == 0


def test_cancel_sets_the_file_aside(staff, login):
    batch = staff_batch(staff)
    response = login(staff).post(reverse("dataexchange:import_cancel", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.rows) == (ImportStatus.CANCELLED, [])


def test_export_organisations_with_filters(staff, login):
    # given a member lab, a lab without membership and a member SME
    lab = OrganisationFactory(name="Labo Membre", kind=OrgKind.LAB, region="FRJ2")
    MembershipFactory(organisation=lab)
    FiguresFactory(organisation=lab, year=2025, turnover=Decimal("1500000.00"))
    OrganisationFactory(name="Labo Libre", kind=OrgKind.LAB, region="FRJ2")
    MembershipFactory(organisation=OrganisationFactory(name="PME", kind=OrgKind.SME))
    url = reverse("dataexchange:export", args=["organisations", "csv"])
    # when staff export member labs
    response = login(staff).get(url, {"kind": "lab", "membership": "member"})
    # then only that organisation is in the file, with its latest figures
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(lines) == 2
    assert lines[0].startswith("slug,name,legal_name,siren,siret,vat_number,legal_form,kind,")
    assert lines[1].startswith("photonique-")
    assert ",Labo Membre,Labo Membre SAS," in lines[1]
    assert lines[1].endswith(",2025,20,1500000.00,40.00,450000.00,,active")


def test_export_people_as_xlsx_with_affiliations_and_consents(staff, login):
    organisation = OrganisationFactory(name="Lumière", slug="lumiere")
    person = PersonFactory(email="marie@example.org", first_name="Marie", last_name="Durand")
    AffiliationFactory(person=person, organisation=organisation, role=AffiliationRole.SALES)
    url = reverse("dataexchange:export", args=["people", "xlsx"])
    response = login(staff).get(url, {"region": "FRL0"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:8] == ["email", "first_name", "last_name", "phone", "job_title", "language", "organisations", "organisation_names"]  # fmt: skip
    assert rows[1:] == [
        ["marie@example.org", "Marie", "Durand", None, None, "fr", "lumiere", "Lumière", "sales",
         None, None, None, "no"],
    ]  # fmt: skip


def test_export_refuses_unknown_filters(staff, login):
    url = reverse("dataexchange:export", args=["organisations", "csv"])
    response = login(staff).get(url, {"kind": "bakery"}, **EN)
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_template_has_the_import_columns(staff, login):
    response = login(staff).get(reverse("dataexchange:template", args=["people", "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text == (
        "\ufeffemail,first_name,last_name,phone,job_title,language,organisations,roles,"
        "admin_of,newsletter,directory\r\n"
    )


def test_pages_render_for_staff(staff, login):
    client = login(staff)
    staff_batch(staff)
    assert client.get(reverse("dataexchange:index")).status_code == 200
    page = client.get(reverse("dataexchange:import"), **EN).content.decode()
    assert "<code>competences</code>" in page
    assert "orgs.csv" in page


@pytest.mark.parametrize("count", [3, 30])
def test_exports_run_a_fixed_number_of_queries(count, staff, login, django_assert_max_num_queries):
    for _ in range(count):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation)
        FiguresFactory(organisation=organisation)
        AffiliationFactory(organisation=organisation)
    client = login(staff)
    for kind in ("organisations", "people"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse("dataexchange:export", args=[kind, "csv"]))
            b"".join(response.streaming_content)
