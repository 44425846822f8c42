"""Attendees: the list and its export, registering and cancelling, mails, badges, and the
check-in at the door."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from grappe.backoffice.forms import apply_errors
from grappe.backoffice.views._common import paginate, staff_required
from grappe.events import permissions
from grappe.events.forms import (
    AttendeeFilterForm,
    BadgeForm,
    CheckInForm,
    MailingForm,
    RegistrationCancelForm,
    StaffRegistrationForm,
)
from grappe.events.models import Event, Registration, RegistrationStatus
from grappe.events.selectors import staff as selectors
from grappe.events.selectors.stats import event_counts
from grappe.events.services.badges import badges_pdf
from grappe.events.services.exports import attendee_rows
from grappe.events.services.mailing import mailing_send
from grappe.events.views.staff.common import (
    FORMATS,
    _child,
    _event_context,
    event_get,
    spreadsheet,
    staff_only,
)


def _attendees(request: HttpRequest, event: Event) -> tuple[AttendeeFilterForm, Any]:
    form = AttendeeFilterForm(request.GET or None, event=event)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.attendee_list(
        event=event,
        status=filters.get("status", ""),
        ticket=filters.get("ticket"),
        q=filters.get("q", ""),
    )
    return form, qs


@staff_required
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(pk)
    form, qs = _attendees(request, event)
    context = _event_context(
        event,
        "attendees",
        form=form,
        page=paginate(request, qs),
        counts=event_counts([event])[0].counts,
        query=request.GET.urlencode(),
        badge_form=BadgeForm(),
    )
    return render(request, "events/staff/attendees.html", context)


def attendees_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The filtered attendee list as a spreadsheet, with the answers to the questions."""
    staff_only(request)
    if fmt not in FORMATS:
        raise Http404
    event = event_get(pk)
    _form, qs = _attendees(request, event)
    rows = attendee_rows(event, qs, list(event.questions.all()))
    return spreadsheet(f"{event.slug}-attendees", fmt, rows, _("Attendees"))


@staff_required
def attendee_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register someone (a speaker on an invitation-only ticket, a person on the phone)."""
    event = event_get(pk)
    form = StaffRegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            registration = _register(request.user, event, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                message = _("%(person)s is registered; the ticket is sent.")
            else:
                message = _("The event is full: %(person)s is on the waitlist.")
            messages.success(request, message % {"person": registration.person})
            return redirect("events_staff:attendees", pk=pk)
    context = _event_context(event, "attendees", form=form)
    return render(
        request, "events/staff/register.html", context, status=400 if form.is_bound else 200
    )


def _register(actor: Any, event: Event, data: dict[str, Any]) -> Registration:
    """The person found by e-mail, else created (as a contact of the organisation chosen)."""
    from grappe.events.services.registrations import (
        registration_create,
        registration_create_for_new_colleague,
    )
    from grappe.members.models import Person
    from grappe.members.services import person_create

    person = Person.objects.filter(email__iexact=data["email"]).order_by("pk").first()
    common = {"actor": actor, "event": event, "ticket": data["ticket"], "student": data["student"]}
    if person is not None:
        return registration_create(person=person, organisation=data["organisation"], **common)
    errors = {}
    for name in ("first_name", "last_name"):
        if not data[name].strip():
            errors[name] = _("Nobody has this e-mail yet: give the name to record the person.")
    if errors:
        raise ValidationError(errors)
    if data["organisation"] is not None:
        return registration_create_for_new_colleague(
            organisation=data["organisation"], first_name=data["first_name"],
            last_name=data["last_name"], email=data["email"], **common,
        )  # fmt: skip
    with transaction.atomic():
        person = person_create(
            actor=actor,
            data={k: data[k] for k in ("first_name", "last_name", "email", "language")},
        )
        return registration_create(person=person, **common)


@staff_required
def attendee_cancel(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    from grappe.events.services.registrations import registration_cancel

    event = event_get(pk)
    found = _child(Registration, registration, event)
    form = RegistrationCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_cancel(
                actor=request.user, registration=found, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The registration of %(person)s is cancelled.") % {"person": found.person},
            )
            return redirect("events_staff:attendees", pk=pk)
    context = _event_context(event, "attendees", form=form, registration=found)
    status = 400 if form.is_bound else 200
    return render(request, "events/staff/registration_cancel.html", context, status=status)


@staff_required
def mailing(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to the registrants; the mails sent before are listed."""
    event = event_get(pk)
    form = MailingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = mailing_send(actor=request.user, event=event, **form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The mail is sent to %(count)s people.") % {"count": sent.recipients}
            )
            return redirect("events_staff:mailing", pk=pk)
    context = _event_context(event, "mailing", form=form, mailings=selectors.mailing_list(event))
    return render(
        request, "events/staff/mailing.html", context, status=400 if form.is_bound else 200
    )


# --- At the door ----------------------------------------------------------------------------


@staff_required
@vary_on_headers("HX-Request")
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Scan or type a ticket code; the answer says who it is, or why they cannot come in.
    Without JavaScript the whole page comes back; with HTMX only the panel."""
    from grappe.events.services.registrations import registration_check_in

    event = event_get(pk)
    if not permissions.can_check_in(request.user, event):
        raise PermissionDenied
    result, error, status = None, "", 200
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = registration_check_in(
                    actor=request.user, event=event, code=form.cleaned_data["code"]
                )
            except ValidationError as refused:
                error, status = " ".join(refused.messages), 400
        else:
            error, status = _("Type the ticket's code or scan its QR code."), 400
        form = CheckInForm()  # empty and focused again, for the next person
    context = _event_context(
        event,
        "check_in",
        form=form,
        result=result,
        error=error,
        counts=event_counts([event])[0].counts,
        arrivals=list(selectors.checked_in_list(event)[:200]),
    )
    htmx = getattr(request, "htmx", None)
    template = "events/staff/_check_in_panel.html" if htmx else "events/staff/check_in.html"
    # An HTMX swap needs a 200; the message itself says what went wrong.
    return render(request, template, context, status=200 if htmx else status)


@staff_required
def badges(request: HttpRequest, pk: int) -> HttpResponse:
    """Badges of the attendee list (its filters apply) as a PDF to print."""
    event = event_get(pk)
    layout_form = BadgeForm(request.GET or None)
    layout = layout_form.cleaned_data["layout"] if layout_form.is_valid() else "a4"
    _form, qs = _attendees(request, event)
    if "status" not in request.GET:
        qs = qs.filter(status=RegistrationStatus.CONFIRMED)
    pdf = badges_pdf(event, list(qs), layout=layout, language=get_language() or "fr")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-badges.pdf"'
    return response
