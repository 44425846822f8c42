"""An organisation's administration by its administrators (and staff): profile, visibility,
yearly figures, contacts, memberships and invoices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.core.permissions import is_staff
from grappe.members import permissions
from grappe.members.forms import (
    ContactAddForm,
    FiguresForm,
    OrganisationProfileForm,
    VisibilityForm,
    add_service_errors,
)
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    ClusterProfile,
    CreditNote,
    Invoice,
    OrganisationFigures,
)
from grappe.members.selectors import organisation_contacts, organisation_memberships
from grappe.members.services import (
    affiliation_set_admin,
    contact_add,
    contact_end,
    credit_note_pdf,
    figures_declare,
    invoice_pdf,
    organisation_set_visibility,
    organisation_update,
)
from grappe.members.views.common import organisation_context, organisation_for


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request, slug, permissions.can_edit_organisation)
    form = OrganisationProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=organisation,
        staff=is_staff(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                actor=request.user, organisation=organisation, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("members:organisation_edit", slug=organisation.slug)
    context = organisation_context(request, organisation, "profile", form=form)
    return render(request, "members/org/profile.html", context)


@login_required
def organisation_visibility(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request, slug, permissions.can_edit_organisation)
    form = VisibilityForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_set_visibility(
                actor=request.user, organisation=organisation, choices=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Who sees what is saved."))
            return redirect("members:organisation_visibility", slug=organisation.slug)
    context = organisation_context(request, organisation, "visibility", form=form)
    return render(request, "members/org/visibility.html", context)


@login_required
def organisation_figures(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request, slug, permissions.can_edit_organisation)
    history = list(
        OrganisationFigures.objects.filter(organisation=organisation)
        .select_related("declared_by")
        .order_by("-year")
    )
    by_year = {f.year: f for f in history}
    initial_year = timezone.localdate().year - 1
    if request.GET.get("year", "").isdigit():
        initial_year = int(request.GET["year"])
    initial: dict[str, object] = {"year": initial_year}
    if initial_year in by_year:
        figures = by_year[initial_year]
        initial.update(
            headcount=figures.headcount,
            turnover=figures.turnover,
            export_share=figures.export_share,
            rnd_spend=figures.rnd_spend,
            balance_sheet=figures.balance_sheet,
        )
    form = FiguresForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            figures_declare(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The figures for %(year)s are saved.") % {"year": form.cleaned_data["year"]},
            )
            return redirect("members:organisation_figures", slug=organisation.slug)
    context = organisation_context(
        request,
        organisation,
        "figures",
        form=form,
        history=history,
        correcting=initial_year in by_year,
    )
    return render(request, "members/org/figures.html", context)


@login_required
def organisation_contacts_view(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request, slug, permissions.can_manage_contacts)
    form = ContactAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = contact_add(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s is now a contact of %(organisation)s.")
                % {"person": affiliation.person, "organisation": organisation},
            )
            return redirect("members:organisation_contacts", slug=organisation.slug)
    pending = (
        organisation.affiliations.filter(status=AffiliationStatus.PENDING)
        .select_related("person")
        .order_by("created_at")
    )
    contacts = list(organisation_contacts(organisation))
    context = organisation_context(
        request,
        organisation,
        "contacts",
        form=form,
        contacts=contacts,
        pending=list(pending),
        # The viewer's own row links to the page where one leaves, with its explanations.
        leaving={c.pk for c in contacts if permissions.can_leave_organisation(request.user, c)},
    )
    return render(request, "members/org/contacts.html", context)


def _contact(request: HttpRequest, slug: str, pk: int) -> Affiliation:
    organisation = organisation_for(request, slug, permissions.can_manage_contacts)
    return get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"),
        pk=pk,
        organisation=organisation,
    )


@login_required
@require_POST
def contact_set_admin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    affiliation = _contact(request, slug, pk)
    make_admin = request.POST.get("is_admin") == "1"
    try:
        affiliation_set_admin(actor=request.user, affiliation=affiliation, is_admin=make_admin)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (
            _("%(person)s is now an administrator.")
            if make_admin
            else _("%(person)s is no longer an administrator.")
        )
        messages.success(request, text % {"person": affiliation.person})
    return redirect("members:organisation_contacts", slug=slug)


@login_required
@require_POST
def contact_end_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    affiliation = _contact(request, slug, pk)
    try:
        contact_end(actor=request.user, affiliation=affiliation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is no longer a contact of %(organisation)s.")
            % {"person": affiliation.person, "organisation": affiliation.organisation},
        )
    return redirect("members:organisation_contacts", slug=slug)


@login_required
def organisation_membership(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request, slug, permissions.can_view_memberships)
    history = list(organisation_memberships(organisation).select_related("decided_by"))
    year = timezone.localdate().year
    current = next((m for m in history if m.year == year), None)
    following = next((m for m in history if m.year == year + 1), None)
    context = organisation_context(
        request,
        organisation,
        "membership",
        history=history,
        current=current,
        following=following,
        year=year,
        cluster=ClusterProfile.objects.order_by("pk").first(),
        can_apply=permissions.can_apply_for_membership(request.user, organisation),
    )
    return render(request, "members/org/membership.html", context)


@login_required
def organisation_invoices(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request, slug, permissions.can_view_memberships)
    invoices = list(
        Invoice.objects.filter(organisation=organisation)
        .select_related("membership", "credit_note")
        .order_by("-issued_on", "-number")
    )
    context = organisation_context(
        request,
        organisation,
        "invoices",
        invoices=invoices,
        today=timezone.localdate(),
        cluster=ClusterProfile.objects.order_by("pk").first(),
    )
    return render(request, "members/org/invoices.html", context)


@login_required
def invoice_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice as PDF, in the viewer's language."""
    invoice = get_object_or_404(Invoice.objects.select_related("membership", "organisation"), pk=pk)
    if not permissions.can_view_invoice(request.user, invoice):
        raise PermissionDenied
    pdf = invoice_pdf(invoice, language=(get_language() or "fr")[:2])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@login_required
def credit_note_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The credit note cancelling invoice `pk`, as PDF, for whoever may see the invoice."""
    invoice = get_object_or_404(Invoice.objects.select_related("membership", "organisation"), pk=pk)
    if not permissions.can_view_invoice(request.user, invoice):
        raise PermissionDenied
    note = get_object_or_404(CreditNote, invoice=invoice)
    note.invoice = invoice
    pdf = credit_note_pdf(note, language=(get_language() or "fr")[:2])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{note.number}.pdf"'
    return response
