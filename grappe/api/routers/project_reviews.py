"""The experts' side of the projects API (assignments and reviews) under /api/v1/projects: the
same services and permissions as the pages. An expert reads their assignments (with due
dates), accepts or declines them, reads and writes their review; staff read a session's
proposed assignments. Someone else's assignment answers 404 (its existence is not disclosed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from grappe.api.auth import AUTHENTICATED
from grappe.api.errors import ErrorOut, conflict_when
from grappe.api.pagination import PageOut, PageQuery, paginate
from grappe.core.permissions import require
from grappe.projects import permissions
from grappe.projects.models import (
    Assignment,
    AssignmentStatus,
    Decision,
    LabellingSession,
    Review,
)
from grappe.projects.selectors import experts as selectors
from grappe.projects.services import assignments as assignment_services
from grappe.projects.services import reviews as review_services

router = Router(tags=["project reviews"], auth=AUTHENTICATED)

ACTION_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
A = AssignmentStatus


class AssignmentOut(Schema):
    id: int
    request_id: int
    acronym: str | None = Field(description="Shown once the confidentiality agreement is accepted.")
    title: str | None = Field(description="Shown once the confidentiality agreement is accepted.")
    session_slug: str
    session_name: str
    status: str
    status_label: str
    due_on: dt.date | None
    overdue: bool
    invited_at: dt.datetime | None
    answered_at: dt.datetime | None
    decline_reason: str
    review_status: str = Field(description="'' (not started), 'draft' or 'submitted'.")


class AssignmentPage(PageOut):
    items: list[AssignmentOut]


class DeclineIn(Schema):
    reason: str = Field(..., max_length=300)


class ScoreIn(Schema):
    criterion: str = Field(..., description="The criterion's code in the session's grid.")
    score: int | None = Field(None, ge=0, le=5)
    comment: str = ""


class ReviewIn(Schema):
    scores: list[ScoreIn] = []
    recommendation: Decision | None = None
    text_to_applicant: str = ""
    note_to_committee: str = ""


class ScoreOut(Schema):
    criterion: str
    name: str
    weight: Decimal
    eliminatory_below: int | None
    score: int | None
    comment: str


class ReviewOut(Schema):
    assignment_id: int
    status: str = Field(description="'' (not started), 'draft' or 'submitted'.")
    scores: list[ScoreOut]
    recommendation: str
    text_to_applicant: str
    note_to_committee: str
    weighted_score: Decimal | None
    submitted_at: dt.datetime | None


class ProposalOut(Schema):
    id: int
    request_id: int
    acronym: str
    expert_id: int
    expert_name: str
    expert_email: str
    status: str
    source: str
    match: Decimal
    due_on: dt.date | None


class ProposalFilters(PageQuery):
    status: AssignmentStatus = AssignmentStatus.PROPOSED


class ProposalPage(PageOut):
    items: list[ProposalOut]


def assignment_out(assignment: Assignment) -> dict[str, Any]:
    shown = permissions.has_current_agreement(assignment.expert)
    review = getattr(assignment, "review", None)
    due = assignment.due_on
    return {
        "id": assignment.pk,
        "request_id": assignment.request_id,
        "acronym": assignment.request.project.acronym if shown else None,
        "title": assignment.request.title if shown else None,
        "session_slug": assignment.request.session.slug,
        "session_name": assignment.request.session.name,
        "status": assignment.status,
        "status_label": assignment.get_status_display(),
        "due_on": due,
        "overdue": bool(
            due
            and due < timezone.localdate()
            and assignment.status in (A.INVITED, A.ACCEPTED)
            and (review is None or review.status != "submitted")
        ),
        "invited_at": assignment.invited_at,
        "answered_at": assignment.answered_at,
        "decline_reason": assignment.decline_reason,
        "review_status": review.status if review is not None else "",
    }


def _mine(request: HttpRequest, assignment_id: int) -> Assignment:
    return selectors.expert_assignment(request.user, assignment_id)


def _fresh(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    return assignment_out(
        Assignment.objects.select_related(
            "request__project", "request__session", "expert", "review"
        ).get(pk=assignment_id)
    )


@router.get(
    "/projects/assignments",
    response={200: AssignmentPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="My assignments as an expert, with their due dates",
)
def assignment_list(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    require(
        permissions.expert_profile(request.user) is not None,
        _("This is for the cluster's experts."),
    )
    result = paginate(
        selectors.expert_assignments(request.user).select_related("expert"),
        page=filters.page,
        per_page=filters.per_page,
    )
    result["items"] = [assignment_out(a) for a in result["items"]]
    return result


@router.post(
    "/projects/assignments/{int:assignment_id}/accept",
    response={200: AssignmentOut, **ACTION_ERRORS},
    summary="Accept an invitation (the confidentiality agreement accepted, no conflict)",
)
def assignment_accept(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    assignment = _mine(request, assignment_id)
    with conflict_when(assignment.status != A.INVITED):
        assignment_services.assignment_accept(actor=request.user, assignment=assignment)
    return _fresh(request, assignment_id)


@router.post(
    "/projects/assignments/{int:assignment_id}/decline",
    response={200: AssignmentOut, **ACTION_ERRORS},
    summary="Decline an invitation, with the reason (another expert is proposed)",
)
def assignment_decline(
    request: HttpRequest, assignment_id: int, payload: DeclineIn
) -> dict[str, Any]:
    assignment = _mine(request, assignment_id)
    with conflict_when(not permissions.can_decline_assignment(request.user, assignment)):
        assignment_services.assignment_decline(
            actor=request.user, assignment=assignment, reason=payload.reason
        )
    return _fresh(request, assignment_id)


def review_out(assignment: Assignment) -> dict[str, Any]:
    review: Review | None = selectors.review_of(assignment)
    scores = {s.criterion_id: s for s in review.scores.all()} if review else {}
    criteria = assignment.request.session.criteria.order_by("position", "id")
    return {
        "assignment_id": assignment.pk,
        "status": review.status if review else "",
        "scores": [
            {
                "criterion": c.code,
                "name": c.name,
                "weight": c.weight,
                "eliminatory_below": c.eliminatory_below,
                "score": scores[c.pk].score if c.pk in scores else None,
                "comment": scores[c.pk].comment if c.pk in scores else "",
            }
            for c in criteria
        ],
        "recommendation": review.recommendation if review else "",
        "text_to_applicant": review.text_to_applicant if review else "",
        "note_to_committee": review.note_to_committee if review else "",
        "weighted_score": review.weighted_score if review else None,
        "submitted_at": review.submitted_at if review else None,
    }


def _readable(request: HttpRequest, assignment_id: int) -> Assignment:
    assignment = _mine(request, assignment_id)
    require(
        permissions.can_view_own_review(request.user, assignment),
        permissions.review_refusal(request.user, assignment) or _("You may not review this file."),
    )
    return assignment


@router.get(
    "/projects/assignments/{int:assignment_id}/review",
    response={200: ReviewOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="My review of this file (the grid, with my scores so far)",
)
def review_detail(request: HttpRequest, assignment_id: int) -> dict[str, Any]:
    return review_out(_readable(request, assignment_id))


def _service_values(payload: ReviewIn) -> dict[str, Any]:
    return {
        "scores": {s.criterion: s.score for s in payload.scores},
        "comments": {s.criterion: s.comment for s in payload.scores},
        "recommendation": payload.recommendation or "",
        "text_to_applicant": payload.text_to_applicant,
        "note_to_committee": payload.note_to_committee,
    }


@router.post(
    "/projects/assignments/{int:assignment_id}/review",
    response={200: ReviewOut, **ACTION_ERRORS},
    summary="Save my review as a draft (any score may be missing)",
)
def review_save(request: HttpRequest, assignment_id: int, payload: ReviewIn) -> dict[str, Any]:
    assignment = _readable(request, assignment_id)
    with conflict_when(not permissions.can_write_review(request.user, assignment)):
        review_services.review_save(
            actor=request.user, assignment=assignment, **_service_values(payload)
        )
    return review_out(assignment)


@router.post(
    "/projects/assignments/{int:assignment_id}/review/submit",
    response={200: ReviewOut, **ACTION_ERRORS},
    summary="Save and submit my review (every criterion, a recommendation, the text); then locked",
)
def review_submit(request: HttpRequest, assignment_id: int, payload: ReviewIn) -> dict[str, Any]:
    assignment = _readable(request, assignment_id)
    with conflict_when(not permissions.can_write_review(request.user, assignment)):
        review_services.review_save_and_submit(
            actor=request.user, assignment=assignment, **_service_values(payload)
        )
    return review_out(assignment)


@router.get(
    "/projects/sessions/{slug}/assignments",
    response={200: ProposalPage, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A session's assignments, the proposals by default (staff)",
)
def session_assignments(
    request: HttpRequest, slug: str, filters: Query[ProposalFilters]
) -> dict[str, Any]:
    require(permissions.can_manage_experts(request.user))
    session = get_object_or_404(LabellingSession, slug=slug)
    result = paginate(
        selectors.session_proposals(session, filters.status),
        page=filters.page,
        per_page=filters.per_page,
    )
    result["items"] = [
        {
            "id": a.pk,
            "request_id": a.request_id,
            "acronym": a.request.project.acronym,
            "expert_id": a.expert_id,
            "expert_name": str(a.expert),
            "expert_email": a.expert.user.email,
            "status": a.status,
            "source": a.source,
            "match": a.match,
            "due_on": a.due_on,
        }
        for a in result["items"]
    ]
    return result
