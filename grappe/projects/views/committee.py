"""The committee's page of a session: the agenda with each file's aggregated scores, spread,
eliminatory flags, recommendations and reviews, and the decision form (to the workflow's
`projects:request_decide`) for those who decide: staff and the committee's chair."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from grappe.core.permissions import is_staff
from grappe.projects import permissions
from grappe.projects.models import CommitteeMember, CommitteeRole, Decision, LabellingSession
from grappe.projects.selectors.committee import committee_board
from grappe.projects.views.file_helpers import login_first, refused


@login_first
def committee(request: HttpRequest, slug: str) -> HttpResponse:
    session = get_object_or_404(LabellingSession, slug=slug)
    if not permissions.can_view_committee(request.user, session):
        return refused(
            request, _("This page is for the cluster's staff and the session's committee.")
        )
    seat = CommitteeMember.objects.filter(session=session, user_id=request.user.pk or 0).first()
    return render(
        request,
        "projects/committee/board.html",
        {
            "call": session,
            "board": committee_board(session),
            # Deciding is for staff and the chair (the workflow checks it again on posting).
            "may_decide": is_staff(request.user)
            or (seat is not None and seat.role == CommitteeRole.CHAIR),
            "seat": seat,
            "decisions": Decision.choices,
        },
    )
