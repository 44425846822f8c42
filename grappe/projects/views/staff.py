"""Staff pages: the sessions (dates, schemes, grid, committee), each session's files with
their statuses, the eligibility rules, and the portfolio."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.backoffice.views._common import paginate, staff_required
from grappe.projects.forms import (
    CommitteeForm,
    CriterionForm,
    RuleForm,
    SessionForm,
    apply_errors,
)
from grappe.projects.models import (
    CommitteeMember,
    Criterion,
    EligibilityRule,
    LabellingSession,
    RequestStatus,
)
from grappe.projects.selectors.files import (
    session_requests,
    session_status_counts,
    sessions_with_counts,
)
from grappe.projects.services import sessions as services


def _session(slug: str) -> LabellingSession:
    return get_object_or_404(LabellingSession, slug=slug)


@staff_required
def sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "projects/staff/sessions.html",
        {"page": paginate(request, sessions_with_counts())},
    )


def _session_form_page(request: HttpRequest, call: LabellingSession | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if call is not None:
        initial = {name: getattr(call, name) for name in services.SESSION_FIELDS}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.session_save(
                actor=request.user, data=dict(form.cleaned_data), session=call
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("projects:staff_session", slug=call.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/staff/session_form.html", {"form": form, "call": call}, status=status
    )


@staff_required
def session_create(request: HttpRequest) -> HttpResponse:
    return _session_form_page(request, None)


@staff_required
def session_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _session_form_page(request, _session(slug))


@staff_required
def session_files(request: HttpRequest, slug: str) -> HttpResponse:
    """The session's files with their statuses, and how many are in each."""
    call = _session(slug)
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    return render(
        request,
        "projects/staff/session.html",
        {
            "call": call,
            "page": paginate(request, session_requests(call, status)),
            "counts": session_status_counts(call),
            "status": status,
            "committee": list(call.committee.select_related("user").order_by("role", "pk")),
            "criteria_count": call.criteria.count(),
        },
    )


@staff_required
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    """The evaluation grid: its criteria, one more, or a copy of the previous session's."""
    call = _session(slug)
    criteria = list(call.criteria.order_by("position", "id"))
    form = CriterionForm(request.POST or None, initial={"position": len(criteria)})
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(actor=request.user, session=call, data=dict(form.cleaned_data))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The criterion is added."))
            return redirect("projects:staff_grid", slug=call.slug)
    return render(
        request,
        "projects/staff/grid.html",
        {
            "call": call,
            "criteria": criteria,
            "form": form,
            "previous": services.previous_session(call),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def grid_copy(request: HttpRequest, slug: str) -> HttpResponse:
    call = _session(slug)
    try:
        services.grid_copy(actor=request.user, session=call)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The grid of the previous session is copied."))
    return redirect("projects:staff_grid", slug=call.slug)


@staff_required
def criterion_edit(request: HttpRequest, slug: str, criterion_pk: int) -> HttpResponse:
    call = _session(slug)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, session=call)
    initial = {name: getattr(criterion, name) for name in services.CRITERION_FIELDS}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(
                actor=request.user,
                session=call,
                data=dict(form.cleaned_data),
                criterion=criterion,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The criterion is saved."))
            return redirect("projects:staff_grid", slug=call.slug)
    return render(
        request,
        "projects/staff/criterion_form.html",
        {"call": call, "criterion": criterion, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def criterion_remove(request: HttpRequest, slug: str, criterion_pk: int) -> HttpResponse:
    call = _session(slug)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, session=call)
    try:
        services.criterion_delete(actor=request.user, criterion=criterion)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect("projects:staff_grid", slug=call.slug)


@staff_required
def committee(request: HttpRequest, slug: str) -> HttpResponse:
    call = _session(slug)
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_add(
                actor=request.user,
                session=call,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The committee member is added."))
            return redirect("projects:staff_committee", slug=call.slug)
    seats = list(call.committee.select_related("user").order_by("role", "pk"))
    return render(
        request,
        "projects/staff/committee.html",
        {"call": call, "seats": seats, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def committee_remove(request: HttpRequest, slug: str, seat_pk: int) -> HttpResponse:
    call = _session(slug)
    seat = get_object_or_404(CommitteeMember, pk=seat_pk, session=call)
    services.committee_remove(actor=request.user, seat=seat)
    messages.success(request, _("The committee member is removed."))
    return redirect("projects:staff_committee", slug=call.slug)


@staff_required
def rules(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "projects/staff/rules.html",
        {"rules": list(EligibilityRule.objects.order_by("scheme", "position", "pk"))},
    )


def _rule_form_page(request: HttpRequest, rule: EligibilityRule | None) -> HttpResponse:
    import json

    initial: dict[str, Any] = {"is_active": True}
    if rule is not None:
        initial = {
            name: getattr(rule, name)
            for name in ("scheme", "rule", "message_fr", "message_en", "is_active", "position")
        }
        initial["params"] = json.dumps(rule.params)
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(actor=request.user, data=dict(form.cleaned_data), rule=rule)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The eligibility rule is saved."))
            return redirect("projects:staff_rules")
    return render(
        request,
        "projects/staff/rule_form.html",
        {"form": form, "rule": rule},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def rule_create(request: HttpRequest) -> HttpResponse:
    return _rule_form_page(request, None)


@staff_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _rule_form_page(request, get_object_or_404(EligibilityRule, pk=pk))


@staff_required
def portfolio(request: HttpRequest) -> HttpResponse:
    from grappe.projects.selectors.portfolio import portfolio_for

    year = request.GET.get("year", "")
    return render(
        request,
        "projects/staff/portfolio.html",
        {"portfolio": portfolio_for(year=int(year) if year.isdigit() else None)},
    )
