"""Price list, questions, programme: list pages with an add form, edit pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice.forms import apply_errors
from grappe.backoffice.views._common import staff_required
from grappe.events.forms import PriceForm, ProgrammeItemForm, QuestionForm, TicketForm
from grappe.events.models import Event, Price, ProgrammeItem, Question, TicketCategory
from grappe.events.selectors import staff as selectors
from grappe.events.services import events as services
from grappe.events.views.staff.common import _child, _errors_as_messages, _event_context, event_get


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
