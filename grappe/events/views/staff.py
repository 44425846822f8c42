"""The staff's event pages (/staff/events/): events, price lists, questions, programme,
attendees and their exports, registering and cancelling, mails, check-in, badges, statistics.

Each view parses its input, calls one service or selector and renders or redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from grappe.backoffice.forms import apply_errors
from grappe.backoffice.views._common import paginate, staff_required
from grappe.dataexchange.writing import csv_response, xlsx_response
from grappe.events import permissions
from grappe.events.forms import (
    AttendeeFilterForm,
    BadgeForm,
    CancelEventForm,
    CheckInForm,
    EventForm,
    MailingForm,
    PriceForm,
    ProgrammeItemForm,
    QuestionForm,
    RegistrationCancelForm,
    StaffRegistrationForm,
    TicketForm,
    YearForm,
)
from grappe.events.models import (
    Event,
    EventKind,
    EventStatus,
    Price,
    ProgrammeItem,
    Question,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from grappe.events.selectors import staff as selectors
from grappe.events.selectors.stats import event_counts, statistics_years, year_statistics
from grappe.events.services import events as services
from grappe.events.services.badges import badges_pdf
from grappe.events.services.exports import attendee_rows
from grappe.events.services.mailing import mailing_send

FORMATS = {"csv", "xlsx"}


def event_get(pk: int) -> Event:
    try:
        return selectors.staff_event_get(pk)
    except Event.DoesNotExist as error:
        raise Http404 from error


def _child(model: type[Any], pk: int, event: Event) -> Any:
    """A row of the event (ticket, question...) or 404 when it belongs to another event."""
    lookup = {"ticket__event": event} if model is Price else {"event": event}
    found = model.objects.filter(pk=pk, **lookup).first()
    if found is None:
        raise Http404
    return found


def _errors_as_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _event_context(event: Event, tab: str, **extra: Any) -> dict[str, Any]:
    return {"event": event, "tab": tab, **extra}


# --- The list and the event -----------------------------------------------------------------


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


# --- Price list, questions, programme: list pages with an add form, edit pages ---------------


def _list_and_add(
    request: HttpRequest,
    event: Event,
    *,
    form: Any,
    create: Callable[[dict[str, Any]], Any],
    template: str,
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            create(form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(request.path)
    status = 400 if form.is_bound else 200
    return render(request, template, {**context, "form": form}, status=status)


def _edit_item(
    request: HttpRequest,
    event: Event,
    *,
    form: Any,
    update: Callable[[dict[str, Any]], Any],
    title: str,
    back: str,
    tab: str,
    delete_url: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            update(form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    context = _event_context(event, tab, form=form, title=title, back=back, delete_url=delete_url)
    status = 400 if form.is_bound else 200
    return render(request, "events/staff/item_form.html", context, status=status)


def _delete(request: HttpRequest, delete: Callable[[], None], back: str) -> HttpResponse:
    try:
        delete()
    except ValidationError as error:
        _errors_as_messages(request, error)
    else:
        messages.success(request, _("Removed."))
    return redirect(back)


@staff_required
def tickets(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(pk)
    return _list_and_add(
        request, event, form=TicketForm(request.POST or None),
        create=lambda data: services.ticket_create(actor=request.user, event=event, data=data),
        template="events/staff/tickets.html", done=_("The ticket is added."),
        context=_event_context(event, "tickets", tickets=list(selectors.ticket_list(event))),
    )  # fmt: skip


@staff_required
def ticket_edit(request: HttpRequest, pk: int, ticket: int) -> HttpResponse:
    event = event_get(pk)
    found = _child(TicketCategory, ticket, event)
    back = reverse("events_staff:tickets", args=[pk])
    return _edit_item(
        request, event, form=TicketForm(request.POST or None, instance=found),
        update=lambda data: services.ticket_update(actor=request.user, ticket=found, data=data),
        title=_("Ticket “%(ticket)s”") % {"ticket": found}, back=back, tab="tickets",
        delete_url=reverse("events_staff:ticket_delete", args=[pk, found.pk]),
    )  # fmt: skip


@staff_required
@require_POST
def ticket_delete(request: HttpRequest, pk: int, ticket: int) -> HttpResponse:
    found = _child(TicketCategory, ticket, event_get(pk))
    return _delete(
        request,
        lambda: services.ticket_delete(actor=request.user, ticket=found),
        reverse("events_staff:tickets", args=[pk]),
    )


@staff_required
def price_create(request: HttpRequest, pk: int, ticket: int) -> HttpResponse:
    event = event_get(pk)
    found = _child(TicketCategory, ticket, event)
    return _edit_item(
        request, event, form=PriceForm(request.POST or None),
        update=lambda data: services.price_create(actor=request.user, ticket=found, data=data),
        title=_("New price of the ticket “%(ticket)s”") % {"ticket": found},
        back=reverse("events_staff:tickets", args=[pk]), tab="tickets",
    )  # fmt: skip


@staff_required
def price_edit(request: HttpRequest, pk: int, price: int) -> HttpResponse:
    event = event_get(pk)
    found = _child(Price, price, event)
    return _edit_item(
        request, event, form=PriceForm(request.POST or None, instance=found),
        update=lambda data: services.price_update(actor=request.user, price=found, data=data),
        title=_("Price of the ticket “%(ticket)s”") % {"ticket": found.ticket},
        back=reverse("events_staff:tickets", args=[pk]), tab="tickets",
        delete_url=reverse("events_staff:price_delete", args=[pk, found.pk]),
    )  # fmt: skip


@staff_required
@require_POST
def price_delete(request: HttpRequest, pk: int, price: int) -> HttpResponse:
    found = _child(Price, price, event_get(pk))
    return _delete(
        request,
        lambda: services.price_delete(actor=request.user, price=found),
        reverse("events_staff:tickets", args=[pk]),
    )


@staff_required
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(pk)
    return _list_and_add(
        request, event, form=QuestionForm(request.POST or None),
        create=lambda data: services.question_create(actor=request.user, event=event, data=data),
        template="events/staff/questions.html", done=_("The question is added."),
        context=_event_context(event, "questions", questions=list(event.questions.all())),
    )  # fmt: skip


@staff_required
def question_edit(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    event = event_get(pk)
    found = _child(Question, question, event)
    return _edit_item(
        request, event, form=QuestionForm(request.POST or None, instance=found),
        update=lambda data: services.question_update(actor=request.user, question=found, data=data),
        title=_("Question “%(question)s”") % {"question": found},
        back=reverse("events_staff:questions", args=[pk]), tab="questions",
        delete_url=reverse("events_staff:question_delete", args=[pk, found.pk]),
    )  # fmt: skip


@staff_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    found = _child(Question, question, event_get(pk))
    return _delete(
        request,
        lambda: services.question_delete(actor=request.user, question=found),
        reverse("events_staff:questions", args=[pk]),
    )


@staff_required
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(pk)
    items = list(event.programme.select_related("host"))
    return _list_and_add(
        request, event, form=ProgrammeItemForm(request.POST or None, event=event),
        create=lambda data: services.programme_item_create(
            actor=request.user, event=event, data=data
        ),
        template="events/staff/programme.html", done=_("The item is added to the programme."),
        context=_event_context(event, "programme", items=items),
    )  # fmt: skip


@staff_required
def programme_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    event = event_get(pk)
    found = _child(ProgrammeItem, item, event)
    return _edit_item(
        request, event, form=ProgrammeItemForm(request.POST or None, instance=found, event=event),
        update=lambda data: services.programme_item_update(
            actor=request.user, item=found, data=data
        ),
        title=_("Programme: %(item)s") % {"item": found},
        back=reverse("events_staff:programme", args=[pk]), tab="programme",
        delete_url=reverse("events_staff:programme_delete", args=[pk, found.pk]),
    )  # fmt: skip


@staff_required
@require_POST
def programme_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _child(ProgrammeItem, item, event_get(pk))
    return _delete(
        request,
        lambda: services.programme_item_delete(actor=request.user, item=found),
        reverse("events_staff:programme", args=[pk]),
    )


# --- Attendees ------------------------------------------------------------------------------


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


def staff_only(request: HttpRequest) -> None:
    """The staff gate of the file downloads (an anonymous visitor is sent to log in)."""
    if not permissions.can_manage_attendees(request.user):
        raise PermissionDenied


def spreadsheet(filename: str, fmt: str, rows: list[list[Any]], title: str) -> HttpResponseBase:
    """XLSX, or CSV with semicolons and decimal commas for French spreadsheets."""
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", rows, title)
    delimiter = ";" if (get_language() or "fr").startswith("fr") else ","
    return csv_response(f"{filename}.csv", rows, delimiter)


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
