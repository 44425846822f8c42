"""The draft's consortium: partners and contacts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.projects import permissions
from grappe.projects.forms import ContactForm, PartnerForm, apply_errors
from grappe.projects.models import LabellingRequest, Partner, ProjectContact
from grappe.projects.services import files as file_services
from grappe.projects.views.file_helpers import login_first, viewable_request
from grappe.projects.views.files.common import _detail, _editable


def _partner_form_page(
    request: HttpRequest, file: LabellingRequest, partner: Partner | None
) -> HttpResponse:
    organisations = file_services.partner_organisations(request.user)
    initial = (
        {name: getattr(partner, name) for name in file_services.PARTNER_FIELDS} if partner else {}
    )
    form = PartnerForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            file_services.partner_save(actor=request.user, request=file, data=data, partner=partner)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consortium is saved."))
            return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#partners")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/partner_form.html",
        {"file": file, "form": form, "partner": partner},
        status=status,
    )


@login_first
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _partner_form_page(request, _editable(request, pk), None)


@login_first
def partner_edit(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    partner = get_object_or_404(Partner, pk=partner_pk, request=file)
    return _partner_form_page(request, file, partner)


@login_first
@require_POST
def partner_remove(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    partner = get_object_or_404(Partner, pk=partner_pk, request=file)
    try:
        file_services.partner_remove(actor=request.user, request=file, partner=partner)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(partner)s is removed.") % {"partner": partner.name})
    return _detail(file)


@login_first
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = viewable_request(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            file_services.contact_add(
                actor=request.user, request=file, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The contact is added and informed by e-mail."))
    else:
        messages.error(request, _("Give a valid e-mail address."))
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#contacts")


@login_first
@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    file = viewable_request(request, pk)
    contact = get_object_or_404(ProjectContact, pk=contact_pk, request=file)
    try:
        file_services.contact_remove(actor=request.user, request=file, contact=contact)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The contact is removed."))
    if contact.user_id == request.user.pk and not permissions.can_view_request(request.user, file):
        return redirect("projects:mine")
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#contacts")
