"""Invoices through the API: staff see and settle them; administrators see their own."""

from __future__ import annotations

from grappe.members.models import InvoiceStatus, MembershipStatus
from grappe.members.services import invoice_issue
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def test_an_administrator_lists_only_their_organisations_invoices(login, world, org_admin):
    # given another organisation's invoice
    other = MembershipFactory(organisation=OrganisationFactory())
    invoice_issue(actor=UserFactory(is_staff=True), membership=other)

    # when the member organisation's administrator lists invoices
    data = login(org_admin).get("/api/v1/invoices?lang=en").json()

    # then only theirs comes back, in full
    assert data["total"] == 1
    [invoice] = data["items"]
    assert invoice["number"] == world.invoice.number
    assert (invoice["amount_net"], invoice["vat_amount"], invoice["amount_gross"]) == (
        "1100.00", "220.00", "1320.00",
    )  # fmt: skip
    assert invoice["currency"] == "EUR"
    assert invoice["label"] == f"Membership dues {world.active.year}"
    assert invoice["pdf"] == f"http://testserver/api/v1/invoices/{world.invoice.number}/pdf"


def test_the_pdf_is_a_pdf(login, world, org_admin):
    response = login(org_admin).get(f"/api/v1/invoices/{world.invoice.number}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_staff_record_a_payment_and_the_membership_follows(login, world, staff):
    # given an approved membership with its invoice
    invoice = invoice_issue(actor=staff, membership=world.approved)

    # when staff record the payment
    response = login(staff).post(
        f"/api/v1/invoices/{invoice.number}/pay",
        {"paid_on": "2026-02-03", "reference": "VIR 2291"},
        content_type="application/json",
    )

    # then the invoice is paid and the membership active
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["paid_on"]) == ("paid", "2026-02-03")
    world.approved.refresh_from_db()
    assert world.approved.status == MembershipStatus.ACTIVE


def test_paying_twice_is_a_conflict(login, world, staff):
    # given a paid invoice
    client = login(staff)
    client.post(f"/api/v1/invoices/{world.invoice.number}/pay", {}, content_type="application/json")

    # when it is paid again
    response = client.post(
        f"/api/v1/invoices/{world.invoice.number}/pay",
        {"reference": "second"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then 409, and the first payment stands
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Only an unpaid invoice can be marked paid."
    world.invoice.refresh_from_db()
    assert (world.invoice.status, world.invoice.payment_reference) == (InvoiceStatus.PAID, "")


def test_staff_filter_invoices(login, world, staff):
    client = login(staff)

    assert client.get("/api/v1/invoices?status=paid").json()["total"] == 0
    assert client.get("/api/v1/invoices?status=issued").json()["total"] == 1
    assert client.get("/api/v1/invoices?organisation=admis-photon").json()["total"] == 0


def test_the_invoice_list_takes_a_fixed_number_of_queries(
    login, world, staff, django_assert_max_num_queries
):
    # given many invoices
    for _ in range(30):
        invoice_issue(actor=staff, membership=MembershipFactory(organisation=OrganisationFactory()))
    client = login(staff)

    # when staff list 5 then 100 a page
    for per_page in (5, 100):
        with django_assert_max_num_queries(6):
            response = client.get(f"/api/v1/invoices?per_page={per_page}")
        assert response.status_code == 200
    assert response.json()["total"] == 31
