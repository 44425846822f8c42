"""Staff: a session's assignment board (files × experts with conflicts and loads) and its
actions: propose, add by hand, confirm, discard, withdraw."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice.views._common import staff_required
from grappe.projects.forms import apply_errors
from grappe.projects.forms_experts import ManualAssignForm, ReasonForm
from grappe.projects.models import Assignment, ExpertProfile, LabellingRequest, LabellingSession
from grappe.projects.selectors import experts as selectors
from grappe.projects.services import assignments as assignment_services
from grappe.projects.services.assignments import ASSIGNABLE
from grappe.projects.views.file_helpers import safe_next


def _session(slug: str) -> LabellingSession:
    return get_object_or_404(LabellingSession, slug=slug)


def _manual_form(session: LabellingSession, data: Any = None) -> ManualAssignForm:
    return ManualAssignForm(
        data,
        requests=LabellingRequest.objects.filter(session=session, status__in=ASSIGNABLE)
        .select_related("project")
        .order_by("project__acronym"),
        experts=ExpertProfile.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
    )


@staff_required
def staff_assignments(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(slug)
    return _board_page(request, session, _manual_form(session))


def _board_page(
    request: HttpRequest, session: LabellingSession, form: ManualAssignForm, status: int = 200
) -> HttpResponse:
    board = selectors.session_board(session)
    return render(
        request,
        "projects/experts/staff_assignments.html",
        {"call": session, "board": board, "form": form},
        status=status,
    )


@staff_required
@require_POST
def staff_assignments_propose(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(slug)
    try:
        proposal = assignment_services.assignments_propose(actor=request.user, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "%(count)d experts proposed (smallest best match %(min)s, total %(total)s). "
                "Check them, then confirm to send the invitations."
            )
            % {
                "count": len(proposal.created),
                "min": f"{proposal.min_best / 1000:.2f}",
                "total": f"{proposal.total / 1000:.2f}",
            },
        )
        for lack in proposal.lacking:
            messages.warning(request, f"{lack.request.project.acronym}: {lack.reason}")
    return redirect("projects:staff_assignments", slug=session.slug)


@staff_required
@require_POST
def staff_assignments_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(slug)
    try:
        result = assignment_services.assignments_confirm(actor=request.user, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)d invitations sent.") % {"count": len(result.invited)})
        for assignment, reason in result.dropped:
            messages.warning(
                request,
                _("%(expert)s on %(acronym)s dropped: %(reason)s")
                % {
                    "expert": assignment.expert,
                    "acronym": assignment.request.project.acronym,
                    "reason": reason,
                },
            )
    return redirect("projects:staff_assignments", slug=session.slug)


@staff_required
@require_POST
def staff_assignment_add(request: HttpRequest, slug: str) -> HttpResponse:
    session = _session(slug)
    form = _manual_form(session, request.POST)
    if form.is_valid():
        try:
            assignment_services.assignment_add(
                actor=request.user,
                request=form.cleaned_data["request"],
                expert=form.cleaned_data["expert"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The expert is proposed for the file: confirm to invite."))
            return redirect("projects:staff_assignments", slug=session.slug)
    return _board_page(request, session, form, status=400)


def _staff_assignment(pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("request__session", "request__project", "expert__user"),
        pk=pk,
    )


def _to_board(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    return redirect(
        safe_next(
            request,
            reverse("projects:staff_assignments", kwargs={"slug": assignment.request.session.slug}),
        )
    )


@staff_required
@require_POST
def staff_assignment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _staff_assignment(pk)
    try:
        assignment_services.assignment_confirm(actor=request.user, assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(expert)s is invited.") % {"expert": assignment.expert})
    return _to_board(request, assignment)


@staff_required
@require_POST
def staff_assignment_discard(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _staff_assignment(pk)
    try:
        assignment_services.assignment_discard(actor=request.user, assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The proposal is discarded."))
    return _to_board(request, assignment)


@staff_required
def staff_assignment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _staff_assignment(pk)
    form = ReasonForm(request.POST or None, help_text=_("Sent to the expert."))
    if request.method == "POST" and form.is_valid():
        try:
            _withdrawn, replacement = assignment_services.assignment_withdraw(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The assignment is withdrawn; the expert is told."))
            _replacement_message(request, replacement)
            return _to_board(request, assignment)
    return render(
        request,
        "projects/experts/staff_reason_form.html",
        {
            "form": form,
            "call": assignment.request.session,
            "title": _("Withdraw %(expert)s from %(acronym)s")
            % {"expert": assignment.expert, "acronym": assignment.request.project.acronym},
            "submit": _("Withdraw"),
            "back": reverse(
                "projects:staff_assignments", kwargs={"slug": assignment.request.session.slug}
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


def _replacement_message(request: HttpRequest, replacement: Assignment | None) -> None:
    if replacement is None:
        messages.warning(request, _("No expert is available to replace them."))
    else:
        messages.info(
            request,
            _("Replacement proposed: %(expert)s; confirm it to invite.")
            % {"expert": replacement.expert},
        )
