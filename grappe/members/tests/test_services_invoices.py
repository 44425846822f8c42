"""Invoices: gapless numbering per year, amounts and VAT, legal details, payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from grappe.core.audit import snapshot
from grappe.core.models import AuditEntry
from grappe.members import services
from grappe.members.models import (
    ClusterProfile,
    FeeSchedule,
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    MembershipStatus,
)
from grappe.members.services.invoices import invoice_label, next_invoice_number
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
S = MembershipStatus


def _membership(status: str = S.APPROVED, fee: str = "1100.00", year: int = 2026, **kwargs):
    return MembershipFactory(status=status, fee=Decimal(fee), year=year, **kwargs)


def test_numbers_follow_each_other_without_gap_and_restart_each_year(staff):
    # given five memberships invoiced on dates across two years
    dates = [dt.date(2026, 1, 5), dt.date(2026, 6, 1), dt.date(2027, 1, 2), dt.date(2026, 12, 31),
             dt.date(2027, 3, 1)]  # fmt: skip
    # when each is invoiced
    numbers = [
        services.invoice_issue(actor=staff, membership=_membership(), issued_on=day).number
        for day in dates
    ]
    # then each year has its own sequence from 00001, with no gap and no twin
    assert numbers == ["2026-00001", "2026-00002", "2027-00001", "2026-00003", "2027-00002"]
    assert dict(InvoiceCounter.objects.values_list("year", "last")) == {2026: 3, 2027: 2}


def test_a_number_taken_in_a_transaction_that_fails_is_given_again(staff):
    # given an invoice whose transaction fails after taking its number
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_invoice_number(2026) == "2026-00001"
        raise RuntimeError
    # when the next invoice is issued, then it takes the same number: no gap
    invoice = services.invoice_issue(
        actor=staff, membership=_membership(), issued_on=dt.date(2026, 2, 1)
    )
    assert invoice.number == "2026-00001"


def test_issuing_twice_returns_the_same_invoice_and_uses_no_number(staff):
    membership = _membership()
    first = services.invoice_issue(
        actor=staff, membership=membership, issued_on=dt.date(2026, 2, 1)
    )
    again = services.invoice_issue(
        actor=staff, membership=membership, issued_on=dt.date(2026, 2, 1)
    )
    assert again.pk == first.pk
    assert Invoice.objects.count() == 1
    assert InvoiceCounter.objects.get(year=2026).last == 1


@pytest.mark.parametrize(
    ("fee", "vat_rate", "vat", "gross"),
    [
        ("1100.00", "20.00", "220.00", "1320.00"),
        ("550.00", "20.00", "110.00", "660.00"),
        ("641.67", "20.00", "128.33", "770.00"),  # 7 months of 1,100 €
        ("1100.00", "5.50", "60.50", "1160.50"),
        ("0.05", "10.00", "0.01", "0.06"),  # half a cent is rounded up
        ("220.00", "0.00", "0.00", "220.00"),
    ],
)
def test_amounts_and_vat_follow_the_year_schedule(staff, fee, vat_rate, vat, gross):
    # given the year's schedule with its VAT rate and a membership's dues
    FeeSchedule.objects.create(year=2026, vat_rate=Decimal(vat_rate))
    membership = _membership(fee=fee)
    # when it is invoiced
    invoice = services.invoice_issue(actor=staff, membership=membership)
    # then the VAT is the rate of the dues, rounded to the cent, half up
    assert (invoice.amount_net, invoice.vat_rate) == (Decimal(fee), Decimal(vat_rate))
    assert (invoice.vat_amount, invoice.amount_gross) == (Decimal(vat), Decimal(gross))


def test_without_a_schedule_the_vat_rate_is_20_percent(staff):
    invoice = services.invoice_issue(actor=staff, membership=_membership(fee="100.00"))
    assert (invoice.vat_rate, invoice.vat_amount) == (Decimal("20.00"), Decimal("20.00"))


def test_an_invoice_keeps_both_parties_legal_details_as_issued(staff):
    # given the cluster's details and a member organisation
    ClusterProfile.objects.create(
        legal_name="Pôle Optique SUD", street="2 rue Marc Donadille", postcode="13013",
        city="Marseille", siret="55210055400013", vat_number="FR40303265045",
        email="compta@pole.example", iban="FR7630001007941234567890185", bic="BDFEFRPP",
        payment_days=45,
    )  # fmt: skip
    organisation = OrganisationFactory(
        legal_name="Lumière SAS", street="1 quai", postcode="31000", city="Toulouse",
        siret="55210055400013", vat_number="FR40303265045",
    )  # fmt: skip
    membership = _membership(organisation=organisation, months=6, band_label="from 10 M€")
    # when the invoice is issued on 1 July 2026
    invoice = services.invoice_issue(
        actor=staff, membership=membership, issued_on=dt.date(2026, 7, 1)
    )
    # then it is due 45 days later and carries both parties' details
    assert invoice.due_on == dt.date(2026, 8, 15)
    assert invoice.seller == {
        "name": "Pôle Optique SUD", "street": "2 rue Marc Donadille", "postcode": "13013",
        "city": "Marseille", "siret": "55210055400013", "vat_number": "FR40303265045",
        "email": "compta@pole.example", "iban": "FR7630001007941234567890185", "bic": "BDFEFRPP",
    }  # fmt: skip
    assert invoice.buyer == {
        "name": "Lumière SAS", "street": "1 quai", "postcode": "31000", "city": "Toulouse",
        "country": "FR", "siret": "55210055400013", "vat_number": "FR40303265045",
    }  # fmt: skip
    assert invoice.label == "2026|6|from 10 M€"
    # and later changes of the cluster's details do not alter it
    ClusterProfile.objects.update(legal_name="Autre")
    invoice.refresh_from_db()
    assert invoice.seller["name"] == "Pôle Optique SUD"
    assert AuditEntry.objects.filter(action="invoice.issue", object_id=str(invoice.pk)).count() == 1


def test_the_invoice_label_says_pro_rata_and_names_the_band():
    with translation.override("en"):
        assert invoice_label(Invoice(label="2026|6|from 10 M€")) == (
            "Membership dues 2026 – pro rata, 6 months (from 10 M€)"
        )
        assert invoice_label(Invoice(label="2026|12|")) == "Membership dues 2026"


def test_only_staff_issue_an_invoice(org_admin):
    with pytest.raises(PermissionDenied):
        services.invoice_issue(actor=org_admin, membership=_membership())
    assert Invoice.objects.count() == 0


# --- Payment ----------------------------------------------------------------------------------


def _issued(staff, status: str = S.APPROVED, organisation=None):
    organisation = organisation or OrganisationFactory()
    membership = _membership(status=status, organisation=organisation)
    return services.invoice_issue(actor=staff, membership=membership, issued_on=dt.date(2026, 2, 1))


def test_marking_paid_activates_an_approved_membership(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    # given the invoice of an approved membership, and its organisation's administrator
    organisation = OrganisationFactory()
    admin = PersonFactory(email="admin@lumiere.example")
    AffiliationFactory(person=admin, organisation=organisation, is_admin=True)
    invoice = _issued(staff, organisation=organisation)
    # when staff record the payment
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_mark_paid(
            actor=staff, invoice=invoice, paid_on=dt.date(2026, 2, 20), reference="VIR 1234"
        )
    # then the invoice is paid, the membership active, both audited, the member told
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on, invoice.payment_reference) == (
        InvoiceStatus.PAID, dt.date(2026, 2, 20), "VIR 1234",
    )  # fmt: skip
    assert invoice.membership.status == S.ACTIVE
    paid = AuditEntry.objects.get(action="invoice.paid")
    assert paid.changes == {
        "status": ["issued", "paid"], "paid_on": [None, "2026-02-20"],
        "payment_reference": ["", "VIR 1234"],
    }  # fmt: skip
    assert AuditEntry.objects.filter(action="membership.activate").count() == 1
    assert [mail.to for mail in mailoutbox] == [["admin@lumiere.example"]]


def test_marking_paid_leaves_an_active_membership_active(staff):
    invoice = _issued(staff, status=S.ACTIVE)
    services.invoice_mark_paid(actor=staff, invoice=invoice, paid_on=dt.date(2026, 2, 20))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.membership.status) == (InvoiceStatus.PAID, S.ACTIVE)
    assert AuditEntry.objects.filter(action="membership.activate").count() == 0


def test_the_payment_date_defaults_to_today(staff):
    invoice = _issued(staff)
    services.invoice_mark_paid(actor=staff, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.paid_on == timezone.localdate()


@pytest.mark.parametrize(
    ("status", "kwargs", "field"),
    [
        (InvoiceStatus.PAID, {}, "status"),
        (InvoiceStatus.CANCELLED, {}, "status"),
        (InvoiceStatus.ISSUED, {"paid_on": dt.date.today() + dt.timedelta(days=2)}, "paid_on"),
        (InvoiceStatus.ISSUED, {"reference": "x" * 101}, "reference"),
    ],
)
def test_a_refused_payment_changes_nothing(staff, mailoutbox, status, kwargs, field):
    # given an invoice in `status`
    invoice = _issued(staff)
    Invoice.objects.filter(pk=invoice.pk).update(status=status)
    invoice.refresh_from_db()
    before, audit_before = snapshot(invoice), AuditEntry.objects.count()
    # when staff record a payment it cannot take, then the refusal names the field
    with pytest.raises(ValidationError) as raised:
        services.invoice_mark_paid(actor=staff, invoice=invoice, **kwargs)
    assert list(raised.value.message_dict) == [field]
    invoice.refresh_from_db()
    assert snapshot(invoice) == before
    assert invoice.membership.status == S.APPROVED
    assert AuditEntry.objects.count() == audit_before
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["member", "org_admin", "expert", "registered"])
def test_only_staff_mark_an_invoice_paid(request, staff, role):
    invoice = _issued(staff)
    with pytest.raises(PermissionDenied):
        services.invoice_mark_paid(actor=request.getfixturevalue(role), invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED


def test_the_invoice_pdf_is_a_pdf_naming_the_number(staff):
    invoice = _issued(staff)
    pdf = services.invoice_pdf(invoice, "en")
    assert pdf[:5] == b"%PDF-"
    assert len(pdf) > 1000
