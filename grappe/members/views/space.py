"""A person's own pages: declaring or finding their organisation, join requests, leaving an
organisation, profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.members import permissions
from grappe.members.forms import (
    JoinRequestForm,
    MyProfileForm,
    OrganisationDeclareForm,
    OrganisationSearchForm,
    add_service_errors,
)
from grappe.members.models import Affiliation, ConsentChannel, Person
from grappe.members.selectors import organisations_matching, user_person
from grappe.members.services import (
    affiliation_confirm,
    affiliation_leave,
    affiliation_refuse,
    affiliation_request,
    affiliation_withdraw,
    my_profile_update,
    organisation_create,
)
from grappe.members.services.profile import consents_in_force
from grappe.members.views.common import organisation_for, safe_next


def _needs_profile(request: HttpRequest) -> HttpResponse | None:
    """A login without a person (made by `createsuperuser`) completes its profile first."""
    if user_person(request.user) is None:
        messages.info(request, _("Complete your profile first: your name is needed."))
        return redirect(f"{reverse('members:my_profile')}?{urlencode({'next': request.path})}")
    return None


@login_required
def organisation_declare(request: HttpRequest) -> HttpResponse:
    """Declare one's organisation: the declarer becomes its first administrator."""
    if (response := _needs_profile(request)) is not None:
        return response
    if not permissions.can_declare_organisation(request.user):
        return redirect("core:dashboard")
    form = OrganisationDeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in OrganisationDeclareForm.Meta.fields}
        try:
            organisation = organisation_create(actor=request.user, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is declared and you are its administrator. Now declare its figures.")
                % {"name": organisation.name},
            )
            return redirect("members:organisation_figures", slug=organisation.slug)
    return render(request, "members/organisation_declare.html", {"form": form})


@login_required
def organisation_find(request: HttpRequest) -> HttpResponse:
    """Find one's organisation by name to ask to join it."""
    form = OrganisationSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = organisations_matching(query=form.cleaned_data["q"], viewer=request.user)
    return render(
        request,
        "members/organisation_find.html",
        {"form": form, "results": results, "request_form": JoinRequestForm()},
    )


@login_required
@require_POST
def affiliation_request_view(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _needs_profile(request)) is not None:
        return response
    organisation = organisation_for(request, slug, permissions.can_request_affiliation)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose your role in the organisation."))
        return redirect("members:organisation_find")
    try:
        affiliation_request(
            actor=request.user, organisation=organisation, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your request has been sent to the administrators of %(name)s.")
            % {"name": organisation.name},
        )
    return redirect("core:dashboard")


@login_required
@require_POST
def affiliation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's administrator confirms or refuses a request to join it."""
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"), pk=pk
    )
    if not permissions.can_decide_affiliation(request.user, affiliation):
        raise PermissionDenied
    decision = request.POST.get("decision")
    service = {"confirm": affiliation_confirm, "refuse": affiliation_refuse}.get(decision or "")
    if service is None:
        messages.error(request, _("Choose to confirm or to refuse the request."))
    else:
        try:
            service(actor=request.user, affiliation=affiliation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = (
                _("%(person)s is now a contact of %(organisation)s.")
                if decision == "confirm"
                else _("The request of %(person)s to join %(organisation)s was refused.")
            )
            messages.success(
                request,
                text % {"person": affiliation.person, "organisation": affiliation.organisation},
            )
    return redirect(safe_next(request, reverse("core:dashboard")))


@login_required
@require_POST
def affiliation_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = get_object_or_404(Affiliation.objects.select_related("organisation"), pk=pk)
    try:
        affiliation_withdraw(actor=request.user, affiliation=affiliation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your request to join %(name)s is withdrawn.")
            % {"name": affiliation.organisation.name},
        )
    return redirect("core:dashboard")


@login_required
def affiliation_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact leaves one of their organisations: a page says what it means, its form does it.
    Someone else's affiliation is not found (its existence is nobody else's business)."""
    person = user_person(request.user)
    if person is None:
        raise Http404
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("organisation"), pk=pk, person=person
    )
    organisation = affiliation.organisation
    if not permissions.can_leave_organisation(request.user, affiliation):
        messages.error(
            request,
            _("You are not a current contact of %(name)s.") % {"name": organisation.name},
        )
        return redirect("core:dashboard")
    if request.method == "POST":
        try:
            affiliation_leave(actor=request.user, affiliation=affiliation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("members:affiliation_leave", pk=affiliation.pk)
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return redirect("core:dashboard")
    return render(
        request,
        "members/affiliation_leave.html",
        {"affiliation": affiliation, "organisation": organisation},
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """One's own record, consents per channel with their history, links to account security."""
    user: Any = request.user
    person = user_person(user)
    current = consents_in_force(person)
    initial: dict[str, Any] = {
        "consent_newsletter": bool(current[ConsentChannel.NEWSLETTER]),
        "consent_directory": bool(current[ConsentChannel.DIRECTORY]),
    }
    if person is None:
        initial.update(
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            language=getattr(user, "language", "fr"),
        )
    form = MyProfileForm(
        request.POST or None, instance=person or Person(email=user.email), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = my_profile_update(
                actor=user,
                data=form.person_data(),
                consents=form.consents(),
                competences=form.competences(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            translation.activate(person.language)
            messages.success(request, _("Your profile is saved."))
            response = redirect(safe_next(request, reverse("members:my_profile")))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                person.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
            return response
    history = list(person.consents.order_by("-at", "-id")[:50]) if person else []
    return render(
        request,
        "members/my_profile.html",
        {
            "form": form,
            "person": person,
            "consent_history": history,
            "next": safe_next(request, ""),
        },
    )
