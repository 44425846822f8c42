"""Reads of the experts' side: the pool, an expert's dashboard of what they owe, the staff's
assignment board of a session (files × experts, conflicts with reasons, loads), and the
reviews an expert may read. Each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grappe.members.models import Competence
from grappe.projects.conflicts import Conflict, conflicts_for
from grappe.projects.models import (
    LIVE_ASSIGNMENT,
    Assignment,
    AssignmentStatus,
    ExpertProfile,
    ExpertRelationship,
    LabellingRequest,
    LabellingSession,
    Review,
    ReviewScore,
    ReviewStatus,
)
from grappe.projects.permissions import (
    can_view_assignment,
    can_view_other_reviews,
    expert_profile,
    has_current_agreement,
)
from grappe.projects.services.assignments import (
    ASSIGNABLE,
    available_experts,
    match_scores,
    session_loads,
)

A = AssignmentStatus


def _current_competences() -> Prefetch[Any]:
    return Prefetch(
        "competences",
        queryset=Competence.objects.filter(version__is_current=True).order_by("facet", "code"),
    )


def expert_pool(
    *, query: str = "", kind: str = "", active: bool | None = None
) -> QuerySet[ExpertProfile]:
    """The pool for staff, with each expert's current load (live assignments on files under
    review) and competences."""
    experts = (
        ExpertProfile.objects.select_related("user", "employer")
        .prefetch_related(_current_competences())
        .annotate(
            live_count=Count(
                "assignments",
                filter=Q(
                    assignments__status__in=LIVE_ASSIGNMENT,
                    assignments__request__status__in=ASSIGNABLE,
                ),
            )
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )
    if query:
        experts = experts.filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(employer__name__icontains=query)
            | Q(competences__name_fr__icontains=query)
            | Q(competences__name_en__icontains=query)
        ).distinct()
    if kind:
        experts = experts.filter(kind=kind)
    if active is not None:
        experts = experts.filter(is_active=active)
    return experts


def expert_profile_detail(profile: ExpertProfile) -> ExpertProfile:
    return (
        ExpertProfile.objects.select_related("user", "employer")
        .prefetch_related(
            _current_competences(),
            Prefetch("relationships", queryset=_relationships()),
        )
        .get(pk=profile.pk)
    )


def _relationships() -> QuerySet[ExpertRelationship]:
    return ExpertRelationship.objects.select_related("organisation").order_by(
        "organisation__name", "kind"
    )


# --- the expert's dashboard ----------------------------------------------------------------


@dataclass
class Owed:
    assignment: Assignment
    kind: str  # "answer" (an invitation) or "review"
    due_on: dt.date | None
    overdue: bool
    days_left: int | None
    draft: bool = False


@dataclass
class ExpertDashboard:
    profile: ExpertProfile
    agreement: bool
    owed: list[Owed] = field(default_factory=list)
    done: list[Assignment] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.owed if item.overdue)


def expert_dashboard(user: Any, *, today: dt.date | None = None) -> ExpertDashboard | None:
    """What the expert owes and by when: invitations to answer and reviews to write, the
    overdue first, then by due date; and the reviews submitted. Two queries."""
    profile = expert_profile(user)
    if profile is None:
        return None
    today = today or timezone.localdate()
    assignments = (
        Assignment.objects.filter(expert=profile, status__in=(A.INVITED, A.ACCEPTED))
        .select_related("request__project", "request__session", "review")
        .order_by("due_on", "id")
    )
    dashboard = ExpertDashboard(profile=profile, agreement=has_current_agreement(profile))
    for assignment in assignments:
        review = getattr(assignment, "review", None)
        if review is not None and review.status == ReviewStatus.SUBMITTED:
            dashboard.done.append(assignment)
            continue
        if assignment.request.status not in ASSIGNABLE:
            continue  # the review round is over
        due = assignment.due_on
        dashboard.owed.append(
            Owed(
                assignment=assignment,
                kind="answer" if assignment.status == A.INVITED else "review",
                due_on=due,
                overdue=due is not None and due < today,
                days_left=(due - today).days if due is not None else None,
                draft=review is not None,
            )
        )
    dashboard.owed.sort(
        key=lambda o: (not o.overdue, o.due_on or dt.date.max, o.kind != "answer", o.assignment.pk)
    )
    return dashboard


def expert_assignment(user: Any, pk: int) -> Assignment:
    """One of the user's own assignments (invited or later), else 404: its existence is not
    disclosed to anyone else."""
    assignment = (
        Assignment.objects.select_related(
            "request__project__lead", "request__session", "expert__user", "expert__employer"
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None or not can_view_assignment(user, assignment):
        raise Http404
    return assignment


def assignment_partners(assignment: Assignment) -> list[str]:
    """The consortium's names: what an invited expert needs to spot a conflict."""
    return list(
        assignment.request.partners.order_by("position", "id").values_list("name", flat=True)
    )


def review_of(assignment: Assignment) -> Review | None:
    return (
        Review.objects.filter(assignment=assignment)
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=ReviewScore.objects.select_related("criterion").order_by(
                    "criterion__position", "criterion_id"
                ),
            )
        )
        .first()
    )


def other_reviews(user: Any, assignment: Assignment) -> list[Review]:
    """The other experts' submitted reviews of the same file, once the user's own is in
    (empty otherwise). Without their confidential notes to the committee (the template does
    not show them) and without names."""
    if not can_view_other_reviews(user, assignment):
        return []
    return list(
        Review.objects.filter(
            assignment__request_id=assignment.request_id,
            assignment__status=A.ACCEPTED,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(assignment=assignment)
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=ReviewScore.objects.select_related("criterion").order_by(
                    "criterion__position", "criterion_id"
                ),
            )
        )
        .order_by("submitted_at", "id")
    )


# --- the staff's assignment board of a session -----------------------------------------------


@dataclass
class Cell:
    expert: ExpertProfile
    score: int
    conflicts: list[Conflict]
    assignment: Assignment | None
    load: int

    @property
    def match(self) -> str:
        return f"{self.score / 1000:.2f}"

    @property
    def free(self) -> bool:
        """May be added by hand: no conflict, not on the file already, load under the limit."""
        return not self.conflicts and self.assignment is None and self.load < self.expert.load_limit


@dataclass
class FileRow:
    request: LabellingRequest
    assignments: list[Assignment]
    cells: list[Cell]
    wanted: int

    @property
    def live(self) -> int:
        return sum(1 for a in self.assignments if a.status in LIVE_ASSIGNMENT)

    @property
    def conflicted(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.conflicts]

    @property
    def candidates(self) -> list[Cell]:
        return sorted(
            (cell for cell in self.cells if cell.free),
            key=lambda c: (-c.score, str(c.expert)),
        )

    @property
    def assigned_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.assignment is not None]


@dataclass
class ExpertLoad:
    expert: ExpertProfile
    load: int
    proposed: int

    @property
    def full(self) -> bool:
        return self.load >= self.expert.load_limit


@dataclass
class SessionBoard:
    session: LabellingSession
    experts: list[ExpertProfile]
    rows: list[FileRow]
    loads: list[ExpertLoad]

    @property
    def proposals(self) -> int:
        return sum(1 for row in self.rows for a in row.assignments if a.status == A.PROPOSED)

    @property
    def short(self) -> list[FileRow]:
        return [row for row in self.rows if row.live < row.wanted]


def session_board(session: LabellingSession, *, today: dt.date | None = None) -> SessionBoard:
    """Every file under review (or with assignments) × every expert of the pool: match,
    conflicts with their reasons, assignments and loads. A fixed number of queries."""
    today = today or timezone.localdate()
    assignments = list(
        Assignment.objects.filter(request__session=session)
        .select_related("expert__user", "expert__employer", "review")
        .order_by("request_id", "id")
    )
    requests = list(
        LabellingRequest.objects.filter(
            Q(status__in=ASSIGNABLE) | Q(pk__in={a.request_id for a in assignments}),
            session=session,
        )
        .select_related("project")
        .order_by("project__acronym", "pk")
    )
    experts = {e.pk: e for e in available_experts()}
    for assignment in assignments:  # experts since withdrawn from the pool
        experts.setdefault(assignment.expert_id, assignment.expert)
    pool = sorted(experts.values(), key=lambda e: (str(e).lower(), e.pk))
    conflicts = conflicts_for(pool, requests, today=today)
    scores = match_scores([r.pk for r in requests], [e.pk for e in pool])
    loads = session_loads(session)
    by_pair = {(a.request_id, a.expert_id): a for a in assignments}
    by_request: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_request[assignment.request_id].append(assignment)
    rows = [
        FileRow(
            request=request,
            assignments=by_request.get(request.pk, []),
            cells=[
                Cell(
                    expert=expert,
                    score=scores[(request.pk, expert.pk)],
                    conflicts=conflicts[(expert.pk, request.pk)],
                    assignment=by_pair.get((request.pk, expert.pk)),
                    load=loads[expert.pk],
                )
                for expert in pool
            ],
            wanted=session.experts_per_project,
        )
        for request in requests
    ]
    proposed: dict[int, int] = defaultdict(int)
    for assignment in assignments:
        if assignment.status == A.PROPOSED:
            proposed[assignment.expert_id] += 1
    return SessionBoard(
        session=session,
        experts=pool,
        rows=rows,
        loads=[ExpertLoad(e, loads[e.pk], proposed[e.pk]) for e in pool],
    )


def session_proposals(session: LabellingSession, status: str = "") -> QuerySet[Assignment]:
    """A session's assignments (the proposals by default) for the API."""
    return (
        Assignment.objects.filter(request__session=session, status=status or A.PROPOSED)
        .select_related("request__project", "expert__user", "expert__employer")
        .order_by("request__project__acronym", "-match", "id")
    )


def expert_assignments(user: Any) -> QuerySet[Assignment]:
    """The user's own assignments (never the proposals), newest session first."""
    profile = expert_profile(user)
    if profile is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(expert=profile)
        .exclude(status=A.PROPOSED)
        .select_related("request__project", "request__session", "review")
        .order_by("-request__session__committee_date", "due_on", "id")
    )
