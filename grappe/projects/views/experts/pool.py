"""Staff: the pool of experts (list, add, edit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from grappe.backoffice.views._common import paginate, staff_required
from grappe.projects.forms import apply_errors
from grappe.projects.forms_experts import ExpertCreateForm, ExpertStaffForm
from grappe.projects.models import ExpertKind, ExpertProfile
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.selectors import experts as selectors
from grappe.projects.services import experts as expert_services


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
