"""The expert's invitation (accept, decline, declare a conflict), the review form and, once
theirs is in, the other experts' reviews of the same file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.projects import permissions
from grappe.projects.forms import apply_errors
from grappe.projects.forms_experts import ReasonForm, ReviewForm
from grappe.projects.models import Assignment
from grappe.projects.selectors import experts as selectors
from grappe.projects.services import assignments as assignment_services
from grappe.projects.services import experts as expert_services
from grappe.projects.services import reviews as review_services
from grappe.projects.views.file_helpers import login_first, refused


def _assignment_page(request: HttpRequest, assignment: Assignment, **extra: Any) -> HttpResponse:
    profile = assignment.expert
    agreement = permissions.has_current_agreement(profile)
    return render(
        request,
        "projects/experts/assignment.html",
        {
            "assignment": assignment,
            "file": assignment.request,
            "agreement": agreement,
            # The consortium's names help spot a conflict; shown once the agreement is signed.
            "partners": selectors.assignment_partners(assignment) if agreement else [],
            "can_accept": permissions.can_answer_assignment(request.user, assignment),
            "can_decline": permissions.can_decline_assignment(request.user, assignment),
            "can_review": assignment.status == "accepted" and agreement,
            "can_view_file": permissions.can_view_request(request.user, assignment.request),
            **extra,
        },
    )


@login_first
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _assignment_page(request, selectors.expert_assignment(request.user, pk))


@login_first
@require_POST
def assignment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.expert_assignment(request.user, pk)
    try:
        assignment_services.assignment_accept(actor=request.user, assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: the file is yours to review."))
    return redirect("projects:assignment", pk=assignment.pk)


def _reason_page(
    request: HttpRequest, assignment: Assignment, form: ReasonForm, title: str, submit: str
) -> HttpResponse:
    return render(
        request,
        "projects/experts/reason_form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back": reverse("projects:assignment", kwargs={"pk": assignment.pk}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_first
def assignment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.expert_assignment(request.user, pk)
    if not permissions.can_decline_assignment(request.user, assignment):
        return refused(request, _("This assignment can no longer be declined."))
    form = ReasonForm(
        request.POST or None,
        label=_("Why do you decline?"),
        help_text=_("For the cluster's team; another expert will be proposed."),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment_services.assignment_decline(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("You declined the file; the cluster's team is told."))
            return redirect("projects:expert_dashboard")
    return _reason_page(request, assignment, form, _("Decline the file"), _("Decline"))


@login_first
def assignment_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.expert_assignment(request.user, pk)
    if assignment.status not in ("invited", "accepted"):
        return refused(request, _("You are no longer assigned to this file."))
    form = ReasonForm(
        request.POST or None,
        label=_("Describe the conflict of interest"),
        help_text=_(
            "You lose access to the file at once; the cluster's team is told and proposes "
            "another expert."
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            expert_services.conflict_declare(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The conflict is declared: the file is withdrawn from you.")
            )
            return redirect("projects:expert_dashboard")
    return _reason_page(
        request, assignment, form, _("Declare a conflict of interest"), _("Declare the conflict")
    )


@login_first
def review(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.expert_assignment(request.user, pk)
    if not permissions.can_view_own_review(request.user, assignment):
        return refused(
            request,
            permissions.review_refusal(request.user, assignment)
            or _("You may not review this file."),
        )
    criteria = list(assignment.request.session.criteria.order_by("position", "id"))
    current = selectors.review_of(assignment)
    writable = permissions.can_write_review(request.user, assignment)
    form = ReviewForm(
        request.POST if request.method == "POST" and writable else None,
        criteria=criteria,
        initial=ReviewForm.initial_from(current),
    )
    if request.method == "POST" and writable and form.is_valid():
        submit = "submit" in request.POST
        service = review_services.review_save_and_submit if submit else review_services.review_save
        try:
            service(actor=request.user, assignment=assignment, **form.service_values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if submit:
                messages.success(request, _("Your review is submitted. Thank you."))
                return redirect("projects:review_others", pk=assignment.pk)
            messages.success(request, _("Your draft is saved."))
            return redirect("projects:review", pk=assignment.pk)
    return render(
        request,
        "projects/experts/review_form.html",
        {
            "assignment": assignment,
            "file": assignment.request,
            "form": form,
            "review": current,
            "writable": writable,
            "refusal": "" if writable else permissions.review_refusal(request.user, assignment),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_first
def review_others(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.expert_assignment(request.user, pk)
    if not permissions.can_view_other_reviews(request.user, assignment):
        return refused(
            request,
            _("You will read the other experts' reviews of this file once yours is submitted."),
        )
    criteria = list(assignment.request.session.criteria.order_by("position", "id"))
    return render(
        request,
        "projects/experts/review_others.html",
        {
            "assignment": assignment,
            "file": assignment.request,
            "criteria": criteria,
            "mine": selectors.review_of(assignment),
            "others": selectors.other_reviews(request.user, assignment),
        },
    )
