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
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.members import permissions
from grappe.members.models import (
    ClusterProfile,
    CreditNote,
    CreditNoteCounter,
    FeeSchedule,
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    Membership,
    MembershipStatus,
)

CENT = Decimal("0.01")
CREDIT_NOTE_PDF = "grappe.members.services.invoices.credit_note_pdf_by_id"


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


def next_credit_note_number(year: int) -> str:
    """Like invoices, under a row lock, but in the credit notes' own series."""
    CreditNoteCounter.objects.get_or_create(year=year)
    counter = CreditNoteCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"AV-{year}-{counter.last:05d}"


def invoice_cancel(
    *, actor: Any, invoice: Invoice, reason: str, issued_on: dt.date | None = None
) -> CreditNote:
    """Cancel an unpaid invoice by a credit note: the invoice stays, marked cancelled."""
    require(permissions.can_cancel_invoice(actor, invoice))
    reason = (reason or "").strip()
    issued_on = issued_on or timezone.localdate()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for the cancellation.")
    elif len(reason) > 300:  # the column's length
        errors["reason"] = _("The reason is limited to 300 characters.")
    if issued_on > timezone.localdate():
        errors["issued_on"] = _("The credit note cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update()
            .select_related("membership", "organisation")
            .get(pk=invoice.pk)
        )
        if invoice.status != InvoiceStatus.ISSUED:
            raise ValidationError({"status": _("Only an unpaid invoice can be cancelled.")})
        if issued_on < invoice.issued_on:
            raise ValidationError(
                {"issued_on": _("The credit note cannot be dated before the invoice.")}
            )
        before = snapshot(invoice)
        credit_note = CreditNote.objects.create(
            number=next_credit_note_number(issued_on.year),
            invoice=invoice,
            issued_on=issued_on,
            reason=reason,
            amount_net=invoice.amount_net,
            vat_rate=invoice.vat_rate,
            vat_amount=invoice.vat_amount,
            amount_gross=invoice.amount_gross,
            seller=invoice.seller,
            buyer=invoice.buyer,
        )
        invoice.status = InvoiceStatus.CANCELLED
        invoice.save()
        audit_record(actor=actor, obj=invoice, action="invoice.cancel", before=before)
        audit_record(actor=actor, obj=credit_note, action="credit_note.issue")
        _mail_credit_note(invoice, credit_note)
    return credit_note


def _mail_credit_note(invoice: Invoice, credit_note: CreditNote) -> None:
    from grappe.members.services.memberships import _admins_emails

    for email, language in _admins_emails(invoice.organisation):
        pdf = (CREDIT_NOTE_PDF, {"credit_note_id": credit_note.pk, "language": language})
        mail_after_commit(
            to=[email],
            template="invoice_cancelled",
            context={
                "invoice": invoice,
                "credit_note": credit_note,
                "organisation": invoice.organisation,
            },
            language=language,
            attachments=[(f"{credit_note.number}.pdf", *pdf, "application/pdf")],
        )


def credit_note_pdf(credit_note: CreditNote, language: str = "fr") -> bytes:
    """The credit note as a PDF, in `language`: negative amounts, the cancelled invoice named."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "members/credit_note_pdf.html",
            {
                "credit_note": credit_note,
                "invoice": credit_note.invoice,
                "label": invoice_label(credit_note.invoice),
                "language": language,
            },
        )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def credit_note_pdf_by_id(*, credit_note_id: int, language: str = "fr") -> bytes:
    """For mail attachments rendered by the background worker."""
    credit_note = CreditNote.objects.select_related("invoice__membership").get(pk=credit_note_id)
    return credit_note_pdf(credit_note, language)
