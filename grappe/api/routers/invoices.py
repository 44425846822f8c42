"""Invoices: staff see, settle and cancel all of them; an organisation's administrators see
theirs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status

from grappe.api.auth import AUTHENTICATED
from grappe.api.errors import ErrorOut, conflict_when
from grappe.api.pagination import PageOut, PageQuery, paginate
from grappe.api.permissions import can_list_invoices
from grappe.api.routers.credit_notes import CreditNoteOut, credit_note_out
from grappe.api.selectors import invoices_visible_to
from grappe.core.permissions import require
from grappe.members import services
from grappe.members.models import CreditNote, Invoice, InvoiceStatus
from grappe.members.permissions import (
    can_cancel_invoice,
    can_mark_invoice_paid,
    can_view_invoice,
)
from grappe.members.services.invoices import invoice_label

router = Router(tags=["invoices"], auth=AUTHENTICATED)


class InvoiceOut(Schema):
    number: str
    organisation_slug: str
    organisation_name: str
    membership_id: int
    membership_year: int
    label: str
    issued_on: dt.date
    due_on: dt.date
    amount_net: Decimal
    vat_rate: Decimal
    vat_amount: Decimal
    amount_gross: Decimal
    currency: str
    status: str
    status_label: str
    paid_on: dt.date | None
    payment_reference: str
    credit_note: str | None = Field(description="Number of the credit note that cancelled it.")
    seller: dict[str, Any]
    buyer: dict[str, Any]
    pdf: str


class InvoiceFilters(PageQuery):
    status: InvoiceStatus | None = None
    year: int | None = Field(None, description="Year of issue.")
    organisation: str = Field("", description="Slug of the organisation.")


class InvoicePage(PageOut):
    items: list[InvoiceOut]


class PayIn(Schema):
    paid_on: dt.date | None = None
    reference: str = ""


class CancelIn(Schema):
    reason: str = ""
    issued_on: dt.date | None = Field(None, description="Date of the credit note (today).")


def invoice_out(request: HttpRequest, invoice: Invoice) -> dict[str, Any]:
    # The reverse one-to-one raises when there is none, even when select_related cached it.
    credit_note: CreditNote | None = getattr(invoice, "credit_note", None)
    return {
        "number": invoice.number,
        "organisation_slug": invoice.organisation.slug,
        "organisation_name": invoice.organisation.name,
        "membership_id": invoice.membership_id,
        "membership_year": invoice.membership.year,
        "label": invoice_label(invoice),
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "amount_net": invoice.amount_net,
        "vat_rate": invoice.vat_rate,
        "vat_amount": invoice.vat_amount,
        "amount_gross": invoice.amount_gross,
        "currency": "EUR",
        "status": invoice.status,
        "status_label": invoice.get_status_display(),
        "paid_on": invoice.paid_on,
        "payment_reference": invoice.payment_reference,
        "credit_note": credit_note.number if credit_note else None,
        "seller": invoice.seller,
        "buyer": invoice.buyer,
        "pdf": request.build_absolute_uri(
            reverse("api-1:invoice_pdf", kwargs={"number": invoice.number})
        ),
    }


def _invoices() -> Any:
    return Invoice.objects.select_related("organisation", "membership", "credit_note")


def _invoice_for(request: HttpRequest, number: str) -> Invoice:
    invoice = get_object_or_404(_invoices(), number=number)
    require(can_view_invoice(request.user, invoice))
    return invoice


@router.get(
    "/invoices",
    response={200: InvoicePage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Invoices (staff: all; administrators: their organisations')",
)
def invoice_list(request: HttpRequest, filters: Query[InvoiceFilters]) -> dict[str, Any]:
    require(can_list_invoices(request.user))
    invoices = invoices_visible_to(request.user)
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.year:
        invoices = invoices.filter(issued_on__year=filters.year)
    if filters.organisation:
        invoices = invoices.filter(organisation__slug=filters.organisation)
    invoices = invoices.order_by("-issued_on", "-number")
    result = paginate(invoices, page=filters.page, per_page=filters.per_page)
    result["items"] = [invoice_out(request, invoice) for invoice in result["items"]]
    return result


@router.get(
    "/invoices/{number}",
    response={200: InvoiceOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="One invoice",
)
def invoice_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return invoice_out(request, _invoice_for(request, number))


@router.get(
    "/invoices/{number}/pdf",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="invoice_pdf",
    summary="The invoice as a PDF, in the request language",
    openapi_extra={
        "responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}
    },
)
def invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    invoice = _invoice_for(request, number)
    language = (get_language() or "fr")[:2]
    response = HttpResponse(services.invoice_pdf(invoice, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@router.post(
    "/invoices/{number}/pay",
    response={
        200: InvoiceOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Record the payment (staff); an approved membership becomes active",
)
def invoice_pay(request: HttpRequest, number: str, payload: PayIn) -> dict[str, Any]:
    require(can_mark_invoice_paid(request.user))
    invoice = get_object_or_404(_invoices(), number=number)
    with conflict_when(invoice.status != InvoiceStatus.ISSUED):
        services.invoice_mark_paid(
            actor=request.user,
            invoice=invoice,
            paid_on=payload.paid_on,
            reference=payload.reference,
        )
    return invoice_out(request, get_object_or_404(_invoices(), number=number))


@router.post(
    "/invoices/{number}/cancel",
    response={
        201: CreditNoteOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Cancel an unpaid invoice by a credit note (staff); the organisation is told",
)
def invoice_cancel(request: HttpRequest, number: str, payload: CancelIn) -> Status[Any]:
    require(can_cancel_invoice(request.user))
    invoice = get_object_or_404(_invoices(), number=number)
    with conflict_when(invoice.status != InvoiceStatus.ISSUED):
        note = services.invoice_cancel(
            actor=request.user,
            invoice=invoice,
            reason=payload.reason,
            issued_on=payload.issued_on,
        )
    return Status(201, credit_note_out(request, note))
