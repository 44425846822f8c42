"""The projects API under /api/v1/projects: the same services and permissions as the pages.

Everyone lists the labelled projects whose consortium agreed to publish; staff list every
file; a contact lists their own (`mine`). A file's confidential fields (description, budgets,
impact, documents) are present only for those allowed to read them (its contacts, staff, its
cleared experts) and absent otherwise. Anyone checks a certificate by its token."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from grappe.api.auth import AUTHENTICATED, PUBLIC, PUBLIC_OPENAPI
from grappe.api.errors import ApiError, ErrorOut, conflict_when
from grappe.api.pagination import PageOut, PageQuery, paginate
from grappe.core.permissions import is_staff, require
from grappe.projects import permissions
from grappe.projects.models import (
    Certificate,
    FundingScheme,
    LabellingRequest,
    LabellingSession,
    Partner,
    PartnerRole,
    RequestStatus,
)
from grappe.projects.selectors.files import public_requests, request_queryset, requests_of_contact
from grappe.projects.services import workflow as workflow_services

router = Router(tags=["projects"])

ACTION_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class SessionRef(Schema):
    slug: str
    name: str


class PartnerOut(Schema):
    name: str
    role: str
    role_label: str
    kind: str
    kind_label: str
    country: str
    in_territory: bool
    budget: Decimal | None = Field(None, description="Confidential: for those allowed only.")
    requested_aid: Decimal | None = Field(None, description="Confidential.")
    obtained_aid: Decimal | None = Field(None, description="Confidential.")


class DocumentOut(Schema):
    title: str
    kind: str
    size: int
    url: str = Field(description="Download (for those allowed; the page checks again).")


class CertificateRef(Schema):
    number: str
    kind: str
    issued_at: dt.datetime
    revoked: bool
    verify_url: str


class ProjectSummary(Schema):
    id: int
    acronym: str
    title: str
    summary_public: str
    scheme: str
    scheme_label: str
    session: SessionRef
    decision: str
    decided_at: dt.datetime | None
    status: str | None = Field(None, description="For the file's contacts, staff and experts.")
    status_label: str | None = None


class ProjectDetail(ProjectSummary):
    stage: str
    duration_months: int
    trl_start: int
    trl_target: int
    competences: list[str] = Field(description="Codes of its technologies and markets.")
    partners: list[PartnerOut]
    certificate: CertificateRef | None = None
    # Confidential: present only for those allowed to read them.
    description: str | None = None
    total_budget: Decimal | None = None
    currency: str | None = None
    impact_jobs: int | None = None
    impact_turnover: Decimal | None = None
    impact_export_share: Decimal | None = None
    impact_environment: str | None = None
    reservations: str | None = None
    decision_text: str | None = None
    documents: list[DocumentOut] | None = None


class ProjectPage(PageOut):
    items: list[ProjectSummary]


class ProjectFilters(PageQuery):
    mine: bool = Field(False, description="Only the files I am a contact of.")
    q: str = Field("", description="Words of the acronym, title or public summary.")
    technology: str = Field("", description="Code of a technology.")
    market: str = Field("", description="Code of an application market.")
    year: int | None = Field(None, description="Year of the label.")
    scheme: FundingScheme | None = None
    status: RequestStatus | None = Field(None, description="Staff and `mine` only.")


class SessionOut(Schema):
    slug: str
    name: str
    name_fr: str
    name_en: str
    schemes: list[str]
    opens_at: dt.datetime
    submission_deadline: dt.datetime
    review_deadline: dt.date
    committee_date: dt.date
    is_open: bool
    url: str


class VerificationOut(Schema):
    valid: bool
    revoked_at: dt.datetime | None
    number: str
    kind: str
    kind_label: str
    issued_at: dt.datetime
    acronym: str
    title: str
    session: str
    decision: str
    decision_label: str
    partners: list[str]


def _summary(file: LabellingRequest, *, insider: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": file.pk,
        "acronym": file.project.acronym,
        "title": file.title,
        "summary_public": file.summary_public,
        "scheme": file.scheme,
        "scheme_label": file.get_scheme_display(),
        "session": {"slug": file.session.slug, "name": file.session.name},
        "decision": file.decision,
        "decided_at": file.decided_at,
    }
    if insider:
        out |= {"status": file.status, "status_label": file.get_status_display()}
    return out


def _list_queryset(request: HttpRequest, filters: ProjectFilters) -> tuple[QuerySet[Any], bool]:
    """The files the caller lists, and whether they see them as insiders (status)."""
    user = request.user
    if filters.mine:
        if not getattr(user, "is_authenticated", False):
            raise ApiError(401, "not_authenticated", "")
        qs = requests_of_contact(user)
    elif is_staff(user):
        qs = request_queryset().order_by("-created_at")
    else:
        qs = public_requests(
            q=filters.q,
            technology=filters.technology,
            market=filters.market,
            year=filters.year,
            scheme=filters.scheme or "",
        )
        return qs, False
    if filters.q:
        qs = qs.filter(Q(project__acronym__icontains=filters.q) | Q(title__icontains=filters.q))
    if filters.technology:
        qs = qs.filter(competences__code=filters.technology).distinct()
    if filters.market:
        qs = qs.filter(competences__code=filters.market).distinct()
    if filters.year:
        qs = qs.filter(decided_at__year=filters.year)
    if filters.scheme:
        qs = qs.filter(scheme=filters.scheme)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs, True


@router.get(
    "/projects",
    response={200: ProjectPage, 401: ErrorOut, 422: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    exclude_unset=True,
    summary="Labelled projects (everyone); every file (staff); my files (`mine=true`)",
)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> dict[str, Any]:
    qs, insider = _list_queryset(request, filters)
    result = paginate(qs, page=filters.page, per_page=filters.per_page)
    result["items"] = [_summary(file, insider=insider) for file in result["items"]]
    return result


@router.get(
    "/projects/mine",
    response={200: ProjectPage, 401: ErrorOut, 422: ErrorOut},
    auth=AUTHENTICATED,
    summary="The files I am a contact of",
)
def project_mine(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    result = paginate(
        requests_of_contact(request.user), page=filters.page, per_page=filters.per_page
    )
    result["items"] = [_summary(file, insider=True) for file in result["items"]]
    return result


@router.get(
    "/projects/sessions",
    response={200: list[SessionOut], 401: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    summary="The labelling sessions (calls), latest deadline first",
)
def session_list(request: HttpRequest) -> list[dict[str, Any]]:
    now = timezone.now()
    sessions = LabellingSession.objects.order_by("-submission_deadline")[:100]
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "name_fr": s.name_fr,
            "name_en": s.name_en,
            "schemes": list(s.schemes or []),
            "opens_at": s.opens_at,
            "submission_deadline": s.submission_deadline,
            "review_deadline": s.review_deadline,
            "committee_date": s.committee_date,
            "is_open": s.opens_at <= now <= s.submission_deadline,
            "url": s.get_absolute_url(),
        }
        for s in sessions
    ]


def _visible_file(request: HttpRequest, request_id: int) -> tuple[LabellingRequest, bool]:
    """The file and whether the caller sees it from inside (else only its public face)."""
    file = (
        request_queryset()
        .prefetch_related(
            Prefetch("partners", queryset=Partner.objects.order_by("position", "id")),
            "competences",
        )
        .filter(pk=request_id)
        .first()
    )
    if file is None:
        raise ApiError(404, "not_found", "")
    if permissions.can_view_request(request.user, file):
        return file, True
    if permissions.is_public_request(file):
        return file, False
    raise ApiError(404, "not_found", "")


def _certificate(file: LabellingRequest) -> dict[str, Any] | None:
    certificate = getattr(file, "certificate", None)
    if certificate is None:
        return None
    return {
        "number": certificate.number,
        "kind": certificate.kind,
        "issued_at": certificate.issued_at,
        "revoked": certificate.revoked_at is not None,
        "verify_url": reverse("projects:verify", kwargs={"token": certificate.token}),
    }


def _detail(request: HttpRequest, file: LabellingRequest, insider: bool) -> dict[str, Any]:
    confidential = insider and permissions.can_view_confidential(request.user, file)
    partners = list(file.partners.all())
    if not insider:
        partners = [p for p in partners if p.role != PartnerRole.SUBCONTRACTOR]
    out = _summary(file, insider=insider) | {
        "stage": file.stage,
        "duration_months": file.duration_months,
        "trl_start": file.trl_start,
        "trl_target": file.trl_target,
        "competences": sorted(c.code for c in file.competences.all()),
        "partners": [_partner(p, confidential) for p in partners],
        "certificate": _certificate(file),
    }
    if confidential:
        out |= {
            "description": file.description,
            "total_budget": file.total_budget,
            "currency": "EUR",
            "impact_jobs": file.impact_jobs,
            "impact_turnover": file.impact_turnover,
            "impact_export_share": file.impact_export_share,
            "impact_environment": file.impact_environment,
            "reservations": file.reservations,
            "decision_text": file.decision_text,
            "documents": [
                {
                    "title": d.title,
                    "kind": d.kind,
                    "size": d.size,
                    "url": reverse(
                        "projects:document_download",
                        kwargs={"pk": file.pk, "document_pk": d.pk},
                    ),
                }
                for d in file.documents.all()
            ],
        }
    elif insider:
        out |= {"reservations": file.reservations, "decision_text": file.decision_text}
    return out


def _partner(partner: Partner, confidential: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": partner.name,
        "role": partner.role,
        "role_label": partner.get_role_display(),
        "kind": partner.kind,
        "kind_label": partner.get_kind_display(),
        "country": partner.country,
        "in_territory": partner.in_territory,
    }
    if confidential:
        out |= {
            "budget": partner.budget,
            "requested_aid": partner.requested_aid,
            "obtained_aid": partner.obtained_aid,
        }
    return out


@router.get(
    "/projects/{int:request_id}",
    response={200: ProjectDetail, 401: ErrorOut, 404: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    exclude_unset=True,
    summary="One file: its public face, or all of it for those allowed",
)
def project_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    file, insider = _visible_file(request, request_id)
    return _detail(request, file, insider)


@router.post(
    "/projects/{int:request_id}/submit",
    response={200: ProjectDetail, **ACTION_ERRORS},
    auth=AUTHENTICATED,
    exclude_unset=True,
    summary="Submit the draft (its contacts): every broken rule is listed",
)
def project_submit(request: HttpRequest, request_id: int) -> dict[str, Any]:
    file, insider = _visible_file(request, request_id)
    require(insider and permissions.is_contact(request.user, file),
            permissions.edit_refusal(request.user, file))  # fmt: skip
    with conflict_when(file.status != RequestStatus.DRAFT):
        workflow_services.request_submit(actor=request.user, request=file)
    file, insider = _visible_file(request, request_id)
    return _detail(request, file, insider)


@router.get(
    "/projects/verify/{uuid:token}",
    response={200: VerificationOut, 404: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    summary="Check a certificate by the token of its public address",
)
def certificate_verify(request: HttpRequest, token: uuid.UUID) -> dict[str, Any]:
    certificate = (
        Certificate.objects.select_related("request__project", "request__session")
        .filter(token=token)
        .first()
    )
    if certificate is None:
        raise ApiError(404, "not_found", "")
    file = certificate.request
    partners = (
        file.partners.exclude(role=PartnerRole.SUBCONTRACTOR)
        .order_by("position", "id")
        .values_list("name", flat=True)
    )
    return {
        "valid": certificate.revoked_at is None,
        "revoked_at": certificate.revoked_at,
        "number": certificate.number,
        "kind": certificate.kind,
        "kind_label": certificate.get_kind_display(),
        "issued_at": certificate.issued_at,
        "acronym": file.project.acronym,
        "title": file.title,
        "session": file.session.name,
        "decision": file.decision,
        "decision_label": file.get_decision_display(),
        "partners": list(partners),
    }
