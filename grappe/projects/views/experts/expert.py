"""The expert's own pages: the confidentiality agreement, the dashboard, the profile and the
declared relationships."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.projects import permissions
from grappe.projects.forms import apply_errors
from grappe.projects.forms_experts import AgreementForm, ExpertOwnForm, RelationshipForm
from grappe.projects.models import ExpertProfile, ExpertRelationship
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.selectors import experts as selectors
from grappe.projects.services import experts as expert_services
from grappe.projects.views.experts.pool import _profile_values
from grappe.projects.views.file_helpers import login_first, safe_next


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
