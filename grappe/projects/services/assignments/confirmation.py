"""Confirmation: staff confirm proposals, which invites the experts (one, or the whole session's,
conflicts and loads checked again)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.projects.conflicts import Conflict, conflicts_for
from grappe.projects.models import Assignment, LabellingSession
from grappe.projects.services.assignments.common import ASSIGNABLE, A, _locked, _now, _staff
from grappe.projects.services.assignments.problem import session_loads


def _invite(actor: Any, assignment: Assignment, now: dt.datetime) -> None:
    before = snapshot(assignment)
    assignment.status = A.INVITED
    assignment.invited_at = now
    assignment.due_on = assignment.request.session.review_deadline
    assignment.save(update_fields=["status", "invited_at", "due_on", "updated_at"])
    audit_record(actor=actor, obj=assignment, action="assignment.invite", before=before)
    user = assignment.expert.user
    # No confidential content: the session and the date only; the file is read on the site.
    mail_after_commit(
        to=[user.email],
        template="projects_expert_invited",
        context={
            "assignment": assignment,
            "session": assignment.request.session,
            "recipient": user,
        },
        language=user.language or "fr",
    )


def _confirm_refusal(assignment: Assignment, found: list[Conflict], load: int) -> str:
    if assignment.request.status not in ASSIGNABLE:
        return _("The file is no longer under review.")
    if found:
        return _("In conflict with the file: %(reasons)s") % {
            "reasons": " ".join(c.reason for c in found)
        }
    if load > assignment.expert.load_limit:
        return _("Over the expert's load limit (%(limit)d files in this session).") % {
            "limit": assignment.expert.load_limit
        }
    return ""


def assignment_confirm(
    *, actor: Any, assignment: Assignment, now: dt.datetime | None = None
) -> Assignment:
    """Confirm one proposal: the expert is invited (mail in their language), due on the
    session's review deadline. Conflicts and load are checked again."""
    now = _now(now)
    with transaction.atomic():
        _staff(actor)
        assignment = _locked(assignment)
        if assignment.status != A.PROPOSED:
            raise ValidationError({"status": _("Only a proposal can be confirmed.")})
        session = assignment.request.session
        found = conflicts_for([assignment.expert], [assignment.request], today=now.date())[
            (assignment.expert_id, assignment.request_id)
        ]
        refusal = _confirm_refusal(assignment, found, session_loads(session)[assignment.expert_id])
        if refusal:
            raise ValidationError({"expert": refusal})
        _invite(actor, assignment, now)
    return assignment


@dataclass
class Confirmation:
    invited: list[Assignment] = field(default_factory=list)
    dropped: list[tuple[Assignment, str]] = field(default_factory=list)  # with the reason


def assignments_confirm(
    *, actor: Any, session: LabellingSession, now: dt.datetime | None = None
) -> Confirmation:
    """Confirm every proposal of the session. A proposal that became impossible (a conflict,
    a load over the limit, a file no longer under review) is dropped and reported."""
    now = _now(now)
    result = Confirmation()
    with transaction.atomic():
        _staff(actor)
        session = LabellingSession.objects.select_for_update().get(pk=session.pk)
        proposals = list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(request__session=session, status=A.PROPOSED)
            .select_related("request__session", "request__project", "expert__user")
            .order_by("request_id", "-match", "id")
        )
        if not proposals:
            raise ValidationError({"session": _("There is no proposal to confirm.")})
        found = conflicts_for(
            [a.expert for a in proposals], [a.request for a in proposals], today=now.date()
        )
        loads = session_loads(session)
        for assignment in proposals:
            refusal = _confirm_refusal(
                assignment, found[(assignment.expert_id, assignment.request_id)],
                loads[assignment.expert_id],
            )  # fmt: skip
            if refusal:
                loads[assignment.expert_id] -= 1
                audit_record(
                    actor=actor, obj=assignment, action="assignment.discard",
                    before=snapshot(assignment), after={"reason": refusal},
                )  # fmt: skip
                result.dropped.append((assignment, refusal))
                assignment.delete()
                continue
            _invite(actor, assignment, now)
            result.invited.append(assignment)
    return result
