"""Invoices: the list with its totals, the PDF, the payment, the cancellation by credit note."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grappe.backoffice import selectors
from grappe.backoffice.forms import CancelInvoiceForm, InvoiceFilterForm, MarkPaidForm, apply_errors
from grappe.backoffice.views._common import paginate, safe_next, staff_required
from grappe.members import services
from grappe.members.models import CreditNote, Invoice


@staff_required
def invoices(request: HttpRequest) -> HttpResponse:
    form = InvoiceFilterForm(request.GET or None, years=selectors.invoice_years())
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.invoice_list(
        year=filters.get("year"),
        status=filters.get("status", ""),
        overdue=bool(filters.get("overdue")),
        q=filters.get("q", ""),
    )
    return render(
        request,
        "backoffice/invoices.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "totals": selectors.invoice_totals(qs),
            "today": timezone.localdate(),
        },
    )


@staff_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice as the member received it, in the page's language."""
    invoice = get_object_or_404(Invoice.objects.select_related("membership"), pk=pk)
    pdf = services.invoice_pdf(invoice, (translation.get_language() or "fr")[:2])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@staff_required
def invoice_mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the payment: date and reference; an approved membership becomes active."""
    invoice = get_object_or_404(Invoice.objects.select_related("organisation", "membership"), pk=pk)
    form = MarkPaidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_mark_paid(
                actor=request.user,
                invoice=invoice,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Invoice %(number)s is paid.") % {"number": invoice.number})
            return redirect(safe_next(request, reverse("backoffice:invoices")))
    return render(
        request,
        "backoffice/invoice_paid.html",
        {"invoice": invoice, "form": form, "next": safe_next(request, "")},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def invoice_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an unpaid invoice by a credit note, after confirming with the reason."""
    invoice = get_object_or_404(Invoice.objects.select_related("organisation", "membership"), pk=pk)
    form = CancelInvoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.invoice_cancel(
                actor=request.user,
                invoice=invoice,
                reason=form.cleaned_data["reason"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Invoice %(number)s is cancelled by credit note %(credit)s.")
                % {"number": invoice.number, "credit": note.number},
            )
            return redirect(safe_next(request, reverse("backoffice:invoices")))
    return render(
        request,
        "backoffice/invoice_cancel.html",
        {"invoice": invoice, "form": form, "next": safe_next(request, "")},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def credit_note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The credit note as the member received it, in the page's language."""
    note = get_object_or_404(CreditNote.objects.select_related("invoice__membership"), pk=pk)
    pdf = services.credit_note_pdf(note, (translation.get_language() or "fr")[:2])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{note.number}.pdf"'
    return response
