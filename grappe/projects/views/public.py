"""Public pages: the labelled projects whose consortium agreed to publish, the sessions
(calls), and the page where a funder checks a certificate."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from grappe.projects import permissions
from grappe.projects.forms import PublicFilterForm
from grappe.projects.models import Certificate, FundingScheme, LabellingSession, PartnerRole
from grappe.projects.selectors.files import public_requests, public_years

PAGE_SIZE = 20


def public_list(request: HttpRequest) -> HttpResponse:
    """Labelled projects, searchable by words, technology, market, year and scheme."""
    form = PublicFilterForm(request.GET or None, years=public_years())
    filters = form.cleaned_data if form.is_valid() else {}
    projects = public_requests(
        q=filters.get("q", ""),
        technology=filters.get("technology", ""),
        market=filters.get("market", ""),
        year=filters.get("year"),
        scheme=filters.get("scheme", ""),
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/public_list.html", {"form": form, "page": page})


def sessions(request: HttpRequest) -> HttpResponse:
    """The labelling sessions: open ones first, then the past ones."""
    now = timezone.now()
    every = list(LabellingSession.objects.order_by("-submission_deadline")[:40])
    open_now = [s for s in every if s.opens_at <= now <= s.submission_deadline]
    coming = [s for s in every if s.opens_at > now]
    past = [s for s in every if s.submission_deadline < now]
    return render(
        request,
        "projects/sessions.html",
        {"open_now": open_now, "coming": coming, "past": past},
    )


def session(request: HttpRequest, slug: str) -> HttpResponse:
    """A session (call): its dates, schemes and evaluation grid."""
    call = get_object_or_404(LabellingSession, slug=slug)
    now = timezone.now()
    return render(
        request,
        "projects/session.html",
        {
            "call": call,
            "criteria": list(call.criteria.order_by("position", "id")),
            "is_open": call.opens_at <= now <= call.submission_deadline,
            "can_create": permissions.can_create_request(request.user),
            "scheme_labels": [
                (code, FundingScheme(code).label)
                for code in call.schemes or []
                if code in FundingScheme.values
            ],
        },
    )


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone checks a certificate: valid or revoked, and its public facts only."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("request__project", "request__session"), token=token
    )
    file = certificate.request
    partners = list(
        file.partners.exclude(role=PartnerRole.SUBCONTRACTOR)
        .order_by("position", "id")
        .only("name", "role", "country", "position")
    )
    response = render(
        request,
        "projects/verify.html",
        {"certificate": certificate, "file": file, "partners": partners},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
