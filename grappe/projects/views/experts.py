"""The experts' pages. Staff: the pool (list, add, edit) and each session's assignment board
(files × experts with conflicts and loads; propose, add by hand, confirm, withdraw). Experts:
the confidentiality agreement, their profile and relationships, their dashboard of what they
owe, the invitation (accept, decline, declare a conflict), the review form and, once theirs is
in, the other experts' reviews of the same file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice.views._common import paginate, staff_required
from grappe.projects import permissions
from grappe.projects.forms import apply_errors
from grappe.projects.forms_experts import (
    AgreementForm,
    ExpertCreateForm,
    ExpertOwnForm,
    ExpertStaffForm,
    ManualAssignForm,
    ReasonForm,
    RelationshipForm,
    ReviewForm,
)
from grappe.projects.models import (
    Assignment,
    ExpertKind,
    ExpertProfile,
    ExpertRelationship,
    LabellingRequest,
    LabellingSession,
)
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.selectors import experts as selectors
from grappe.projects.services import assignments as assignment_services
from grappe.projects.services import experts as expert_services
from grappe.projects.services import reviews as review_services
from grappe.projects.services.assignments import ASSIGNABLE
from grappe.projects.views.file_helpers import login_first, refused, safe_next

# --- staff: the pool ---------------------------------------------------------------------------


@staff_required
def staff_experts(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in ExpertKind.values else ""
    active = {"1": True, "0": False}.get(request.GET.get("active", ""))
    experts = selectors.expert_pool(query=query, kind=kind, active=active)
    return render(
        request,
        "projects/experts/staff_pool.html",
        {
            "page": paginate(request, experts),
            "query": query,
            "kind": kind,
            "active": request.GET.get("active", ""),
            "kinds": ExpertKind.choices,
            "nda_version": NDA_VERSION,
        },
    )


def _profile_values(data: dict[str, Any], *, staff: bool) -> dict[str, Any]:
    values = {
        "competences": list(data["competences"]),
        "load_limit": data["load_limit"],
        "bio": data["bio"],
        "is_active": data["is_active"],
    }
    if staff:
        values.update(kind=data["kind"], employer=data["employer"])
    return values


@staff_required
def staff_expert_create(request: HttpRequest) -> HttpResponse:
    form = ExpertCreateForm(
        request.POST or None,
        initial={"kind": ExpertKind.EXTERNAL, "load_limit": 4, "is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = expert_services.expert_profile_create(
                actor=request.user,
                user=form.cleaned_data["user"],
                **_profile_values(form.cleaned_data, staff=True),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("%(expert)s is in the pool of experts.") % {"expert": profile}
            )
            return redirect("projects:staff_experts")
    return render(
        request,
        "projects/experts/staff_expert_form.html",
        {"form": form, "profile": None},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def staff_expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.expert_profile_detail(get_object_or_404(ExpertProfile, pk=pk))
    initial = {
        "kind": profile.kind,
        "employer": profile.employer,
        "competences": list(profile.competences.all()),
        "load_limit": profile.load_limit,
        "bio": profile.bio,
        "is_active": profile.is_active,
    }
    form = ExpertStaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            expert_services.expert_profile_update(
                actor=request.user,
                profile=profile,
                **_profile_values(form.cleaned_data, staff=True),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The expert's profile is saved."))
            return redirect("projects:staff_experts")
    return render(
        request,
        "projects/experts/staff_expert_form.html",
        {"form": form, "profile": profile, "nda_version": NDA_VERSION},
        status=400 if request.method == "POST" else 200,
    )


# --- staff: a session's assignments -----------------------------------------------------------


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


# --- the expert ----------------------------------------------------------------------------------


def _my_profile(request: HttpRequest) -> ExpertProfile:
    profile = permissions.expert_profile(request.user)
    if profile is None:
        raise PermissionDenied(_("This page is for the cluster's experts."))
    return profile


@login_first
def expert_agreement(request: HttpRequest) -> HttpResponse:
    profile = _my_profile(request)
    form = AgreementForm(request.POST or None, initial={"version": NDA_VERSION})
    if request.method == "POST" and form.is_valid():
        try:
            expert_services.expert_agreement_accept(
                actor=request.user, profile=profile, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: the confidentiality agreement is accepted."))
            return redirect(safe_next(request, reverse("projects:expert_dashboard")))
    return render(
        request,
        "projects/experts/agreement.html",
        {
            "form": form,
            "profile": profile,
            "accepted": permissions.has_current_agreement(profile),
            "nda_version": NDA_VERSION,
            "next": safe_next(request, ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_first
def expert_dashboard(request: HttpRequest) -> HttpResponse:
    _my_profile(request)
    return render(
        request,
        "projects/experts/dashboard.html",
        {"dashboard": selectors.expert_dashboard(request.user)},
    )


@login_first
def expert_profile(request: HttpRequest) -> HttpResponse:
    profile = selectors.expert_profile_detail(_my_profile(request))
    form = ExpertOwnForm(
        request.POST or None,
        initial={
            "competences": list(profile.competences.all()),
            "load_limit": profile.load_limit,
            "bio": profile.bio,
            "is_active": profile.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            expert_services.expert_profile_update(
                actor=request.user,
                profile=profile,
                **_profile_values(form.cleaned_data, staff=False),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your expert's profile is saved."))
            return redirect("projects:expert_profile")
    return render(
        request,
        "projects/experts/profile.html",
        {"form": form, "profile": profile, "relationship_form": RelationshipForm()},
        status=400 if request.method == "POST" else 200,
    )


@login_first
@require_POST
def expert_relationship_add(request: HttpRequest) -> HttpResponse:
    profile = _my_profile(request)
    form = RelationshipForm(request.POST)
    if form.is_valid():
        try:
            expert_services.expert_relationship_add(
                actor=request.user,
                profile=profile,
                organisation=form.cleaned_data["organisation"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The relationship is declared."))
            return redirect("projects:expert_profile")
    profile = selectors.expert_profile_detail(profile)
    return render(
        request,
        "projects/experts/profile.html",
        {
            "form": ExpertOwnForm(
                initial={
                    "competences": list(profile.competences.all()),
                    "load_limit": profile.load_limit,
                    "bio": profile.bio,
                    "is_active": profile.is_active,
                }
            ),
            "profile": profile,
            "relationship_form": form,
        },
        status=400,
    )


@login_first
@require_POST
def expert_relationship_remove(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _my_profile(request)
    relationship = get_object_or_404(ExpertRelationship, pk=pk, expert=profile)
    expert_services.expert_relationship_remove(actor=request.user, relationship=relationship)
    messages.success(request, _("The relationship is removed."))
    return redirect("projects:expert_profile")


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
