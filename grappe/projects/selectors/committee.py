"""The committee's page of a session: the agenda (files on the committee's agenda, then the
others for information) and, for each file, the experts' scores aggregated per criterion —
the mean, the spread (min–max and the standard deviation across experts), the eliminatory
flags — the weighted mean against the session's threshold, the recommendations and the
reviews. Only submitted reviews of accepted assignments count. Four queries."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from grappe.projects.models import (
    AssignmentStatus,
    Criterion,
    Decision,
    LabellingRequest,
    LabellingSession,
    RequestStatus,
    Review,
    ReviewScore,
    ReviewStatus,
)

TWO_PLACES = Decimal("0.01")


@dataclass
class CriterionAggregate:
    criterion: Criterion
    scores: list[int]

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> Decimal | None:
        if not self.scores:
            return None
        return (Decimal(sum(self.scores)) / len(self.scores)).quantize(TWO_PLACES)

    @property
    def minimum(self) -> int | None:
        return min(self.scores) if self.scores else None

    @property
    def maximum(self) -> int | None:
        return max(self.scores) if self.scores else None

    @property
    def stdev(self) -> Decimal | None:
        """The population standard deviation across the experts (0 with one expert)."""
        if not self.scores:
            return None
        mean = sum(self.scores) / len(self.scores)
        variance = sum((s - mean) ** 2 for s in self.scores) / len(self.scores)
        return Decimal(math.sqrt(variance)).quantize(TWO_PLACES)

    @property
    def eliminatory(self) -> bool:
        below = self.criterion.eliminatory_below
        mean = self.mean
        return below is not None and mean is not None and mean < below


@dataclass
class CommitteeReview:
    review: Review
    expert: str
    scores: dict[int, ReviewScore]  # by criterion id


@dataclass
class CommitteeFile:
    request: LabellingRequest
    aggregates: list[CriterionAggregate]
    reviews: list[CommitteeReview]
    expected: int  # accepted assignments
    threshold: Decimal

    @property
    def weighted_mean(self) -> Decimal | None:
        """Σ weight × mean / Σ weight over the grid, once every criterion has a score."""
        if not self.aggregates or any(a.mean is None for a in self.aggregates):
            return None
        weights = sum((a.criterion.weight for a in self.aggregates), Decimal(0))
        total = sum((a.criterion.weight * (a.mean or 0) for a in self.aggregates), Decimal(0))
        return (total / weights).quantize(TWO_PLACES)

    @property
    def eliminated_by(self) -> list[Criterion]:
        return [a.criterion for a in self.aggregates if a.eliminatory]

    @property
    def above_threshold(self) -> bool | None:
        mean = self.weighted_mean
        return None if mean is None else mean >= self.threshold

    @property
    def recommendations(self) -> list[tuple[str, str, int]]:
        """(decision, label, count) in the order of the decisions."""
        counts = Counter(r.review.recommendation for r in self.reviews)
        return [
            (value, str(label), counts[value]) for value, label in Decision.choices if counts[value]
        ]

    @property
    def missing_reviews(self) -> int:
        return max(0, self.expected - len(self.reviews))


@dataclass
class CommitteeBoard:
    session: LabellingSession
    criteria: list[Criterion]
    agenda: list[CommitteeFile] = field(default_factory=list)
    others: list[CommitteeFile] = field(default_factory=list)


def committee_board(session: LabellingSession) -> CommitteeBoard:
    criteria = list(session.criteria.order_by("position", "id"))
    requests = list(
        LabellingRequest.objects.filter(session=session)
        .exclude(status=RequestStatus.DRAFT)
        .select_related("project__lead")
        .annotate(
            accepted_count=Count(
                "assignments", filter=Q(assignments__status=AssignmentStatus.ACCEPTED)
            )
        )
        .order_by("project__acronym", "pk")
    )
    reviews = (
        Review.objects.filter(
            assignment__request__session=session,
            assignment__status=AssignmentStatus.ACCEPTED,
            status=ReviewStatus.SUBMITTED,
        )
        .select_related("assignment__expert__user")
        .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.order_by("criterion_id")))
        .order_by("submitted_at", "id")
    )
    by_request: dict[int, list[CommitteeReview]] = defaultdict(list)
    for review in reviews:
        by_request[review.assignment.request_id].append(
            CommitteeReview(
                review=review,
                expert=str(review.assignment.expert),
                scores={score.criterion_id: score for score in review.scores.all()},
            )
        )
    board = CommitteeBoard(session=session, criteria=criteria)
    for request in requests:
        file_reviews = by_request.get(request.pk, [])
        summary = CommitteeFile(
            request=request,
            aggregates=[
                CriterionAggregate(
                    criterion,
                    [
                        r.scores[criterion.pk].score
                        for r in file_reviews
                        if criterion.pk in r.scores
                    ],
                )
                for criterion in criteria
            ],
            reviews=file_reviews,
            expected=request.accepted_count,  # type: ignore[attr-defined]
            threshold=session.threshold,
        )
        if request.status == RequestStatus.COMMITTEE:
            board.agenda.append(summary)
        else:
            board.others.append(summary)
    return board
