"""Credit notes through the API: seen by whoever may see the invoice they cancel; issued by
staff when they cancel an unpaid invoice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grappe.members.models import CreditNote, Invoice, InvoiceStatus
from grappe.members.services import invoice_cancel, invoice_issue, invoice_mark_paid
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def _today() -> dt.date:
    return timezone.localdate()


def _cancel(client, number: str, body: dict, **headers):
    return client.post(
        f"/api/v1/invoices/{number}/cancel", body, content_type="application/json", **headers
    )


def _cancelled_elsewhere(**organisation: str) -> CreditNote:
    """The credit note of another organisation's invoice."""
    clerk = UserFactory(is_staff=True)
    membership = MembershipFactory(organisation=OrganisationFactory(**organisation))
    invoice = invoice_issue(actor=clerk, membership=membership)
    return invoice_cancel(actor=clerk, invoice=invoice, reason="Wrong college")


def test_an_administrator_lists_only_their_organisations_credit_notes(login, world, org_admin):
    # given the member organisation's credit note and another organisation's
    note = world.credit_note
    _cancelled_elsewhere()

    # when the member organisation's administrator lists credit notes
    data = login(org_admin).get("/api/v1/credit-notes?lang=en").json()

    # then only theirs comes back, in full
    year = world.active.year
    assert (data["total"], data["pages"]) == (1, 1)
    assert data["items"] == [
        {
            "number": f"AV-{_today().year}-00001",
            "invoice_number": note.invoice.number,
            "organisation_slug": "lumiere-marseille",
            "organisation_name": "Lumière Marseille",
            "membership_year": year - 1,
            "label": f"Membership dues {year - 1}",
            "issued_on": _today().isoformat(),
            "reason": "Issued twice",
            "amount_net": "1100.00",
            "vat_rate": "20.00",
            "vat_amount": "220.00",
            "amount_gross": "1320.00",
            "currency": "EUR",
            "seller": note.seller,
            "buyer": note.buyer,
            "invoice_url": f"http://testserver/api/v1/invoices/{note.invoice.number}",
            "pdf": f"http://testserver/api/v1/credit-notes/{note.number}/pdf",
        }
    ]


def test_staff_list_every_credit_note_and_filter_them(login, world, staff):
    # given two organisations' credit notes, both of this year
    mine = world.credit_note
    elsewhere = _cancelled_elsewhere(name="Ailleurs", slug="ailleurs")
    client = login(staff)

    # when staff list them, then filter by organisation and by year
    every = client.get("/api/v1/credit-notes").json()
    by_org = client.get("/api/v1/credit-notes?organisation=ailleurs").json()
    last_year = client.get(f"/api/v1/credit-notes?year={_today().year - 1}").json()

    # then the newest number comes first, and the filters narrow the list
    assert [n["number"] for n in every["items"]] == [elsewhere.number, mine.number]
    assert [n["number"] for n in by_org["items"]] == [elsewhere.number]
    assert last_year["total"] == 0


def test_the_detail_and_the_invoice_name_each_other(login, world, org_admin):
    # given the member organisation's credit note
    note = world.credit_note
    client = login(org_admin)

    # when its administrator opens the credit note and the invoice it cancelled
    detail = client.get(f"/api/v1/credit-notes/{note.number}")
    invoice = client.get(detail.json()["invoice_url"])

    # then each names the other; an invoice still due names none
    assert detail.status_code == 200
    assert (detail.json()["number"], detail.json()["invoice_number"]) == (
        note.number,
        note.invoice.number,
    )
    assert (invoice.json()["status"], invoice.json()["credit_note"]) == ("cancelled", note.number)
    uncancelled = client.get(f"/api/v1/invoices/{world.invoice.number}").json()
    assert uncancelled["credit_note"] is None


@pytest.mark.parametrize("role", ["staff", "org_admin"])
def test_the_pdf_is_a_pdf(request, login, world, role):
    # given the member organisation's credit note
    note = world.credit_note

    # when staff or its administrator download it
    response = login(request.getfixturevalue(role)).get(f"/api/v1/credit-notes/{note.number}/pdf")

    # then it is the PDF the back office renders, named after the credit note
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{note.number}.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["other_member", "member"])
def test_who_may_not_see_the_invoice_may_not_see_its_credit_note(request, login, world, role):
    # given the member organisation's credit note
    note = world.credit_note
    client = login(request.getfixturevalue(role))

    # when another organisation's administrator, or a contact who is not an administrator,
    # asks for it
    responses = [
        client.get(f"/api/v1/credit-notes/{note.number}", HTTP_ACCEPT_LANGUAGE="en"),
        client.get(f"/api/v1/credit-notes/{note.number}/pdf", HTTP_ACCEPT_LANGUAGE="en"),
        client.get(f"/api/v1/invoices/{note.invoice.number}", HTTP_ACCEPT_LANGUAGE="en"),
    ]

    # then they are refused as for the invoice itself (403), in the error format
    for response in responses:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"


def test_another_administrator_lists_none_and_a_contact_may_not_list(
    login, world, other_member, member
):
    # given the member organisation's credit note
    assert world.credit_note.invoice.organisation == world.member_org

    # when another organisation's administrator, then a plain contact, list credit notes
    other_admin = login(other_member).get("/api/v1/credit-notes")
    contact = login(member).get("/api/v1/credit-notes")

    # then the administrator's own are listed (none) and the contact is refused, as for invoices
    assert (other_admin.status_code, other_admin.json()["total"]) == (200, 0)
    assert contact.status_code == 403


def test_an_unknown_credit_note_is_404(login, staff, world):
    response = login(staff).get("/api/v1/credit-notes/AV-1999-00001", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }


def test_without_a_token_or_a_session_it_is_401(client, world):
    # given a credit note
    note = world.credit_note

    # when a caller without credentials asks for it, or cancels an invoice
    responses = [
        client.get("/api/v1/credit-notes", HTTP_ACCEPT_LANGUAGE="en"),
        client.get(f"/api/v1/credit-notes/{note.number}", HTTP_ACCEPT_LANGUAGE="en"),
        client.get(f"/api/v1/credit-notes/{note.number}/pdf", HTTP_ACCEPT_LANGUAGE="en"),
        _cancel(client, world.invoice.number, {"reason": "x"}, HTTP_ACCEPT_LANGUAGE="en"),
    ]

    # then 401, with the way to authenticate
    for response in responses:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert response.json()["error"]["code"] == "not_authenticated"
    assert Invoice.objects.get(pk=world.invoice.pk).status == InvoiceStatus.ISSUED


def test_staff_cancel_an_unpaid_invoice_by_a_credit_note(login, world, staff):
    # given the member organisation's unpaid invoice
    invoice = world.invoice

    # when staff cancel it, with the reason and a date
    response = _cancel(
        login(staff), invoice.number, {"reason": "  Issued twice ", "issued_on": str(_today())}
    )

    # then 201 with the credit note, the first of the year's series, and the invoice cancelled
    assert response.status_code == 201
    body = response.json()
    number = f"AV-{_today().year}-00001"
    assert (body["number"], body["invoice_number"], body["reason"]) == (
        number,
        invoice.number,
        "Issued twice",
    )
    assert (body["amount_gross"], body["issued_on"]) == ("1320.00", str(_today()))
    assert body["pdf"] == f"http://testserver/api/v1/credit-notes/{number}/pdf"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert CreditNote.objects.get(invoice=invoice).number == number


def test_a_member_administrator_may_not_cancel(login, world, org_admin):
    # when the organisation's own administrator tries to cancel its invoice
    response = _cancel(
        login(org_admin), world.invoice.number, {"reason": "Too dear"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    # then 403, and nothing changed
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Invoice.objects.get(pk=world.invoice.pk).status == InvoiceStatus.ISSUED
    assert not CreditNote.objects.exists()


def test_cancelling_a_paid_invoice_is_a_conflict(login, world, staff):
    # given a paid invoice
    invoice_mark_paid(actor=staff, invoice=world.invoice, reference="VIR 2291")

    # when staff try to cancel it
    response = _cancel(
        login(staff), world.invoice.number, {"reason": "Issued twice"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    # then 409 with the service's message on the status, and the payment stands
    message = "Only an unpaid invoice can be cancelled."
    assert response.status_code == 409
    assert response.json() == {
        "error": {"code": "conflict", "message": message, "fields": {"status": [message]}}
    }
    assert Invoice.objects.get(pk=world.invoice.pk).status == InvoiceStatus.PAID
    assert not CreditNote.objects.exists()


def test_cancelling_twice_is_a_conflict(login, world, staff):
    # given an invoice cancelled once
    client = login(staff)
    _cancel(client, world.invoice.number, {"reason": "Issued twice"})

    # when staff cancel it again
    response = _cancel(client, world.invoice.number, {"reason": "Again"}, HTTP_ACCEPT_LANGUAGE="en")

    # then 409, and the first credit note stays the only one
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Only an unpaid invoice can be cancelled."
    assert list(CreditNote.objects.values_list("reason", flat=True)) == ["Issued twice"]


@pytest.mark.parametrize(
    ("body", "status", "fields"),
    [
        ({}, 400, {"reason": ["Give the reason for the cancellation."]}),
        ({"reason": "   "}, 400, {"reason": ["Give the reason for the cancellation."]}),
        (
            {"reason": "Issued twice", "issued_on": "2999-01-01"},
            400,
            {"issued_on": ["The credit note cannot be dated in the future."]},
        ),
        (
            {"reason": "Issued twice", "issued_on": "2000-01-01"},
            400,
            {"issued_on": ["The credit note cannot be dated before the invoice."]},
        ),
        (
            {"reason": "Issued twice", "issued_on": "soon"},
            422,
            {"issued_on": ["Enter a valid date (YYYY-MM-DD)."]},
        ),
    ],
)
def test_a_refused_cancellation_names_the_field(login, world, staff, body, status, fields):
    # when staff cancel without a reason, or with a date that cannot be
    response = _cancel(login(staff), world.invoice.number, body, HTTP_ACCEPT_LANGUAGE="en")

    # then the field is named with its message, and nothing changed
    assert response.status_code == status
    assert response.json()["error"]["fields"] == fields
    assert Invoice.objects.get(pk=world.invoice.pk).status == InvoiceStatus.ISSUED
    assert not CreditNote.objects.exists()


def test_refusals_come_in_french_by_default(login, world, staff):
    response = _cancel(login(staff), world.invoice.number, {"reason": ""})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"reason": ["Indiquez le motif de l’annulation."]}


def test_the_credit_note_list_takes_a_fixed_number_of_queries(
    login, world, staff, django_assert_max_num_queries
):
    # given many credit notes
    for _ in range(30):
        _cancelled_elsewhere()
    client = login(staff)

    # when staff list 5 then 100 a page
    for per_page in (5, 100):
        with django_assert_max_num_queries(6):
            response = client.get(f"/api/v1/credit-notes?per_page={per_page}")
        assert response.status_code == 200
    assert response.json()["total"] == 30
