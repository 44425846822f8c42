"""Organisations, people and affiliation requests, as the team looks them up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice import selectors
from grappe.backoffice.forms import OrganisationFilterForm, PersonFilterForm
from grappe.backoffice.services import user_set_expert
from grappe.backoffice.views._common import (
    organisation_edit_url,
    paginate,
    safe_next,
    staff_required,
)
from grappe.members import services
from grappe.members.models import Affiliation, Person


@staff_required
def organisations(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(
        request,
        selectors.organisation_list(
            q=filters.get("q", ""),
            kind=filters.get("kind", ""),
            college=filters.get("college", ""),
            member=filters.get("member", ""),
        ),
    )
    rows = [(o, organisation_edit_url(o.slug)) for o in page.object_list]
    return render(
        request, "backoffice/organisations.html", {"form": form, "page": page, "rows": rows}
    )


@staff_required
def people(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(
        request,
        selectors.person_list(
            q=filters.get("q", ""),
            member=filters.get("member", ""),
            role=filters.get("role", ""),
            kind=filters.get("kind", ""),
        ),
    )
    return render(request, "backoffice/people.html", {"form": form, "page": page})


@staff_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A person: affiliations, consents with their history, login and roles."""
    try:
        found = selectors.person_get(pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    context = selectors.person_detail(found)
    context["affiliation_rows"] = [
        (a, organisation_edit_url(a.organisation.slug)) for a in context["affiliations"]
    ]
    return render(request, "backoffice/person.html", context)


@staff_required
@require_POST
def person_set_expert(request: HttpRequest, pk: int) -> HttpResponse:
    """Name or withdraw an expert (a reviewer of R&D projects)."""
    found = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    user = found.user
    if user is None:
        messages.error(request, _("This person has no login: they cannot be an expert."))
        return redirect("backoffice:person", pk=pk)
    is_expert = request.POST.get("is_expert") == "1"
    user_set_expert(actor=request.user, user=user, is_expert=is_expert)
    messages.success(
        request,
        (_("%(name)s is now an expert.") if is_expert else _("%(name)s is no longer an expert."))
        % {"name": found.full_name},
    )
    return redirect("backoffice:person", pk=pk)


@staff_required
def affiliations(request: HttpRequest) -> HttpResponse:
    """Requests to join an organisation that its administrators have not answered."""
    page = paginate(request, selectors.affiliation_requests())
    return render(
        request,
        "backoffice/affiliations.html",
        {"page": page, "stale_days": selectors.STALE_REQUEST_DAYS},
    )


def _decide(request: HttpRequest, pk: int, confirm: bool) -> HttpResponse:
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"), pk=pk
    )
    decide = services.affiliation_confirm if confirm else services.affiliation_refuse
    try:
        decide(actor=request.user, affiliation=affiliation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        template = (
            _("%(person)s is now a contact of %(organisation)s.")
            if confirm
            else _("The request of %(person)s to join %(organisation)s is refused.")
        )
        messages.success(
            request,
            template % {"person": affiliation.person, "organisation": affiliation.organisation},
        )
    return redirect(safe_next(request, reverse("backoffice:affiliations")))


@staff_required
@require_POST
def affiliation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@staff_required
@require_POST
def affiliation_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)
