"""Trade fairs: the public pavilion page with its floor list and the exhibitors' applications
(/events/<slug>/pavilion/), and the staff's pavilion, booths and decisions
(/staff/events/<pk>/pavilion/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice.forms import apply_errors
from grappe.backoffice.views._common import staff_required
from grappe.events.forms import (
    AllocateForm,
    BoothForm,
    DecisionReasonForm,
    ExhibitorApplyForm,
    PavilionForm,
)
from grappe.events.models import (
    Booth,
    Event,
    EventKind,
    ExhibitorApplication,
    ExhibitorStatus,
    Pavilion,
)
from grappe.events.permissions import can_view_event
from grappe.events.selectors import staff as selectors
from grappe.events.services import fairs as services
from grappe.events.services.exports import floor_rows
from grappe.events.views.applications import application_page
from grappe.events.views.staff import FORMATS, event_get, spreadsheet, staff_only
from grappe.members.selectors import user_organisations

# --- Public pages ---------------------------------------------------------------------------


def _public_pavilion(request: HttpRequest, slug: str) -> Pavilion:
    pavilion = Pavilion.objects.select_related("event").filter(event__slug=slug).first()
    if pavilion is None or not can_view_event(request.user, pavilion.event):
        raise Http404
    return pavilion


def pavilion(request: HttpRequest, slug: str) -> HttpResponse:
    """The pavilion's published terms, the booths left and who exhibits where."""
    pavilion = _public_pavilion(request, slug)
    booths = selectors.booth_list(pavilion)
    floor = selectors.floor_list(pavilion)
    context = {
        "event": pavilion.event,
        "pavilion": pavilion,
        "booths": booths,
        "free_booths": [b for b in booths if b.exhibitor is None],  # type: ignore[attr-defined]
        "floor": floor,
        "total_area": sum((a.booth.area_m2 for a in floor if a.booth), 0),
        "is_open": services.applications_open(pavilion),
        "mine": selectors.own_exhibitor_applications(request.user, pavilion),
        "open_statuses": services.OPEN,
    }
    return render(request, "events/fairs/pavilion.html", context)


@login_required
def pavilion_apply(request: HttpRequest, slug: str) -> HttpResponse:
    pavilion = _public_pavilion(request, slug)
    organisations = user_organisations(request.user)
    return application_page(
        request,
        form=ExhibitorApplyForm(request.POST or None, organisations=organisations),
        submit=lambda organisation, data: services.exhibitor_apply(
            actor=request.user, pavilion=pavilion, organisation=organisation, data=data
        ),
        back=reverse("events:pavilion", kwargs={"slug": slug}),
        template="events/fairs/apply.html",
        context={
            "event": pavilion.event,
            "pavilion": pavilion,
            "is_open": services.applications_open(pavilion),
            "has_organisation": organisations.exists(),
        },
    )


@require_POST
def exhibitor_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    pavilion = _public_pavilion(request, slug)
    application = pavilion.applications.filter(pk=pk).select_related("applicant").first()
    if application is None:
        raise Http404
    try:
        services.exhibitor_withdraw(actor=request.user, application=application)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("events:pavilion", slug=slug)


# --- Staff pages ----------------------------------------------------------------------------


def _fair(pk: int) -> Event:
    event = event_get(pk)
    if event.kind != EventKind.TRADE_FAIR:
        raise Http404
    return event


@staff_required
def pavilion_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The pavilion's description, its booths, the applications and the floor with costs."""
    event = _fair(pk)
    current = Pavilion.objects.filter(event=event).first()
    form = PavilionForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.pavilion_save(actor=request.user, event=event, data=form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The pavilion is saved."))
            return redirect("events_staff:pavilion", pk=pk)
    context: dict[str, Any] = {"event": event, "tab": "pavilion", "form": form, "pavilion": current}
    if current is not None:
        floor = selectors.floor_list(current)
        context |= {
            "booths": selectors.booth_list(current),
            "applications": list(selectors.exhibitor_application_list(current)),
            "floor": floor,
            "totals": selectors.floor_totals(floor),
        }
    status = 400 if form.is_bound else 200
    return render(request, "events/fairs/staff_pavilion.html", context, status=status)


def _pavilion_of(event: Event) -> Pavilion:
    pavilion = Pavilion.objects.filter(event=event).first()
    if pavilion is None:
        raise Http404
    return pavilion


def _booth_page(
    request: HttpRequest, event: Event, form: BoothForm, save: Any, title: str, delete_url: str
) -> HttpResponse:
    back = reverse("events_staff:pavilion", args=[event.pk])
    if request.method == "POST" and form.is_valid():
        try:
            save(form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    context = {"event": event, "tab": "pavilion", "form": form, "title": title, "back": back,
               "delete_url": delete_url}  # fmt: skip
    status = 400 if form.is_bound else 200
    return render(request, "events/staff/item_form.html", context, status=status)


@staff_required
def booth_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _fair(pk)
    pavilion = _pavilion_of(event)
    return _booth_page(
        request, event, BoothForm(request.POST or None),
        lambda data: services.booth_create(actor=request.user, pavilion=pavilion, data=data),
        _("New booth"), "",
    )  # fmt: skip


def _booth(event: Event, booth: int) -> Booth:
    found = Booth.objects.filter(pk=booth, pavilion__event=event).select_related("pavilion").first()
    if found is None:
        raise Http404
    return found


@staff_required
def booth_edit(request: HttpRequest, pk: int, booth: int) -> HttpResponse:
    event = _fair(pk)
    found = _booth(event, booth)
    return _booth_page(
        request, event, BoothForm(request.POST or None, instance=found),
        lambda data: services.booth_update(actor=request.user, booth=found, data=data),
        _("Booth %(booth)s") % {"booth": found.label},
        reverse("events_staff:booth_delete", args=[pk, found.pk]),
    )  # fmt: skip


@staff_required
@require_POST
def booth_delete(request: HttpRequest, pk: int, booth: int) -> HttpResponse:
    found = _booth(_fair(pk), booth)
    try:
        services.booth_delete(actor=request.user, booth=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Removed."))
    return redirect("events_staff:pavilion", pk=pk)


def _application(event: Event, pk: int) -> ExhibitorApplication:
    found = (
        ExhibitorApplication.objects.filter(pk=pk, pavilion__event=event)
        .select_related("organisation", "applicant", "booth__pavilion", "pavilion__event")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _free_booths(application: ExhibitorApplication) -> Any:
    taken = ExhibitorApplication.objects.filter(
        pavilion=application.pavilion, status=ExhibitorStatus.ALLOCATED
    ).exclude(pk=application.pk)
    return (
        Booth.objects.filter(pavilion=application.pavilion)
        .exclude(pk__in=taken.values("booth"))
        .order_by("label")
    )


def _exhibitor_page(
    request: HttpRequest,
    event: Event,
    application: ExhibitorApplication,
    allocate: AllocateForm | None = None,
    refuse: DecisionReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "event": event,
        "tab": "pavilion",
        "application": application,
        "allocate_form": allocate or AllocateForm(booths=_free_booths(application)),
        "refuse_form": refuse or DecisionReasonForm(),
        "is_open": application.status in services.OPEN,
    }
    return render(request, "events/fairs/staff_exhibitor.html", context, status=status)


@staff_required
def exhibitor(request: HttpRequest, pk: int, application: int) -> HttpResponse:
    event = _fair(pk)
    return _exhibitor_page(request, event, _application(event, application))


@staff_required
@require_POST
def exhibitor_allocate(request: HttpRequest, pk: int, application: int) -> HttpResponse:
    event = _fair(pk)
    found = _application(event, application)
    form = AllocateForm(request.POST, booths=_free_booths(found))
    if form.is_valid():
        try:
            services.exhibitor_allocate(
                actor=request.user, application=found, booth=form.cleaned_data["booth"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Booth %(booth)s is allocated to %(organisation)s; they are told.")
                % {"booth": form.cleaned_data["booth"].label, "organisation": found.organisation},
            )
            return redirect("events_staff:pavilion", pk=pk)
    return _exhibitor_page(request, event, found, allocate=form, status=400)


@staff_required
@require_POST
def exhibitor_refuse(request: HttpRequest, pk: int, application: int) -> HttpResponse:
    event = _fair(pk)
    found = _application(event, application)
    form = DecisionReasonForm(request.POST)
    if form.is_valid():
        try:
            services.exhibitor_refuse(
                actor=request.user, application=found, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The application of %(organisation)s is refused; they are told.")
                % {"organisation": found.organisation},
            )
            return redirect("events_staff:pavilion", pk=pk)
    return _exhibitor_page(request, event, found, refuse=form, status=400)


def floor_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The floor list with each booth's costs, as a spreadsheet."""
    staff_only(request)
    if fmt not in FORMATS:
        raise Http404
    event = _fair(pk)
    pavilion = _pavilion_of(event)
    rows = floor_rows(pavilion, selectors.floor_list(pavilion))
    return spreadsheet(f"{event.slug}-floor", fmt, rows, _("Floor list"))
