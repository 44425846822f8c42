"""Memberships: staff list, read and decide them (the same services as the back office);
an organisation's administrators read their own organisation's memberships."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from grappe.api.auth import AUTHENTICATED
from grappe.api.errors import ErrorOut, conflict_when
from grappe.api.pagination import PageOut, PageQuery, paginate
from grappe.core.permissions import is_staff, require
from grappe.members import services
from grappe.members.models import DecisionBody, Membership, MembershipStatus, Organisation
from grappe.members.permissions import can_decide_membership, can_view_memberships
from grappe.members.selectors import membership_list, organisation_memberships
from grappe.members.services.memberships import ENDINGS, TRANSITIONS

router = Router(tags=["memberships"], auth=AUTHENTICATED)

ACTION_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class InvoiceRef(Schema):
    number: str
    status: str
    amount_gross: Decimal


class MembershipOut(Schema):
    id: int
    organisation_slug: str
    organisation_name: str
    year: int
    status: str
    status_label: str
    start: dt.date
    end: dt.date
    college: str
    band_label: str
    fee_full: Decimal
    fee: Decimal
    currency: str
    months: int
    applied_at: dt.datetime | None
    motivation: str
    decided_at: dt.datetime | None
    decision_body: str
    decision_note: str
    ended_at: dt.date | None
    end_reason: str
    renewal_of: int | None
    invoice: InvoiceRef | None


class MembershipFilters(PageQuery):
    year: int | None = None
    status: MembershipStatus | None = None
    organisation: str = Field("", description="Slug of the organisation.")


class MembershipPage(PageOut):
    items: list[MembershipOut]


class ApproveIn(Schema):
    body: DecisionBody = DecisionBody.STAFF
    note: str = ""
    decided_at: dt.datetime | None = None


class RefuseIn(Schema):
    note: str = ""


class EndIn(Schema):
    status: str
    on: dt.date | None = None
    reason: str = ""


def membership_out(membership: Membership) -> dict[str, Any]:
    invoice = getattr(membership, "invoice", None)
    return {
        "id": membership.pk,
        "organisation_slug": membership.organisation.slug,
        "organisation_name": membership.organisation.name,
        "year": membership.year,
        "status": membership.status,
        "status_label": membership.get_status_display(),
        "start": membership.start,
        "end": membership.end,
        "college": membership.college,
        "band_label": membership.band_label,
        "fee_full": membership.fee_full,
        "fee": membership.fee,
        "currency": "EUR",
        "months": membership.months,
        "applied_at": membership.applied_at,
        "motivation": membership.motivation,
        "decided_at": membership.decided_at,
        "decision_body": membership.decision_body,
        "decision_note": membership.decision_note,
        "ended_at": membership.ended_at,
        "end_reason": membership.end_reason,
        "renewal_of": membership.renewal_of_id,
        "invoice": (
            {
                "number": invoice.number,
                "status": invoice.status,
                "amount_gross": invoice.amount_gross,
            }
            if invoice
            else None
        ),
    }


def _page_out(memberships: Any, filters: PageQuery) -> dict[str, Any]:
    result = paginate(memberships, page=filters.page, per_page=filters.per_page)
    result["items"] = [membership_out(m) for m in result["items"]]
    return result


@router.get(
    "/memberships",
    response={200: MembershipPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Memberships (staff)",
)
def membership_index(request: HttpRequest, filters: Query[MembershipFilters]) -> dict[str, Any]:
    require(is_staff(request.user))
    memberships = membership_list(status=filters.status or "", year=filters.year)
    if filters.organisation:
        memberships = memberships.filter(organisation__slug=filters.organisation)
    return _page_out(memberships, filters)


def _membership(membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation", "invoice"), pk=membership_id
    )


@router.get(
    "/memberships/{int:membership_id}",
    response={200: MembershipOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="One membership (staff)",
)
def membership_detail(request: HttpRequest, membership_id: int) -> dict[str, Any]:
    require(is_staff(request.user))
    return membership_out(_membership(membership_id))


@router.post(
    "/memberships/{int:membership_id}/approve",
    response={200: MembershipOut, **ACTION_ERRORS},
    summary="Admit the organisation (issues the invoice)",
)
def membership_approve(
    request: HttpRequest, membership_id: int, payload: ApproveIn
) -> dict[str, Any]:
    require(can_decide_membership(request.user))
    membership = _membership(membership_id)
    with conflict_when(MembershipStatus.APPROVED not in TRANSITIONS[membership.status]):
        services.membership_approve(
            actor=request.user,
            membership=membership,
            body=payload.body,
            note=payload.note,
            decided_at=payload.decided_at,
        )
    return membership_out(_membership(membership_id))


@router.post(
    "/memberships/{int:membership_id}/refuse",
    response={200: MembershipOut, **ACTION_ERRORS},
    summary="Refuse the application (the note is sent to the organisation)",
)
def membership_refuse(
    request: HttpRequest, membership_id: int, payload: RefuseIn
) -> dict[str, Any]:
    require(can_decide_membership(request.user))
    membership = _membership(membership_id)
    with conflict_when(MembershipStatus.REFUSED not in TRANSITIONS[membership.status]):
        services.membership_refuse(actor=request.user, membership=membership, note=payload.note)
    return membership_out(_membership(membership_id))


@router.post(
    "/memberships/{int:membership_id}/activate",
    response={200: MembershipOut, **ACTION_ERRORS},
    summary="Make an approved membership active",
)
def membership_activate(request: HttpRequest, membership_id: int) -> dict[str, Any]:
    require(can_decide_membership(request.user))
    membership = _membership(membership_id)
    with conflict_when(MembershipStatus.ACTIVE not in TRANSITIONS[membership.status]):
        services.membership_activate(actor=request.user, membership=membership)
    return membership_out(_membership(membership_id))


@router.post(
    "/memberships/{int:membership_id}/end",
    response={200: MembershipOut, **ACTION_ERRORS},
    summary="End a membership: lapsed, resigned or excluded",
)
def membership_end(request: HttpRequest, membership_id: int, payload: EndIn) -> dict[str, Any]:
    require(can_decide_membership(request.user))
    membership = _membership(membership_id)
    conflict = payload.status in ENDINGS and payload.status not in TRANSITIONS[membership.status]
    with conflict_when(conflict):
        services.membership_end(
            actor=request.user,
            membership=membership,
            status=payload.status,
            on=payload.on,
            reason=payload.reason,
        )
    return membership_out(_membership(membership_id))


@router.get(
    "/organisations/{slug}/memberships",
    response={200: MembershipPage, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="An organisation's memberships (staff and its administrators)",
)
def organisation_membership_list(
    request: HttpRequest, slug: str, filters: Query[PageQuery]
) -> dict[str, Any]:
    organisation = get_object_or_404(Organisation, slug=slug)
    require(can_view_memberships(request.user, organisation))
    memberships = organisation_memberships(organisation).select_related("organisation")
    return _page_out(memberships, filters)
