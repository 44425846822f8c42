"""Moving the file on: submitting, withdrawing, the submission to the funder, the funding
outcome, resubmission; and the certificate's PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.projects import permissions
from grappe.projects.forms import FunderForm, OutcomeForm, ReasonForm, ResubmitForm, apply_errors
from grappe.projects.selectors.files import open_sessions
from grappe.projects.services import files as file_services
from grappe.projects.services import workflow as workflow_services
from grappe.projects.views.file_helpers import login_first, refused, viewable_request
from grappe.projects.views.files.common import S, _detail, _editable


@login_first
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what stops the submission (every broken rule), then submit."""
    file = _editable(request, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            workflow_services.request_submit(actor=request.user, request=file)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("The file is submitted: you will be told what follows."))
            return _detail(file)
    else:
        errors = workflow_services.submission_errors(file, timezone.now())
    problems = [message for field_messages in errors.values() for message in field_messages]
    return render(
        request,
        "projects/request_submit.html",
        {"file": file, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


def reason_page(
    request: HttpRequest,
    pk: int,
    *,
    target: str,
    service: Any,
    template: str,
    done: str,
) -> HttpResponse:
    """A move that needs a reason (withdraw, and staff's reopen / inadmissible)."""
    file = viewable_request(request, pk)
    refusal = permissions.transition_refusal(request.user, file, target)
    if refusal:
        return refused(request, refusal)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, request=file, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return _detail(file)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"file": file, "form": form, "target": target}, status=status)


@login_first
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return reason_page(
        request,
        pk,
        target=S.WITHDRAWN,
        service=workflow_services.request_withdraw,
        template="projects/request_withdraw.html",
        done=_("The file is withdrawn."),
    )


@login_first
def request_funder(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the submission to the funder and its reference (contacts or staff)."""
    file = viewable_request(request, pk)
    refusal = permissions.transition_refusal(request.user, file, S.SUBMITTED_TO_FUNDER)
    if refusal:
        return refused(request, refusal)
    form = FunderForm(request.POST or None, initial={"submitted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            workflow_services.request_submitted_to_funder(
                actor=request.user,
                request=file,
                reference=form.cleaned_data["reference"],
                submitted_on=form.cleaned_data["submitted_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The submission to the funder is recorded."))
            return _detail(file)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/funder_form.html", {"file": file, "form": form}, status=status)


@login_first
def request_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Funded (with each partner's aid), not funded or withdrawn (contacts or staff)."""
    file = viewable_request(request, pk)
    refusal = permissions.transition_refusal(request.user, file, S.FUNDED)
    if refusal:
        return refused(request, refusal)
    partners = list(file.partners.order_by("position", "id"))
    form = OutcomeForm(
        request.POST or None, partners=partners, initial={"outcome_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workflow_services.request_record_outcome(
                actor=request.user,
                request=file,
                outcome=form.cleaned_data["outcome"],
                obtained=form.obtained(),
                outcome_on=form.cleaned_data["outcome_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The funding outcome is recorded."))
            return _detail(file)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/outcome_form.html", {"file": file, "form": form}, status=status
    )


@login_first
def request_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft of the project for another session, copied from this file."""
    file = viewable_request(request, pk)
    if not permissions.can_resubmit_request(request.user, file):
        return refused(
            request,
            _("Only the consortium's contacts may resubmit a file that is no longer in progress."),
        )
    sessions = open_sessions().exclude(requests__project=file.project)
    form = ResubmitForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            new = file_services.request_resubmit(
                actor=request.user, request=file, session=form.cleaned_data["session"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("A new draft is ready: check it, then submit it."))
            return redirect("projects:request", pk=new.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/resubmit_form.html",
        {"file": file, "form": form, "no_session": not sessions.exists()},
        status=status,
    )


@login_first
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from grappe.projects.services.certificates import certificate_pdf as render_pdf

    file = viewable_request(request, pk)
    certificate = getattr(file, "certificate", None)
    if certificate is None:
        raise Http404
    if not permissions.can_view_certificate(request.user, certificate):
        return refused(
            request, _("Only the consortium's contacts or the cluster's staff may do this.")
        )
    language = (getattr(request, "LANGUAGE_CODE", "") or "fr")[:2]
    response = HttpResponse(render_pdf(certificate, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
