"""Reviews on the session's grid: a score 0–5 and a comment per criterion, a recommendation,
a text for the applicant and a confidential note to the committee. The expert saves a draft
as often as they like, then submits: a submitted review is locked. When the last accepted
review of a file is in, the file's reviews are marked complete (the workflow's service)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.projects import permissions
from grappe.projects.conflicts import conflicts_for
from grappe.projects.models import (
    Assignment,
    AssignmentStatus,
    Criterion,
    Decision,
    RequestStatus,
    Review,
    ReviewScore,
    ReviewStatus,
)
from grappe.projects.services.assignments import ASSIGNABLE

MAX_SCORE = 5
A = AssignmentStatus


def weighted_score(criteria: list[Criterion], scores: Mapping[int, int]) -> Decimal | None:
    """Σ weight × score / Σ weight over the grid, to 0.01; None until every line is scored."""
    if not criteria or any(c.pk not in scores for c in criteria):
        return None
    weights = sum((c.weight for c in criteria), Decimal(0))
    total = sum((c.weight * scores[c.pk] for c in criteria), Decimal(0))
    return (total / weights).quantize(Decimal("0.01"))


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("request__session", "request__project", "expert__user")
        .get(pk=assignment.pk)
    )


def _check_writer(actor: Any, assignment: Assignment, now: dt.datetime) -> None:
    require(
        permissions.can_view_assignment(actor, assignment),
        _("Only the expert of this assignment may write its review."),
    )
    refusal = permissions.review_refusal(actor, assignment)
    if refusal:
        raise ValidationError({"status": refusal})
    found = conflicts_for([assignment.expert], [assignment.request], today=now.date())[
        (assignment.expert_id, assignment.request_id)
    ]
    if found:
        raise ValidationError(
            {
                "status": _("You are in conflict with this file: %(reasons)s")
                % {"reasons": " ".join(c.reason for c in found)}
            }
        )


def _parse_scores(
    criteria: list[Criterion],
    scores: Mapping[str, Any],
    comments: Mapping[str, str],
) -> dict[int, tuple[int, str]]:
    """{criterion id: (score, comment)} from values keyed by criterion code."""
    by_code = {c.code: c for c in criteria}
    errors: dict[str, str] = {}
    unknown = sorted((set(scores) | set(comments)) - set(by_code))
    if unknown:
        errors["scores"] = _("Not a criterion of this session's grid: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    parsed: dict[int, tuple[int, str]] = {}
    for code, criterion in by_code.items():
        raw = scores.get(code)
        comment = (comments.get(code) or "").strip()
        if raw is None or raw == "":
            if comment:
                errors[f"score_{code}"] = _("Give a score to go with the comment.")
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        if isinstance(raw, bool) or not 0 <= value <= MAX_SCORE or str(raw).strip() != str(value):
            errors[f"score_{code}"] = _("Give a whole score from 0 to 5.")
            continue
        parsed[criterion.pk] = (value, comment)
    if errors:
        raise ValidationError(errors)
    return parsed


def review_save(
    *,
    actor: Any,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    recommendation: str = "",
    text_to_applicant: str = "",
    note_to_committee: str = "",
    now: dt.datetime | None = None,
) -> Review:
    """Save the expert's draft (scores and comments keyed by criterion code; any may be
    missing in a draft)."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked(assignment)
        _check_writer(actor, assignment, now)
        criteria = list(assignment.request.session.criteria.all())
        parsed = _parse_scores(criteria, scores, comments or {})
        if recommendation and recommendation not in Decision.values:
            raise ValidationError({"recommendation": _("Choose a recommendation from the list.")})
        review, _created = Review.objects.get_or_create(assignment=assignment)
        before = {**snapshot(review), "scores": _score_map(review)}
        review.recommendation = recommendation
        review.text_to_applicant = (text_to_applicant or "").strip()
        review.note_to_committee = (note_to_committee or "").strip()
        review.weighted_score = weighted_score(
            criteria, {pk: value for pk, (value, _c) in parsed.items()}
        )
        review.save()
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion_id=pk, score=value, comment=comment)
            for pk, (value, comment) in parsed.items()
        )
        audit_record(
            actor=actor,
            obj=review,
            action="review.save",
            before=before,
            after={**snapshot(review), "scores": _score_map(review)},
        )
    return review


def _score_map(review: Review) -> dict[str, int]:
    if review.pk is None:
        return {}
    return dict(review.scores.values_list("criterion__code", "score"))


def review_submit(*, actor: Any, assignment: Assignment, now: dt.datetime | None = None) -> Review:
    """Submit the saved review: every criterion scored, a recommendation and a text for the
    applicant. It is then locked; the last review of a file completes the file's reviews."""
    now = now or timezone.now()
    with transaction.atomic():
        assignment = _locked(assignment)
        _check_writer(actor, assignment, now)
        review = Review.objects.filter(assignment=assignment).first()
        criteria = list(assignment.request.session.criteria.all())
        scored = set(review.scores.values_list("criterion_id", flat=True)) if review else set()
        errors: dict[str, str] = {
            f"score_{c.code}": _("Score this criterion.") for c in criteria if c.pk not in scored
        }
        if review is None or not review.recommendation:
            errors["recommendation"] = _("Give your recommendation to the committee.")
        if review is None or not review.text_to_applicant:
            errors["text_to_applicant"] = _("Write the text for the applicant.")
        if errors:
            raise ValidationError(errors)
        assert review is not None
        before = snapshot(review)
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = now
        review.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(actor=actor, obj=review, action="review.submit", before=before)
        _complete_if_last(actor, assignment, now)
    return review


def _complete_if_last(actor: Any, assignment: Assignment, now: dt.datetime) -> None:
    request = assignment.request
    if request.status != RequestStatus.UNDER_REVIEW:
        return
    accepted = Assignment.objects.filter(request=request, status=AssignmentStatus.ACCEPTED)
    waiting = accepted.exclude(review__status=ReviewStatus.SUBMITTED).exists()
    # Invitations not answered yet are still awaited as well.
    invited = Assignment.objects.filter(request=request, status=AssignmentStatus.INVITED).exists()
    if waiting or invited:
        return
    from grappe.projects.services.workflow import request_mark_reviews_complete

    request_mark_reviews_complete(actor=actor, request=request, now=now)


def review_save_and_submit(
    *,
    actor: Any,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    recommendation: str = "",
    text_to_applicant: str = "",
    note_to_committee: str = "",
    now: dt.datetime | None = None,
) -> Review:
    """Both in one transaction: a refused submission leaves the previous draft as it was."""
    with transaction.atomic():
        review_save(
            actor=actor,
            assignment=assignment,
            scores=scores,
            comments=comments,
            recommendation=recommendation,
            text_to_applicant=text_to_applicant,
            note_to_committee=note_to_committee,
            now=now,
        )
        return review_submit(actor=actor, assignment=assignment, now=now)


# --- reminders ------------------------------------------------------------------------------


INVITATION_REMINDER_AFTER = dt.timedelta(days=3)
REVIEW_REMINDER_BEFORE = dt.timedelta(days=7)
REMINDER_INTERVAL = dt.timedelta(days=3)


def reviews_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind experts of what they owe: invitations unanswered for 3 days, reviews due within
    7 days or overdue. Never twice within 3 days for one assignment. One mail per expert.
    Returns the number of mails sent. For cron: `manage.py projects_remind`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    recent = Q(reminded_at__isnull=False, reminded_at__gt=now - REMINDER_INTERVAL)
    owed = (
        Assignment.objects.filter(request__status__in=ASSIGNABLE)
        .filter(
            Q(status=A.INVITED, invited_at__lte=now - INVITATION_REMINDER_AFTER)
            | (
                Q(status=A.ACCEPTED, due_on__lte=today + REVIEW_REMINDER_BEFORE)
                & ~Q(review__status=ReviewStatus.SUBMITTED)
            )
        )
        .exclude(recent)
        .filter(expert__user__is_active=True)
        .select_related("expert__user", "request__session", "request__project")
        .order_by("expert_id", "due_on", "id")
    )
    by_expert: dict[int, list[Assignment]] = defaultdict(list)
    with transaction.atomic():
        for assignment in owed.select_for_update(of=("self",)):
            by_expert[assignment.expert_id].append(assignment)
        for items in by_expert.values():
            user = items[0].expert.user
            mail_after_commit(
                to=[user.email],
                template="projects_review_reminder",
                context={
                    "recipient": user,
                    "invitations": [a for a in items if a.status == A.INVITED],
                    "reviews": [a for a in items if a.status == A.ACCEPTED],
                    "today": today,
                },
                language=user.language or "fr",
            )
            for assignment in items:
                before = snapshot(assignment, ["reminded_at"])
                assignment.reminded_at = now
                audit_record(
                    actor=None, obj=assignment, action="assignment.remind", before=before,
                    after=snapshot(assignment, ["reminded_at"]),
                )  # fmt: skip
        Assignment.objects.filter(
            pk__in=[a.pk for items in by_expert.values() for a in items]
        ).update(reminded_at=now)
    return len(by_expert)
