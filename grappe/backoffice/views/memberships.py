"""Membership applications and memberships: decisions, activation, endings, renewals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from grappe.backoffice import selectors
from grappe.backoffice.forms import (
    ApproveForm,
    EndForm,
    EndPageForm,
    MembershipFilterForm,
    RefuseForm,
    apply_errors,
)
from grappe.backoffice.views._common import paginate, staff_required
from grappe.members import services
from grappe.members.models import InvoiceStatus, Membership, MembershipStatus
from grappe.members.selectors import organisation_contacts
from grappe.members.services.memberships import TRANSITIONS, memberships_renewal_plan

S = MembershipStatus


def _get(pk: int) -> Membership:
    try:
        return selectors.membership_get(pk)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@staff_required
def applications(request: HttpRequest) -> HttpResponse:
    """Applications waiting for a decision, oldest first."""
    qs = selectors.membership_list(status=S.APPLIED).order_by("applied_at", "pk")
    return render(request, "backoffice/applications.html", {"page": paginate(request, qs)})


@staff_required
def memberships(request: HttpRequest) -> HttpResponse:
    form = MembershipFilterForm(request.GET or None, years=selectors.membership_years())
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.membership_list(
        year=filters.get("year"),
        status=filters.get("status", ""),
        college=filters.get("college", ""),
        q=filters.get("q", ""),
    )
    return render(
        request,
        "backoffice/memberships.html",
        {"form": form, "page": paginate(request, qs), "year": filters.get("year")},
    )


def _membership_page(
    request: HttpRequest,
    membership: Membership,
    *,
    approve: ApproveForm | None = None,
    refuse: RefuseForm | None = None,
    end: EndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = membership.organisation
    allowed = TRANSITIONS[membership.status]
    context = {
        "membership": membership,
        "organisation": organisation,
        "figures": list(organisation.figures.order_by("-year")[:5]),
        "contacts": list(organisation_contacts(organisation)),
        "history": list(organisation.memberships.select_related("invoice").order_by("-year")),
        "approve_form": approve or ApproveForm(),
        "refuse_form": refuse or RefuseForm(),
        "end_form": end or EndForm(),
        "can_approve": S.APPROVED in allowed,
        "can_activate": S.ACTIVE in allowed,
        "can_end": bool(allowed & {S.LAPSED, S.RESIGNED, S.EXCLUDED}),
        "can_renew": membership.status in {S.ACTIVE, S.APPROVED}
        and not Membership.objects.filter(
            organisation=organisation, year=membership.year + 1
        ).exists(),
        "invoice": getattr(membership, "invoice", None),
    }
    return render(request, "backoffice/membership.html", context, status=status)


@staff_required
def membership(request: HttpRequest, pk: int) -> HttpResponse:
    """A membership, and for an application the page where staff decide on it."""
    return _membership_page(request, _get(pk))


@staff_required
@require_POST
def membership_approve(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get(pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.membership_approve(
                actor=request.user,
                membership=membership,
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
                decided_at=form.decided_at(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s is admitted; the invoice has been sent.")
                % {"organisation": membership.organisation},
            )
            return redirect("backoffice:membership", pk=pk)
    return _membership_page(request, membership, approve=form, status=400)


@staff_required
@require_POST
def membership_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get(pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.membership_refuse(
                actor=request.user, membership=membership, note=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The application of %(organisation)s is refused.")
                % {"organisation": membership.organisation},
            )
            return redirect("backoffice:membership", pk=pk)
    return _membership_page(request, membership, refuse=form, status=400)


@staff_required
@require_POST
def membership_activate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get(pk)
    try:
        services.membership_activate(actor=request.user, membership=membership)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The membership of %(organisation)s is active.")
            % {"organisation": membership.organisation},
        )
    return redirect("backoffice:membership", pk=pk)


def _end_and_cancel(request: HttpRequest, membership: Membership, data: dict[str, Any]) -> None:
    """End the membership; on request, cancel its unpaid invoice by a credit note, all or nothing."""
    invoice = getattr(membership, "invoice", None)
    cancel = data.get("cancel_invoice")
    if cancel and data["status"] != S.LAPSED:
        raise ValidationError(
            {"cancel_invoice": _("Only the invoice of a lapsed membership is cancelled here.")}
        )
    if cancel and (invoice is None or invoice.status != InvoiceStatus.ISSUED):
        raise ValidationError({"cancel_invoice": _("This membership has no unpaid invoice.")})
    with transaction.atomic():
        services.membership_end(
            actor=request.user,
            membership=membership,
            status=data["status"],
            on=data["on"],
            reason=data["reason"],
        )
        if cancel and invoice is not None:
            services.invoice_cancel(
                actor=request.user,
                invoice=invoice,
                reason=data["reason"] or _("Membership not renewed"),
                issued_on=min(max(data["on"], invoice.issued_on), timezone.localdate()),
            )


@staff_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a membership (lapsed, resigned, excluded) with its date and reason."""
    membership = _get(pk)
    form = EndPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _end_and_cancel(request, membership, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The membership of %(organisation)s has ended.")
                % {"organisation": membership.organisation},
            )
            return redirect("backoffice:membership", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "backoffice/membership_end.html",
        {"membership": membership, "form": form},
        status=status,
    )


@staff_required
@require_POST
def membership_renew(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get(pk)
    try:
        renewal = services.membership_renew(actor=request.user, membership=membership)
    except ValidationError as error:
        _refused(request, error)
        return redirect("backoffice:membership", pk=pk)
    messages.success(
        request,
        _("%(organisation)s is renewed for %(year)s; the invoice has been sent.")
        % {"organisation": membership.organisation, "year": renewal.year},
    )
    return redirect("backoffice:membership", pk=renewal.pk)


@staff_required
def memberships_renew_year(request: HttpRequest, year: int) -> HttpResponse:
    """Confirm, then renew every current membership of `year` into the next year."""
    if request.method == "POST":
        try:
            renewed = services.memberships_renew_year(actor=request.user, year=year)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s membership renewed into %(year)s.",
                    "%(count)s memberships renewed into %(year)s.",
                    len(renewed),
                )
                % {"count": len(renewed), "year": year + 1},
            )
            return redirect(f"{reverse('backoffice:memberships')}?year={year + 1}")
    plan = memberships_renewal_plan(year=year)
    ready = [item for item in plan if item.quote is not None]
    return render(
        request,
        "backoffice/renew_year.html",
        {
            "year": year,
            "next_year": year + 1,
            "ready": ready,
            "blocked": [item for item in plan if item.quote is None],
            "total": sum((item.quote.amount for item in ready if item.quote), Decimal(0)),
        },
    )
