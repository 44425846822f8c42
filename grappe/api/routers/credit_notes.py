"""Credit notes (« avoirs »): seen by whoever may see the invoice they cancel. They are issued
by cancelling an invoice (`POST /invoices/{number}/cancel`, in the invoices' router)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from grappe.api.auth import AUTHENTICATED
from grappe.api.errors import ErrorOut
from grappe.api.pagination import PageOut, PageQuery, paginate
from grappe.api.permissions import can_list_invoices
from grappe.api.selectors import credit_notes_visible_to
from grappe.core.permissions import require
from grappe.members import services
from grappe.members.models import CreditNote
from grappe.members.permissions import can_view_invoice
from grappe.members.services.invoices import invoice_label

router = Router(tags=["credit notes"], auth=AUTHENTICATED)


class CreditNoteOut(Schema):
    number: str
    invoice_number: str
    organisation_slug: str
    organisation_name: str
    membership_year: int
    label: str = Field(description="The label of the cancelled invoice.")
    issued_on: dt.date
    reason: str
    # As stored: the amounts of the cancelled invoice, positive; the PDF prints them negative.
    amount_net: Decimal
    vat_rate: Decimal
    vat_amount: Decimal
    amount_gross: Decimal
    currency: str
    seller: dict[str, Any]
    buyer: dict[str, Any]
    invoice_url: str
    pdf: str


class CreditNoteFilters(PageQuery):
    year: int | None = Field(None, description="Year of issue of the credit note.")
    organisation: str = Field("", description="Slug of the organisation.")


class CreditNotePage(PageOut):
    items: list[CreditNoteOut]


def credit_note_out(request: HttpRequest, note: CreditNote) -> dict[str, Any]:
    invoice = note.invoice
    return {
        "number": note.number,
        "invoice_number": invoice.number,
        "organisation_slug": invoice.organisation.slug,
        "organisation_name": invoice.organisation.name,
        "membership_year": invoice.membership.year,
        "label": invoice_label(invoice),
        "issued_on": note.issued_on,
        "reason": note.reason,
        "amount_net": note.amount_net,
        "vat_rate": note.vat_rate,
        "vat_amount": note.vat_amount,
        "amount_gross": note.amount_gross,
        "currency": "EUR",
        "seller": note.seller,
        "buyer": note.buyer,
        "invoice_url": request.build_absolute_uri(
            reverse("api-1:invoice_detail", kwargs={"number": invoice.number})
        ),
        "pdf": request.build_absolute_uri(
            reverse("api-1:credit_note_pdf", kwargs={"number": note.number})
        ),
    }


def _credit_note_for(request: HttpRequest, number: str) -> CreditNote:
    """The credit note, for whoever may see the invoice it cancels (the invoices' rule)."""
    note = get_object_or_404(
        CreditNote.objects.select_related("invoice__organisation", "invoice__membership"),
        number=number,
    )
    require(can_view_invoice(request.user, note.invoice))
    return note


@router.get(
    "/credit-notes",
    response={200: CreditNotePage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Credit notes (staff: all; administrators: their organisations')",
)
def credit_note_list(request: HttpRequest, filters: Query[CreditNoteFilters]) -> dict[str, Any]:
    require(can_list_invoices(request.user))
    notes = credit_notes_visible_to(request.user)
    if filters.year:
        notes = notes.filter(issued_on__year=filters.year)
    if filters.organisation:
        notes = notes.filter(invoice__organisation__slug=filters.organisation)
    notes = notes.order_by("-issued_on", "-number")
    result = paginate(notes, page=filters.page, per_page=filters.per_page)
    result["items"] = [credit_note_out(request, note) for note in result["items"]]
    return result


@router.get(
    "/credit-notes/{number}",
    response={200: CreditNoteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="One credit note",
)
def credit_note_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return credit_note_out(request, _credit_note_for(request, number))


@router.get(
    "/credit-notes/{number}/pdf",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="credit_note_pdf",
    summary="The credit note as a PDF, in the request language",
    openapi_extra={
        "responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}
    },
)
def credit_note_pdf(request: HttpRequest, number: str) -> HttpResponse:
    note = _credit_note_for(request, number)
    language = (get_language() or "fr")[:2]
    response = HttpResponse(
        services.credit_note_pdf(note, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{note.number}.pdf"'
    return response
