"""The event list, an event's overview, creating, changing, publishing and cancelling it, and
the yearly statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice.forms import apply_errors
from grappe.backoffice.views._common import paginate, staff_required
from grappe.events import permissions
from grappe.events.forms import CancelEventForm, EventForm, YearForm
from grappe.events.models import Event, EventKind, EventStatus
from grappe.events.selectors import staff as selectors
from grappe.events.selectors.stats import event_counts, statistics_years, year_statistics
from grappe.events.services import events as services
from grappe.events.views.staff.common import _errors_as_messages, _event_context, event_get


@staff_required
def event_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when", "upcoming")
    if when not in {"upcoming", "past", "all"}:
        when = "upcoming"
    kind = request.GET.get("kind", "")
    kind = kind if kind in EventKind.values else ""
    status = request.GET.get("status", "")
    status = status if status in EventStatus.values else ""
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.staff_event_list(when=when, kind=kind, status=status, q=q)
    context = {
        "page": paginate(request, qs),
        "when": when, "kind": kind, "status": status, "q": q,
        "kinds": EventKind.choices, "statuses": EventStatus.choices,
    }  # fmt: skip
    return render(request, "events/staff/list.html", context)


@staff_required
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The event is saved as a draft."))
            return redirect("events_staff:detail", pk=event.pk)
    status = 400 if form.is_bound else 200
    return render(request, "events/staff/event_form.html", {"form": form}, status=status)


@staff_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(pk)
    form = EventForm(request.POST or None, request.FILES or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, data=form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events_staff:detail", pk=event.pk)
    context = _event_context(event, "edit", form=form)
    return render(
        request, "events/staff/event_form.html", context, status=400 if form.is_bound else 200
    )


@staff_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's overview: what it lacks to be published, its figures, what to do next."""
    event = event_get(pk)
    problems = services.event_publish_problems(event) if event.status == EventStatus.DRAFT else {}
    context = _event_context(
        event,
        "detail",
        problems=[m for messages_ in problems.values() for m in messages_],
        figures=event_counts([event])[0].counts,
        tickets=list(selectors.ticket_list(event)),
        content_type=ContentType.objects.get_for_model(Event).pk,
        cancel_form=CancelEventForm(),
    )
    return render(request, "events/staff/detail.html", context)


@staff_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(pk)
    try:
        services.event_publish(actor=request.user, event=event)
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(request, _("The event is published."))
    return redirect("events_staff:detail", pk=pk)


@staff_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the event: every registrant is told, with the reason."""
    from grappe.events.services.registrations import event_cancel as cancel

    event = event_get(pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel(actor=request.user, event=event, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The event is cancelled; every registrant is told."))
            return redirect("events_staff:detail", pk=pk)
    counts = event_counts([event])[0].counts
    context = _event_context(event, "detail", form=form, counts=counts)
    return render(
        request, "events/staff/cancel.html", context, status=400 if form.is_bound else 200
    )


# --- Statistics -----------------------------------------------------------------------------


@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_event_statistics(request.user):
        raise PermissionDenied
    years = statistics_years()
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    context = {"form": form, "stats": year_statistics(year), "year": year}
    return render(request, "events/staff/statistics.html", context)
