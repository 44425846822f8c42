"""Trade missions: the public call with its delegation (/events/<slug>/mission/) and the
applications, and the staff's call, selection and delegation (/staff/events/<pk>/mission/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice.forms import apply_errors
from grappe.backoffice.views._common import staff_required
from grappe.events.forms import MissionApplyForm, MissionDecisionForm, MissionForm
from grappe.events.models import Event, EventKind, Mission, MissionApplication
from grappe.events.permissions import can_view_event
from grappe.events.selectors import staff as selectors
from grappe.events.services import missions as services
from grappe.events.services.exports import delegation_rows
from grappe.events.views.applications import application_page
from grappe.events.views.staff import FORMATS, event_get, spreadsheet, staff_only
from grappe.members.selectors import user_organisations

# --- Public pages ---------------------------------------------------------------------------


def _public_mission(request: HttpRequest, slug: str) -> Mission:
    mission = (
        Mission.objects.select_related("event").prefetch_related("target_markets")
        .filter(event__slug=slug).first()
    )  # fmt: skip
    if mission is None or not can_view_event(request.user, mission.event):
        raise Http404
    return mission


def delegation_is_public(mission: Mission, now: Any = None) -> bool:
    """The delegation's organisations are published once applications have closed (before,
    the selection is not final and a partial list would mislead)."""
    return mission.application_deadline <= (now or timezone.now())


def mission(request: HttpRequest, slug: str) -> HttpResponse:
    """The call for participants, its cost share, and the delegation once selected."""
    found = _public_mission(request, slug)
    public = delegation_is_public(found)
    context = {
        "event": found.event,
        "mission": found,
        "is_open": services.applications_open(found),
        "delegation": selectors.delegation(found) if public else [],
        "delegation_public": public,
        "places_left": max(found.places - services.selected_count(found), 0),
        "mine": selectors.own_mission_applications(request.user, found),
        "open_statuses": services.OPEN,
    }
    return render(request, "events/missions/mission.html", context)


@login_required
def mission_apply(request: HttpRequest, slug: str) -> HttpResponse:
    found = _public_mission(request, slug)
    organisations = user_organisations(request.user)
    return application_page(
        request,
        form=MissionApplyForm(request.POST or None, organisations=organisations),
        submit=lambda organisation, data: services.mission_apply(
            actor=request.user, mission=found, organisation=organisation, data=data
        ),
        back=reverse("events:mission", kwargs={"slug": slug}),
        template="events/missions/apply.html",
        context={
            "event": found.event,
            "mission": found,
            "is_open": services.applications_open(found),
            "has_organisation": organisations.exists(),
        },
    )


@require_POST
def mission_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _public_mission(request, slug)
    application = found.applications.filter(pk=pk).select_related("person").first()
    if application is None:
        raise Http404
    try:
        services.mission_withdraw(actor=request.user, application=application)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("events:mission", slug=slug)


# --- Staff pages ----------------------------------------------------------------------------


def _trade_mission(pk: int) -> Event:
    event = event_get(pk)
    if event.kind != EventKind.TRADE_MISSION:
        raise Http404
    return event


def _mission_of(event: Event) -> Mission:
    found = Mission.objects.filter(event=event).select_related("event").first()
    if found is None:
        raise Http404
    return found


@staff_required
def mission_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The call for participants, the applications to decide and the delegation."""
    event = _trade_mission(pk)
    current = Mission.objects.filter(event=event).first()
    form = MissionForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_save(actor=request.user, event=event, data=form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The call for participants is saved."))
            return redirect("events_staff:mission", pk=pk)
    context: dict[str, Any] = {"event": event, "tab": "mission", "form": form, "mission": current}
    if current is not None:
        delegation = selectors.delegation(current)
        context |= {
            "applications": list(selectors.mission_application_list(current)),
            "delegation": delegation,
            "places_left": max(current.places - len(delegation), 0),
            "totals": _totals(delegation),
        }
    status = 400 if form.is_bound else 200
    return render(request, "events/missions/staff_mission.html", context, status=status)


def _totals(delegation: list[MissionApplication]) -> dict[str, Any]:
    from decimal import Decimal

    return {
        "cost": sum((a.cost or Decimal(0) for a in delegation), Decimal(0)),
        "cofunded": sum((a.cofunded or Decimal(0) for a in delegation), Decimal(0)),
        "participants": sum((a.participant_part or Decimal(0) for a in delegation), Decimal(0)),
    }


def _application(event: Event, pk: int) -> MissionApplication:
    found = (
        MissionApplication.objects.filter(pk=pk, mission__event=event)
        .select_related("organisation", "person", "mission__event", "decided_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


@staff_required
def mission_application(request: HttpRequest, pk: int, application: int) -> HttpResponse:
    """One application, and the decision on it."""
    event = _trade_mission(pk)
    found = _application(event, application)
    form = MissionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_decide(
                actor=request.user,
                application=found,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The decision on %(organisation)s is recorded; they are told.")
                % {"organisation": found.organisation},
            )
            return redirect("events_staff:mission", pk=pk)
    mission = found.mission
    context = {
        "event": event,
        "tab": "mission",
        "application": found,
        "mission": mission,
        "form": form,
        "can_decide": bool(services.TRANSITIONS[found.status]),
        "places_left": max(mission.places - services.selected_count(mission), 0),
    }
    status = 400 if form.is_bound else 200
    return render(request, "events/missions/staff_application.html", context, status=status)


def delegation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The selected participants with their frozen cost shares, as a spreadsheet."""
    staff_only(request)
    if fmt not in FORMATS:
        raise Http404
    event = _trade_mission(pk)
    found = _mission_of(event)
    rows = delegation_rows(found, selectors.delegation(found))
    return spreadsheet(f"{event.slug}-delegation", fmt, rows, _("Delegation"))
