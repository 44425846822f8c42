"""Credit notes (« avoirs »): an unpaid invoice is cancelled, never deleted nor edited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from grappe.core.models import AuditEntry
from grappe.members import services
from grappe.members.models import (
    CreditNote,
    CreditNoteCounter,
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    MembershipStatus,
)
from grappe.members.services.invoices import credit_note_pdf
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
ADMIN_EMAIL = "finance@lumiere.example"
YEAR = 2025  # a past year: the credit notes below are dated within it


def _invoice(staff, day: dt.date = dt.date(YEAR, 2, 1), admin: bool = False) -> Invoice:
    organisation = OrganisationFactory()
    if admin:
        person = PersonFactory(email=ADMIN_EMAIL, language="en")
        AffiliationFactory(person=person, organisation=organisation, is_admin=True)
    membership = MembershipFactory(
        organisation=organisation, status=MembershipStatus.APPROVED, year=day.year,
        fee=Decimal("1100.00"),
    )  # fmt: skip
    return services.invoice_issue(actor=staff, membership=membership, issued_on=day)


def test_cancelling_issues_a_credit_note_copying_the_invoice(staff):
    # given an unpaid invoice
    invoice = _invoice(staff)
    # when staff cancel it
    note = services.invoice_cancel(
        actor=staff, invoice=invoice, reason="  Duplicate  ", issued_on=dt.date(YEAR, 3, 1)
    )
    # then a credit note carries the invoice's amounts and parties, and the invoice is cancelled
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert note.invoice == invoice
    assert (note.number, note.issued_on, note.reason) == (
        f"AV-{YEAR}-00001",
        dt.date(YEAR, 3, 1),
        "Duplicate",
    )
    assert (note.amount_net, note.vat_rate, note.vat_amount, note.amount_gross) == (
        Decimal("1100.00"), Decimal("20.00"), Decimal("220.00"), Decimal("1320.00")
    )  # fmt: skip
    assert (note.seller, note.buyer) == (invoice.seller, invoice.buyer)


def test_credit_note_numbers_are_gapless_and_apart_from_invoice_numbers(staff):
    # given three invoices of the year
    invoices = [_invoice(staff) for _ in range(3)]
    # when two are cancelled, one in the next year
    first = services.invoice_cancel(
        actor=staff, invoice=invoices[0], reason="Error", issued_on=dt.date(YEAR, 4, 1)
    )
    second = services.invoice_cancel(
        actor=staff, invoice=invoices[2], reason="Error", issued_on=dt.date(YEAR + 1, 1, 5)
    )
    # then each year has its own credit note series; the invoice counter did not move
    assert [first.number, second.number] == [f"AV-{YEAR}-00001", f"AV-{YEAR + 1}-00001"]
    assert dict(CreditNoteCounter.objects.values_list("year", "last")) == {YEAR: 1, YEAR + 1: 1}
    assert dict(InvoiceCounter.objects.values_list("year", "last")) == {YEAR: 3}
    third = services.invoice_cancel(
        actor=staff, invoice=invoices[1], reason="Error", issued_on=dt.date(YEAR, 5, 1)
    )
    assert third.number == f"AV-{YEAR}-00002"


@pytest.mark.parametrize("status", [InvoiceStatus.PAID, InvoiceStatus.CANCELLED])
def test_only_an_unpaid_invoice_is_cancelled(staff, status, mailoutbox):
    # given a paid or already cancelled invoice
    invoice = _invoice(staff, admin=True)
    Invoice.objects.filter(pk=invoice.pk).update(status=status)
    audits = AuditEntry.objects.count()
    # when staff try to cancel it, then it is refused and nothing is written nor sent
    with pytest.raises(ValidationError) as raised:
        services.invoice_cancel(actor=staff, invoice=invoice, reason="Error")
    assert list(raised.value.message_dict) == ["status"]
    assert CreditNote.objects.count() == 0
    assert CreditNoteCounter.objects.filter(last__gt=0).count() == 0
    assert AuditEntry.objects.count() == audits
    invoice.refresh_from_db()
    assert invoice.status == status
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("reason", "day", "field"),
    [
        ("  ", None, "reason"),
        ("x" * 301, None, "reason"),
        ("Error", timezone.localdate() + dt.timedelta(days=1), "issued_on"),
        ("Error", dt.date(YEAR, 1, 31), "issued_on"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(staff, reason, day, field, mailoutbox):
    invoice = _invoice(staff, admin=True)
    with pytest.raises(ValidationError) as raised:
        services.invoice_cancel(actor=staff, invoice=invoice, reason=reason, issued_on=day)
    assert list(raised.value.message_dict) == [field]
    assert CreditNote.objects.count() == 0
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    assert mailoutbox == []


def test_only_staff_cancel(org_admin, member_org, staff, mailoutbox):
    invoice = _invoice(staff)
    for user in (org_admin, None):
        with pytest.raises(PermissionDenied):
            services.invoice_cancel(actor=user, invoice=invoice, reason="Error")
    assert CreditNote.objects.count() == 0
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


def test_cancelling_is_audited_and_mailed_with_the_credit_note(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given an unpaid invoice of an organisation with an administrator
    invoice = _invoice(staff, admin=True)
    # when staff cancel it
    with django_capture_on_commit_callbacks(execute=True):
        note = services.invoice_cancel(
            actor=staff, invoice=invoice, reason="Not renewed", issued_on=dt.date(YEAR, 6, 1)
        )
    # then both the invoice and the credit note have their audit row
    rows = AuditEntry.objects.filter(action__in=["invoice.cancel", "credit_note.issue"])
    assert sorted(rows.values_list("action", "object_id")) == sorted(
        [("credit_note.issue", str(note.pk)), ("invoice.cancel", str(invoice.pk))]
    )
    cancel = rows.get(action="invoice.cancel")
    assert cancel.changes["status"] == ["issued", "cancelled"]
    # and the administrator receives the credit note as a PDF, in English
    [mail] = mailoutbox
    assert mail.to == [ADMIN_EMAIL]
    assert mail.subject.endswith(f"Invoice {invoice.number} cancelled by credit note {note.number}")
    assert "Reason: Not renewed" in mail.body
    [(filename, content, mimetype)] = mail.attachments
    assert (filename, mimetype) == (f"{note.number}.pdf", "application/pdf")
    assert content[:5] == b"%PDF-"


def test_the_credit_note_names_the_invoice_with_negative_amounts(staff):
    # given a cancelled invoice
    invoice = _invoice(staff)
    note = services.invoice_cancel(
        actor=staff, invoice=invoice, reason="Erreur", issued_on=dt.date(YEAR, 3, 1)
    )
    # when its document is rendered in English, then it refers to the invoice, amounts negative
    with translation.override("en"):
        html = render_to_string(
            "members/credit_note_pdf.html",
            {"credit_note": note, "invoice": invoice, "label": "Dues", "language": "en"},
        )
    assert "<h1>Credit note</h1>" in html
    assert (
        f"This credit note cancels in full invoice {invoice.number} of 1 February {YEAR}." in html
    )
    assert "− 1,320.00 €" in html
    assert credit_note_pdf(note, "fr")[:5] == b"%PDF-"
