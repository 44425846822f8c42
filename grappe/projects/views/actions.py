"""The workflow's actions on a file (each a small form on the file's page): staff return it,
declare it inadmissible, start and close the review, put it on the committee's agenda, record
the decision (also the committee's chair), issue, revoke the certificate, and close the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.projects import permissions
from grappe.projects.forms import DecideForm, RevokeForm, apply_errors
from grappe.projects.models import LabellingRequest, RequestStatus
from grappe.projects.services import certificates as certificate_services
from grappe.projects.services import workflow as services
from grappe.projects.views.file_helpers import login_first, refused, safe_next, viewable_request
from grappe.projects.views.files import reason_page

S = RequestStatus


def _back(request: HttpRequest, file: LabellingRequest) -> HttpResponse:
    return redirect(safe_next(request, reverse("projects:request", kwargs={"pk": file.pk})))


def _simple_move(
    request: HttpRequest,
    pk: int,
    *,
    target: str,
    service: Callable[..., Any],
    done: str,
) -> HttpResponse:
    """A move without fields: the reason of a refusal, or the service's message, is shown."""
    file = viewable_request(request, pk)
    refusal = permissions.transition_refusal(request.user, file, target)
    if refusal:
        return refused(request, refusal)
    try:
        service(actor=request.user, request=file)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back(request, file)


@login_first
def request_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return reason_page(
        request,
        pk,
        target=S.DRAFT,
        service=services.request_reopen,
        template="projects/request_reason.html",
        done=_("The file is a draft again; its contacts are told what to correct."),
    )


@login_first
def request_declare_inadmissible(request: HttpRequest, pk: int) -> HttpResponse:
    return reason_page(
        request,
        pk,
        target=S.INADMISSIBLE,
        service=services.request_declare_inadmissible,
        template="projects/request_reason.html",
        done=_("The file is declared inadmissible; its contacts are told why."),
    )


@login_first
@require_POST
def request_start_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_move(
        request,
        pk,
        target=S.UNDER_REVIEW,
        service=services.request_start_review,
        done=_("The file is admissible: it is under review."),
    )


@login_first
@require_POST
def request_mark_reviews_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_move(
        request,
        pk,
        target=S.REVIEWS_COMPLETE,
        service=services.request_mark_reviews_complete,
        done=_("The reviews are complete."),
    )


@login_first
@require_POST
def request_to_committee(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_move(
        request,
        pk,
        target=S.COMMITTEE,
        service=services.request_to_committee,
        done=_("The file is on the committee's agenda."),
    )


@login_first
@require_POST
def request_issue_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_move(
        request,
        pk,
        target=S.CERTIFICATE_ISSUED,
        service=services.request_issue_certificate,
        done=_("The certificate is issued and sent to the consortium."),
    )


@login_first
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_move(
        request,
        pk,
        target=S.CLOSED,
        service=services.request_close,
        done=_("The file is closed."),
    )


@login_first
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the committee's decision: staff or the chair of the session's committee. The
    committee's page posts here too (with `next`)."""
    file = viewable_request(request, pk)
    if not permissions.can_decide(request.user, file):
        refusal = permissions.transition_refusal(request.user, file, S.LABELLED)
        return refused(request, refusal)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_decide(
                actor=request.user,
                request=file,
                decision=form.cleaned_data["decision"],
                reservations=form.cleaned_data["reservations"],
                decision_text=form.cleaned_data["decision_text"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded and sent to the consortium."))
            return _back(request, file)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/decide_form.html",
        {"file": file, "form": form, "next": safe_next(request, "")},
        status=status,
    )


@login_first
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    file = viewable_request(request, pk)
    certificate = getattr(file, "certificate", None)
    if certificate is None:
        raise Http404
    if not permissions.can_revoke_certificate(request.user, certificate):
        return refused(request, _("Only the cluster's staff may revoke a valid certificate."))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_services.certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The certificate is revoked; its public page says so."))
            return _back(request, file)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/revoke_form.html",
        {"file": file, "form": form, "certificate": certificate},
        status=status,
    )
