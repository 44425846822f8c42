"""Registering (oneself, a colleague, a new colleague), one's registrations and tickets,
cancelling, and answering a seat offered from the waitlist. Every write is a service call."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grappe.core.permissions import is_staff
from grappe.core.qr import qr_svg
from grappe.events.models import (
    Event,
    PriceCategory,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from grappe.events.permissions import (
    can_add_colleague,
    can_answer_offer,
    can_cancel_registration,
    can_register,
)
from grappe.events.selectors.calendar import event_price_list, event_seats
from grappe.events.selectors.registrations import (
    colleagues_of,
    registration_for_viewer,
    registrations_of,
    viewer_registration,
    waitlist_positions,
)
from grappe.events.services.registrations import (
    cancellation_deadline,
    offer_confirm,
    offer_decline,
    registration_cancel,
    registration_closed_reason,
    registration_create,
    registration_create_for_new_colleague,
)
from grappe.events.services.tickets import feed_token, registration_ics, ticket_token
from grappe.events.views.public import _event, _ics_response
from grappe.members.forms import add_service_errors
from grappe.members.models import Organisation, Person
from grappe.members.selectors import user_organisations, user_person

ME, NEW = "me", "new"


def _money(amount: Any) -> str:
    """2,500.00 or 2 500,00 as the language writes it."""
    return number_format(amount, 2, force_grouping=True)


class RegisterForm(forms.Form):
    """Who comes, for which organisation, on which ticket, and the event's questions."""

    person = forms.ChoiceField(label=gettext_lazy("Who comes"))
    organisation = forms.ChoiceField(
        label=gettext_lazy("Organisation"),
        required=False,
        help_text=gettext_lazy("The organisation you come for: it decides the member price."),
    )
    ticket = forms.ChoiceField(label=gettext_lazy("Ticket"), widget=forms.RadioSelect)
    student = forms.BooleanField(
        label=gettext_lazy("I declare that I am a student."),
        required=False,
        help_text=gettext_lazy("The student price needs this declaration."),
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)

    def __init__(self, *args: Any, event: Event, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event, self.user = event, user
        self.me = user_person(user)
        self.colleagues = colleagues_of(user)
        self.organisations = list(user_organisations(user).order_by("name"))
        self.admin_of = [o for o in self.organisations if can_add_colleague(user, o)]
        self._person_choices()
        self._organisation_choices()
        self._ticket_choices()
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = _question_field(question)
        if not self.admin_of:
            for name in ("first_name", "last_name", "email"):
                del self.fields[name]

    def _person_choices(self) -> None:
        choices: list[tuple[str, str]] = []
        if self.me is not None:
            choices.append((ME, _("Myself (%(name)s)") % {"name": self.me.full_name}))
        seen = set()
        for affiliation in self.colleagues:
            if affiliation.person_id in seen:
                continue
            seen.add(affiliation.person_id)
            label = f"{affiliation.person.full_name} ({affiliation.organisation.name})"
            choices.append((str(affiliation.person_id), label))
        if self.admin_of:
            choices.append((NEW, _("A colleague not listed yet")))
        cast(forms.ChoiceField, self.fields["person"]).choices = choices
        self.fields["person"].initial = ME

    def _organisation_choices(self) -> None:
        choices = [(str(o.pk), o.name) for o in self.organisations]
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            ("", _("None (I come on my own)")),
            *choices,
        ]
        if self.organisations:
            self.fields["organisation"].initial = str(self.organisations[0].pk)

    def _ticket_choices(self) -> None:
        staff = is_staff(self.user)
        seats = event_seats(self.event)
        self.tickets = {}
        choices = []
        for line in event_price_list(self.event, seats=seats):
            ticket = line.ticket
            if (ticket.invitation_only or ticket.category == PriceCategory.GUEST) and not staff:
                continue
            if line.current is None:
                continue
            self.tickets[ticket.category] = ticket
            label = _ticket_label(ticket, line.current.amount, line.current.amount_with_vat)
            if line.full:
                label = _("%(ticket)s – full: you join the waitlist") % {"ticket": label}
            choices.append((ticket.category, label))
        cast(forms.ChoiceField, self.fields["ticket"]).choices = choices
        if PriceCategory.STUDENT not in self.tickets:
            del self.fields["student"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("person") == NEW:
            for name in ("first_name", "last_name", "email"):
                if name in self.fields and not data.get(name):
                    self.add_error(name, _("Needed to register a new colleague."))
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose the organisation of your colleague."))
        return data

    def chosen(self) -> tuple[Person | None, Organisation | None, TicketCategory]:
        data = self.cleaned_data
        organisation = next(
            (o for o in self.organisations if str(o.pk) == data.get("organisation")), None
        )
        ticket = self.tickets[data["ticket"]]
        if data["person"] == ME:
            return self.me, organisation, ticket
        if data["person"] == NEW:
            return None, organisation, ticket
        person = next(a.person for a in self.colleagues if str(a.person_id) == data["person"])
        return person, organisation, ticket

    def answers(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"question_{question.pk}")
            if value not in (None, "", []):
                result[str(question.pk)] = value
        return result


def _ticket_label(ticket: TicketCategory, amount: Any, with_vat: Any) -> str:
    if not amount:
        return _("%(ticket)s – free") % {"ticket": ticket.name}
    return _("%(ticket)s – %(amount)s € excl. VAT (%(gross)s € incl. VAT)") % {
        "ticket": ticket.name,
        "amount": _money(amount),
        "gross": _money(with_vat),
    }


def _question_field(question: Question) -> forms.Field:
    label, required = question.label, question.required
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            label=label, required=required, choices=question.options, widget=forms.RadioSelect
        )
    if question.kind == QuestionKind.CHOICES:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=question.options,
            widget=forms.CheckboxSelectMultiple,
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            label=label,
            required=required,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
        )
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _register_with(form: RegisterForm, request: HttpRequest, event: Event) -> Registration:
    person, organisation, ticket = form.chosen()
    data = form.cleaned_data
    common: dict[str, Any] = {
        "actor": request.user,
        "event": event,
        "ticket": ticket,
        "answers": form.answers(),
        "student": bool(data.get("student")),
    }
    if person is None:
        if organisation is None:
            raise ValidationError({"organisation": _("Choose the organisation of your colleague.")})
        return registration_create_for_new_colleague(
            organisation=organisation,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            **common,
        )
    return registration_create(person=person, organisation=organisation, **common)


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    if not can_register(request.user, event):
        raise PermissionDenied
    if user_person(request.user) is None:  # a login made by `createsuperuser`
        messages.info(request, _("Complete your profile first: your name is needed."))
        profile = reverse("members:my_profile")
        return redirect(f"{profile}?{urlencode({'next': request.path})}")
    closed = registration_closed_reason(event)
    staff_override = is_staff(request.user) and closed and event.status == "published"
    form = RegisterForm(request.POST or None, event=event, user=request.user)
    if request.method == "POST" and (not closed or staff_override) and form.is_valid():
        try:
            registration = _register_with(form, request, event)
        except PermissionDenied:
            form.add_error(
                "person", _("You may register yourself or colleagues of your organisation.")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _say_registered(request, registration)
            return redirect("events:ticket", pk=registration.pk)
    context = {
        "event": event,
        "form": form,
        "closed": closed,
        "staff_override": staff_override,
        "mine": viewer_registration(event=event, viewer=request.user),
    }
    return render(request, "events/public/register.html", context)


def _say_registered(request: HttpRequest, registration: Registration) -> None:
    name = registration.person.full_name
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request,
            _("%(name)s is registered. The ticket has been sent by e-mail.") % {"name": name},
        )
    else:
        messages.info(
            request,
            _(
                "The event is full: %(name)s is on the waitlist and will be told by e-mail "
                "when a seat frees up."
            )
            % {"name": name},
        )


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    registrations = list(registrations_of(request.user))
    now = timezone.now()
    upcoming = [r for r in registrations if r.event.ends_at >= now]
    past = [r for r in registrations if r.event.ends_at < now][::-1]
    context = {
        "upcoming": upcoming,
        "past": past,
        "positions": waitlist_positions(upcoming),
        "me": user_person(request.user),
        "feed_url": request.build_absolute_uri(
            reverse("events:my_feed", kwargs={"token": feed_token(request.user)})
        ),
    }
    return render(request, "events/public/my_registrations.html", context)


def _registration(request: HttpRequest, pk: int) -> Registration:
    registration = registration_for_viewer(pk=pk, viewer=request.user)
    if registration is None:
        raise Http404
    return registration


@login_required
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    context = {
        "registration": registration,
        "event": registration.event,
        "qr": qr_svg(ticket_token(registration)) if confirmed else "",
        "position": waitlist_positions([registration]).get(registration.pk),
        "deadline": cancellation_deadline(registration.event),
        "can_cancel": can_cancel_registration(request.user, registration),
        "can_answer": can_answer_offer(request.user, registration),
        "past_deadline": timezone.now() > cancellation_deadline(registration.event),
        "staff": is_staff(request.user),
    }
    return render(request, "events/public/ticket.html", context)


@login_required
def ticket_ics(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    return _ics_response(registration_ics(registration.pk), f"{registration.event.slug}.ics")


def _act(request: HttpRequest, pk: int, action: Any, done: str, **kwargs: Any) -> HttpResponse:
    registration = _registration(request, pk)
    try:
        action(actor=request.user, registration=registration, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("events:ticket", pk=registration.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")[:300]
    return _act(
        request, pk, registration_cancel, _("The registration is cancelled."), reason=reason
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, offer_confirm, _("Your seat is confirmed. The ticket has been sent by e-mail.")
    )


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, offer_decline, _("You declined the seat: it goes to the next person."))
