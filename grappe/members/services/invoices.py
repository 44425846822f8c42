"""Invoices for membership years: gapless numbering, legal details, PDF, payment."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.members import permissions
from grappe.members.models import (
    ClusterProfile,
    FeeSchedule,
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    Membership,
    MembershipStatus,
)

CENT = Decimal("0.01")


def cluster_profile() -> ClusterProfile:
    profile = ClusterProfile.objects.order_by("pk").first()
    return profile if profile is not None else ClusterProfile.objects.create()


def next_invoice_number(year: int) -> str:
    """Take the next number of `year` under a row lock: concurrent issues wait, none is lost."""
    InvoiceCounter.objects.get_or_create(year=year)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:05d}"


def invoice_issue(
    *, actor: Any, membership: Membership, issued_on: dt.date | None = None
) -> Invoice:
    require(permissions.can_decide_membership(actor, membership))
    existing = Invoice.objects.filter(membership=membership).first()
    if existing is not None:
        return existing
    issued_on = issued_on or timezone.localdate()
    seller = cluster_profile()
    organisation = membership.organisation
    schedule = FeeSchedule.objects.filter(year=membership.year).first()
    vat_rate = schedule.vat_rate if schedule else Decimal("20.00")
    vat = (membership.fee * vat_rate / 100).quantize(CENT, ROUND_HALF_UP)
    with transaction.atomic():
        invoice = Invoice.objects.create(
            number=next_invoice_number(issued_on.year),
            membership=membership,
            organisation=organisation,
            issued_on=issued_on,
            due_on=issued_on + dt.timedelta(days=seller.payment_days),
            label=f"{membership.year}|{membership.months}|{membership.band_label}",
            amount_net=membership.fee,
            vat_rate=vat_rate,
            vat_amount=vat,
            amount_gross=membership.fee + vat,
            seller={
                "name": seller.legal_name, "street": seller.street, "postcode": seller.postcode,
                "city": seller.city, "siret": seller.siret, "vat_number": seller.vat_number,
                "email": seller.email, "iban": seller.iban, "bic": seller.bic,
            },
            buyer={
                "name": organisation.legal_name, "street": organisation.street,
                "postcode": organisation.postcode, "city": organisation.city,
                "country": organisation.country, "siret": organisation.siret,
                "vat_number": organisation.vat_number,
            },
        )  # fmt: skip
        audit_record(actor=actor, obj=invoice, action="invoice.issue")
    return invoice


def invoice_mark_paid(
    *, actor: Any, invoice: Invoice, paid_on: dt.date | None = None, reference: str = ""
) -> Invoice:
    """Staff record the payment; an approved membership becomes active."""
    require(permissions.can_mark_invoice_paid(actor, invoice))
    paid_on = paid_on or timezone.localdate()
    reference = (reference or "").strip()
    errors = {}
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date cannot be in the future.")
    if len(reference) > 100:  # the column's length
        errors["reference"] = _("The payment reference is limited to 100 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status != InvoiceStatus.ISSUED:
            raise ValidationError({"status": _("Only an unpaid invoice can be marked paid.")})
        before = snapshot(invoice)
        invoice.status = InvoiceStatus.PAID
        invoice.paid_on = paid_on
        invoice.payment_reference = reference
        invoice.save()
        audit_record(actor=actor, obj=invoice, action="invoice.paid", before=before)
        if invoice.membership.status == MembershipStatus.APPROVED:
            from grappe.members.services.memberships import membership_activate

            membership_activate(actor=actor, membership=invoice.membership)
    return invoice


def invoice_label(invoice: Invoice) -> str:
    year, months, band = (invoice.label.split("|") + ["", "", ""])[:3]
    text = _("Membership dues %(year)s") % {"year": year}
    if months and months != "12":
        text += " – " + _("pro rata, %(months)s months") % {"months": months}
    if band:
        text += f" ({band})"
    return text


def invoice_pdf(invoice: Invoice, language: str = "fr") -> bytes:
    """The invoice as a PDF (WeasyPrint), in `language`."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "members/invoice_pdf.html",
            {"invoice": invoice, "label": invoice_label(invoice), "language": language},
        )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def invoice_pdf_by_id(*, invoice_id: int, language: str = "fr") -> bytes:
    """For mail attachments rendered by the background worker."""
    return invoice_pdf(Invoice.objects.select_related("membership").get(pk=invoice_id), language)
