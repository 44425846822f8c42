"""The dues schedule per year, its bands, and the cluster's legal details."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from grappe.backoffice import selectors, services
from grappe.backoffice.forms import (
    BandFormSet,
    BasisForm,
    ClusterProfileForm,
    ScheduleCreateForm,
    ScheduleForm,
    apply_errors,
)
from grappe.backoffice.views._common import staff_required
from grappe.members.models import College, FeeBasis, FeeSchedule


def _schedule(year: int) -> FeeSchedule:
    return get_object_or_404(FeeSchedule.objects.prefetch_related("bands"), year=year)


@staff_required
def schedules(request: HttpRequest) -> HttpResponse:
    rows = FeeSchedule.objects.annotate(band_count=Count("bands")).order_by("-year")
    return render(request, "backoffice/schedules.html", {"schedules": rows})


@staff_required
def schedule(request: HttpRequest, year: int) -> HttpResponse:
    """One year's schedule as a table: collège by collège, band by band."""
    fee_schedule = _schedule(year)
    return render(
        request,
        "backoffice/schedule.html",
        {
            "schedule": fee_schedule,
            "table": selectors.schedule_table(fee_schedule),
            "next_exists": FeeSchedule.objects.filter(year=year + 1).exists(),
        },
    )


@staff_required
def schedule_create(request: HttpRequest) -> HttpResponse:
    form = ScheduleCreateForm(request.POST or None, initial={"vat_rate": "20.00"})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.fee_schedule_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Dues schedule %(year)s created.") % {"year": created.year})
            return redirect("backoffice:schedule", year=created.year)
    return render(
        request,
        "backoffice/schedule_form.html",
        {"form": form, "schedule": None},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def schedule_edit(request: HttpRequest, year: int) -> HttpResponse:
    """The VAT rate and the notes of one year's schedule."""
    fee_schedule = _schedule(year)
    form = ScheduleForm(
        request.POST or None,
        initial={"vat_rate": fee_schedule.vat_rate, "notes": fee_schedule.notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_schedule_update(
                actor=request.user, schedule=fee_schedule, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Dues schedule %(year)s saved.") % {"year": year})
            return redirect("backoffice:schedule", year=year)
    return render(
        request,
        "backoffice/schedule_form.html",
        {"form": form, "schedule": fee_schedule},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def schedule_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Confirm, then copy the schedule of `year` to the next year."""
    fee_schedule = _schedule(year)
    if request.method == "POST":
        try:
            services.fee_schedule_copy(actor=request.user, year=year)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("backoffice:schedule", year=year)
        messages.success(
            request,
            _("The schedule of %(year)s is copied to %(next)s: review it before publishing.")
            % {"year": year, "next": year + 1},
        )
        return redirect("backoffice:schedule", year=year + 1)
    return render(
        request,
        "backoffice/schedule_copy.html",
        {
            "schedule": fee_schedule,
            "next_year": year + 1,
            "table": selectors.schedule_table(fee_schedule),
            "next_exists": FeeSchedule.objects.filter(year=year + 1).exists(),
        },
    )


@staff_required
def bands_edit(request: HttpRequest, year: int, college: str) -> HttpResponse:
    """Add, change and delete the bands of one collège at once, checked as a whole."""
    fee_schedule = _schedule(year)
    if college not in College.values:
        raise Http404
    bands = sorted(
        (b for b in fee_schedule.bands.all() if b.college == college), key=lambda b: b.minimum
    )
    initial = [{"minimum": b.minimum, "maximum": b.maximum, "amount": b.amount} for b in bands]
    basis_form = BasisForm(
        request.POST or None,
        initial={"basis": bands[0].basis if bands else FeeBasis.TURNOVER},
    )
    # Bound, the rows are read as posted: with `initial`, an unchanged extra row would be
    # skipped as empty and its band dropped.
    if request.method == "POST":
        formset = BandFormSet(request.POST, prefix="bands")
    else:
        formset = BandFormSet(initial=initial, prefix="bands")
    if request.method == "POST" and basis_form.is_valid() and formset.is_valid():
        specs = [spec for form in formset.forms if (spec := form.spec()) is not None]
        try:
            services.fee_bands_set(
                actor=request.user,
                schedule=fee_schedule,
                college=college,
                basis=basis_form.cleaned_data["basis"],
                bands=specs,
            )
        except ValidationError as error:
            apply_errors(basis_form, error)
        else:
            messages.success(
                request,
                _("Bands of %(college)s saved.") % {"college": College(college).label},
            )
            return redirect("backoffice:schedule", year=year)
    return render(
        request,
        "backoffice/bands_form.html",
        {
            "schedule": fee_schedule,
            "college": college,
            "college_label": College(college).label,
            "basis_form": basis_form,
            "formset": formset,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def cluster_profile(request: HttpRequest) -> HttpResponse:
    """The cluster's legal details, printed on the invoices issued from now on."""
    profile = services.cluster_profile_get()
    form = ClusterProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            services.cluster_profile_update(actor=request.user, data=data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The cluster's details are saved."))
            return redirect("backoffice:cluster_profile")
    return render(
        request,
        "backoffice/cluster_profile.html",
        {"form": form, "profile": profile},
        status=400 if request.method == "POST" else 200,
    )
