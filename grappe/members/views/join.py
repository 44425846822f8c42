"""The public page on joining the cluster, and an organisation's application."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.members import permissions
from grappe.members.forms import ApplyForm, add_service_errors, apply_years
from grappe.members.models import (
    College,
    FeeSchedule,
    Membership,
    MembershipStatus,
    Organisation,
)
from grappe.members.selectors import dashboard_for
from grappe.members.services import dues_quote, membership_apply
from grappe.members.services.dues import band_label
from grappe.members.views.common import organisation_context, organisation_for

CENT = Decimal("0.01")


def _schedule_table(schedule: FeeSchedule) -> list[dict[str, Any]]:
    """The bands of `schedule` per collège, in the collèges' order, with VAT added."""
    bands = sorted(schedule.bands.all(), key=lambda b: b.minimum)
    rows = []
    for college in College:
        in_college = [b for b in bands if b.college == college]
        if not in_college:
            continue
        rows.append(
            {
                "college": college.label,
                "bands": [
                    {
                        "label": band_label(b),
                        "amount": b.amount,
                        "gross": (b.amount * (1 + schedule.vat_rate / 100)).quantize(
                            CENT, ROUND_HALF_UP
                        ),
                    }
                    for b in in_college
                ],
            }
        )
    return rows


def join(request: HttpRequest) -> HttpResponse:
    """How to join: the collèges, this year's dues, and the next step for this viewer."""
    year = timezone.localdate().year
    schedules = list(
        FeeSchedule.objects.filter(year__lte=year + 1).prefetch_related("bands").order_by("-year")
    )
    shown = [s for s in schedules if s.year >= year] or schedules[:1]
    shown.sort(key=lambda s: s.year)
    context: dict[str, Any] = {
        "year": year,
        "schedules": [
            {"schedule": s, "rows": _schedule_table(s), "vat_rate": s.vat_rate} for s in shown
        ],
        "colleges": College,
    }
    if request.user.is_authenticated:
        context["space"] = dashboard_for(request.user)
    return render(request, "members/join.html", context)


def _quote_start(year: int, today: dt.date) -> dt.date:
    return max(today, dt.date(year, 1, 1))


@login_required
def membership_apply_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The dues for this organisation, then the application itself."""
    organisation = organisation_for(request, slug, permissions.can_apply_for_membership)
    today = timezone.localdate()
    years = apply_years(today)
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    existing = Membership.objects.filter(organisation=organisation, year=year).first()
    blocked = existing is not None and existing.status != MembershipStatus.REFUSED
    quote, quote_errors = None, []
    if not blocked:
        try:
            quote = dues_quote(
                organisation=organisation, year=year, start=_quote_start(year, today)
            )
        except ValidationError as error:
            quote_errors = error.messages
    form = ApplyForm(
        request.POST or None,
        initial={"year": year, "amount": quote.amount if quote else None},
    )
    if request.method == "POST" and quote is not None and form.is_valid():
        if form.cleaned_data["amount"] != quote.amount:
            data = request.POST.copy()
            data["amount"] = str(quote.amount)
            form = ApplyForm(data)
            form.is_valid()
            form.add_error(
                None, _("The dues have changed since the page was shown: check the new amount.")
            )
        else:
            try:
                membership_apply(
                    actor=request.user,
                    organisation=organisation,
                    year=year,
                    start=_quote_start(year, today),
                    motivation=form.cleaned_data["motivation"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your application for %(year)s has been sent. We will tell you the decision.")
                    % {"year": year},
                )
                return redirect("members:organisation_membership", slug=organisation.slug)
    context = organisation_context(
        request,
        organisation,
        "membership",
        year=year,
        existing=existing if blocked else None,
        quote=quote,
        college_label=College(quote.college).label if quote else "",
        quote_errors=quote_errors,
        form=form,
        other_year=_other_year(organisation, year, years, today),
    )
    return render(request, "members/org/apply.html", context)


def _other_year(
    organisation: Organisation, year: int, years: list[int], today: dt.date
) -> int | None:
    """The other year one may apply for, when its dues are published and it is still open."""
    for other in years:
        if other == year:
            continue
        if not FeeSchedule.objects.filter(year=other).exists():
            continue
        existing = Membership.objects.filter(organisation=organisation, year=other).first()
        if existing is None or existing.status == MembershipStatus.REFUSED:
            return other
    return None
