"""Wiring of the cancellation by credit note: back office, Django admin, the member's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from grappe.members import services
from grappe.members.models import CreditNote, Invoice, InvoiceStatus, MembershipStatus
from grappe.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = MembershipStatus
DAY = dt.date(2025, 1, 10)


def _invoice(staff, organisation=None, status=S.APPROVED) -> Invoice:
    extra = {"organisation": organisation} if organisation else {}
    membership = MembershipFactory(status=status, year=2025, fee=Decimal("1100.00"), **extra)
    return services.invoice_issue(actor=staff, membership=membership, issued_on=DAY)


def test_staff_cancel_an_invoice_after_confirming_the_reason(login, staff, mailoutbox):
    # given an unpaid invoice listed with its cancel action
    invoice = _invoice(staff)
    client = login(staff)
    url = reverse("backoffice:invoice_cancel", args=[invoice.pk])
    assert url in client.get(reverse("backoffice:invoices")).content.decode()
    # when staff open the confirmation page, then nothing is written yet
    assert client.get(url).status_code == 200
    assert CreditNote.objects.count() == 0
    # when they confirm with a reason
    response = client.post(url, {"reason": "Issued twice", "issued_on": "2025-02-01"})
    # then the invoice is cancelled by a credit note, offered as a PDF in the list
    assert response.status_code == 302
    note = CreditNote.objects.get()
    assert (note.number, note.reason, note.issued_on) == (
        "AV-2025-00001",
        "Issued twice",
        dt.date(2025, 2, 1),
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    listing = client.get(reverse("backoffice:invoices")).content.decode()
    assert reverse("backoffice:credit_note_pdf", args=[note.pk]) in listing
    assert url not in listing
    pdf = client.get(reverse("backoffice:credit_note_pdf", args=[note.pk]))
    assert pdf.status_code == 200
    assert pdf.content[:5] == b"%PDF-"


def test_the_reason_is_required(login, staff):
    invoice = _invoice(staff)
    response = login(staff).post(
        reverse("backoffice:invoice_cancel", args=[invoice.pk]), {"reason": " ", "issued_on": ""}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reason", "issued_on"}
    assert CreditNote.objects.count() == 0


def test_only_staff_cancel_or_download_credit_notes(login, staff, org_admin, member_org):
    invoice = _invoice(staff, organisation=member_org)
    client = login(org_admin)
    url = reverse("backoffice:invoice_cancel", args=[invoice.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Mine", "issued_on": "2025-02-01"}).status_code == 403
    assert CreditNote.objects.count() == 0
    note = services.invoice_cancel(actor=staff, invoice=invoice, reason="Error")
    url = reverse("backoffice:credit_note_pdf", args=[note.pk])
    assert client.get(url).status_code == 403


def test_the_home_no_longer_counts_a_cancelled_invoice(login, staff):
    # given two overdue invoices, one then cancelled
    kept = _invoice(staff)
    services.invoice_cancel(actor=staff, invoice=_invoice(staff), reason="Not renewed")
    # when staff open the back office, then only the unpaid one is overdue
    response = login(staff).get(reverse("backoffice:home"))
    assert (response.context["unpaid"].count, response.context["overdue"].count) == (1, 1)
    assert [i.pk for i in response.context["overdue_list"]] == [kept.pk]


def test_a_lapse_may_cancel_the_unpaid_invoice_too(login, staff, mailoutbox):
    # given an approved membership whose invoice is unpaid
    invoice = _invoice(staff)
    url = reverse("backoffice:membership_end", args=[invoice.membership_id])
    # when staff record the lapse and tick the cancellation
    response = login(staff).post(url, {
        "status": "lapsed", "on": "2025-06-30", "reason": "Dues never paid", "cancel_invoice": "on",
    })  # fmt: skip
    # then the membership has lapsed and the invoice is cancelled on the lapse date
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.membership.status, invoice.status) == (S.LAPSED, InvoiceStatus.CANCELLED)
    assert (invoice.credit_note.issued_on, invoice.credit_note.reason) == (
        dt.date(2025, 6, 30),
        "Dues never paid",
    )


def test_only_a_lapse_cancels_the_invoice_and_nothing_is_half_done(login, staff):
    invoice = _invoice(staff)
    url = reverse("backoffice:membership_end", args=[invoice.membership_id])
    response = login(staff).post(url, {
        "status": "resigned", "on": "2025-06-30", "reason": "Letter", "cancel_invoice": "on",
    })  # fmt: skip
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["cancel_invoice"]
    invoice.refresh_from_db()
    assert (invoice.membership.status, invoice.status) == (S.APPROVED, InvoiceStatus.ISSUED)
    assert CreditNote.objects.count() == 0


def test_staff_cancel_by_an_admin_action(login, staff):
    invoices = [_invoice(staff), _invoice(staff)]
    login(staff).post(reverse("admin:members_invoice_changelist"), {
        "action": "cancel_invoices", ACTION_CHECKBOX_NAME: [str(i.pk) for i in invoices],
        "apply": "1", "reason": "Wrong year", "issued_on": "2025-03-01",
    })  # fmt: skip
    # then each invoice has its credit note, numbered in the credit notes' own series
    assert sorted(CreditNote.objects.values_list("number", flat=True)) == [
        "AV-2025-00001", "AV-2025-00002"
    ]  # fmt: skip
    assert sorted(CreditNote.objects.values_list("invoice", flat=True)) == sorted(
        i.pk for i in invoices
    )
    assert login(staff).get(reverse("admin:members_creditnote_changelist")).status_code == 200


def test_the_organisation_sees_the_credit_note(login, staff, org_admin, other_member, member_org):
    # given a cancelled invoice of the organisation
    invoice = _invoice(staff, organisation=member_org)
    note = services.invoice_cancel(actor=staff, invoice=invoice, reason="Error")
    pdf_url = reverse("members:credit_note_pdf", args=[invoice.pk])
    # when its administrator opens the invoices page, then the credit note is named and offered
    client = login(org_admin)
    page = client.get(
        reverse("members:organisation_invoices", kwargs={"slug": member_org.slug}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert f"cancelled by credit note {note.number}" in page
    assert pdf_url in page
    assert client.get(pdf_url).content[:5] == b"%PDF-"
    # and a member of another organisation may not download it
    assert login(other_member).get(pdf_url).status_code == 403


def test_an_invoice_without_credit_note_has_no_credit_note_pdf(login, staff, org_admin, member_org):
    invoice = _invoice(staff, organisation=member_org)
    response = login(org_admin).get(reverse("members:credit_note_pdf", args=[invoice.pk]))
    assert response.status_code == 404
    assert timezone.localdate() > DAY
