"""Reads about sessions and files: each list in a fixed number of queries, visibility
decided by grappe.projects.permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from grappe.projects import permissions
from grappe.projects.models import (
    ExpertExclusion,
    ExpertProfile,
    LabellingRequest,
    LabellingSession,
    Partner,
    ProjectContact,
    ProjectDocument,
    RequestStatus,
)


def request_queryset() -> QuerySet[LabellingRequest]:
    return LabellingRequest.objects.select_related(
        "project", "project__lead", "session", "certificate", "previous__session"
    )


def request_get(pk: int) -> LabellingRequest:
    """Raises LabellingRequest.DoesNotExist."""
    return request_queryset().get(pk=pk)


def requests_of_contact(user: Any) -> QuerySet[LabellingRequest]:
    """The files the user is a contact of, newest first."""
    if not getattr(user, "is_authenticated", False):
        return LabellingRequest.objects.none()
    return (
        request_queryset()
        .filter(pk__in=ProjectContact.objects.filter(user=user).values("request"))
        .order_by("-created_at")
    )


def open_sessions(now: dt.datetime | None = None) -> QuerySet[LabellingSession]:
    now = now or timezone.now()
    return LabellingSession.objects.filter(
        opens_at__lte=now, submission_deadline__gte=now
    ).order_by("submission_deadline")


def sessions_with_counts() -> QuerySet[LabellingSession]:
    """Every session, with its number of files and of submitted (non-draft) files."""
    return LabellingSession.objects.annotate(
        files=Count("requests", distinct=True),
        submitted=Count(
            "requests",
            filter=~Q(requests__status__in=[RequestStatus.DRAFT]),
            distinct=True,
        ),
    ).order_by("-committee_date", "-pk")


def session_requests(session: LabellingSession, status: str = "") -> QuerySet[LabellingRequest]:
    qs = (
        request_queryset()
        .filter(session=session)
        .annotate(partner_count=Count("partners", distinct=True))
        .order_by("project__acronym")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def session_status_counts(session: LabellingSession) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status that has files in the session (one query)."""
    counts = dict(
        LabellingRequest.objects.filter(session=session)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        (value, str(label), counts[value])
        for value, label in RequestStatus.choices
        if counts.get(value)
    ]


@dataclass
class RequestPage:
    """What the file's page shows; confidential parts are empty for those not allowed."""

    partners: list[Partner]
    contacts: list[ProjectContact]
    documents: list[ProjectDocument]
    exclusions: list[ExpertExclusion]
    history: list[LabellingRequest]
    competences: list[Any]


def request_page(request: LabellingRequest, *, confidential: bool, contacts: bool) -> RequestPage:
    """The file's lists, in one query each; `confidential` and `contacts` say what the viewer
    may see (documents and budgets; contacts, exclusions and history)."""
    partners = list(request.partners.select_related("organisation").order_by("position", "id"))
    competences = list(request.competences.select_related("version").order_by("facet", "code"))
    page = RequestPage(
        partners=partners,
        contacts=[],
        documents=[],
        exclusions=[],
        history=[],
        competences=competences,
    )
    if confidential:
        page.documents = list(request.documents.select_related("uploaded_by"))
    if contacts:
        page.contacts = list(
            request.contacts.select_related("user", "partner").order_by("added_at", "pk")
        )
        page.exclusions = list(
            request.exclusions.select_related("expert__user", "expert__employer").order_by("pk")
        )
        page.history = list(
            request_queryset()
            .filter(project_id=request.project_id)
            .exclude(pk=request.pk)
            .order_by("-session__committee_date")
        )
    return page


def project_history(request: LabellingRequest) -> list[LabellingRequest]:
    """All requests of the file's project, this one included, latest session first."""
    return list(
        request_queryset()
        .filter(project_id=request.project_id)
        .order_by("-session__committee_date", "-pk")
    )


def expert_pool(query: str = "") -> QuerySet[ExpertProfile]:
    """The pool an applicant chooses exclusions from: names and employers only."""
    qs = ExpertProfile.objects.filter(is_active=True, user__is_active=True).select_related(
        "user", "employer"
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(employer__name__icontains=query)
        )
    return qs.order_by("user__last_name", "user__first_name", "pk")


# --- the public list of labelled projects ----------------------------------------------------


def public_requests(
    *,
    q: str = "",
    technology: str = "",
    market: str = "",
    year: int | None = None,
    scheme: str = "",
) -> QuerySet[LabellingRequest]:
    """Labelled projects whose consortium agreed to publish, filtered; public fields only."""
    qs = (
        LabellingRequest.objects.filter(permissions.public_requests_q())
        .select_related("project", "session")
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=Partner.objects.exclude(role="subcontractor").order_by("position", "id"),
            ),
            "competences",
        )
        .only(
            "pk",
            "title",
            "summary_public",
            "scheme",
            "decision",
            "decided_at",
            "trl_start",
            "trl_target",
            "duration_months",
            "project__acronym",
            "project__slug",
            "session__name_fr",
            "session__name_en",
            "session__slug",
        )  # fmt: skip
        .order_by("-decided_at", "project__acronym")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(project__acronym__icontains=q)
            | Q(title__icontains=q)
            | Q(summary_public__icontains=q)
        )
    if technology:
        qs = qs.filter(competences__code=technology, competences__facet="technology")
    if market:
        qs = qs.filter(competences__code=market, competences__facet="market")
    if year:
        qs = qs.filter(decided_at__year=year)
    if scheme:
        qs = qs.filter(scheme=scheme)
    return qs.distinct()


def public_years() -> list[int]:
    years = (
        LabellingRequest.objects.filter(permissions.public_requests_q(), decided_at__isnull=False)
        .annotate(year=ExtractYear("decided_at"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted({y for y in years if y}, reverse=True)
