"""Reviews on the session's grid (draft, submit, lock, weighted score, the last review
completing the file), who reads whose review, and the reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.projects.models import (
    AssignmentStatus,
    RequestStatus,
    Review,
    ReviewStatus,
)
from grappe.projects.selectors.experts import other_reviews
from grappe.projects.services.reviews import (
    review_save,
    review_save_and_submit,
    review_submit,
    reviews_send_reminders,
)
from grappe.projects.tests.factories import AssignmentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages in English (the site's default is French): the asserts read the msgids."""
    with translation.override("en"):
        yield


A = AssignmentStatus
NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
# The factories' grid: roadmap 1, innovation 2 (eliminatory < 2), consortium 1, market 2
# (eliminatory < 2), feasibility 1, territory 1, environment 1: 9 in all.
CODES = ["roadmap", "innovation", "consortium", "market", "feasibility", "territory", "environment"]


@pytest.fixture
def accepted(eworld):
    return AssignmentFactory(
        request=eworld.a,
        expert=eworld.experts["laser_pro"],
        status=A.ACCEPTED,
        due_on=eworld.session.review_deadline,
    )


def full(**overrides):
    scores = dict(zip(CODES, [4, 5, 3, 4, 3, 2, 3], strict=True))
    values = {
        "scores": scores,
        "comments": {"innovation": "Architecture originale."},
        "recommendation": "labelled",
        "text_to_applicant": "Projet solide.",
        "note_to_committee": "Le partenaire industriel est fragile.",
    }
    values.update(overrides)
    return values


def test_a_draft_may_be_partial(accepted):
    # when the expert saves two scores and a comment
    review = review_save(
        actor=accepted.expert.user,
        assignment=accepted,
        scores={"roadmap": 4, "innovation": "5"},
        comments={"innovation": "Architecture originale."},
        now=NOW,
    )
    # then the draft holds them, without a weighted score yet
    assert review.status == ReviewStatus.DRAFT
    assert review.weighted_score is None
    assert dict(review.scores.values_list("criterion__code", "score")) == {
        "roadmap": 4, "innovation": 5,
    }  # fmt: skip
    assert review.scores.get(criterion__code="innovation").comment == "Architecture originale."
    assert audit_for(review).get().action == "review.save"


@pytest.mark.parametrize(
    ("scores", "comments", "errors"),
    [
        ({"roadmap": 6}, {}, {"score_roadmap": ["Give a whole score from 0 to 5."]}),
        ({"roadmap": "2.5"}, {}, {"score_roadmap": ["Give a whole score from 0 to 5."]}),
        ({"budget": 3}, {}, {"scores": ["Not a criterion of this session's grid: budget."]}),
        ({}, {"market": "Flou"}, {"score_market": ["Give a score to go with the comment."]}),
    ],
)
def test_bad_scores_are_refused_naming_the_criterion(accepted, scores, comments, errors):
    # when the expert saves a bad value
    with pytest.raises(ValidationError) as refusal:
        review_save(
            actor=accepted.expert.user, assignment=accepted, scores=scores, comments=comments
        )
    # then the field is named and nothing is saved
    assert refusal.value.message_dict == errors
    assert not Review.objects.exists()


def test_submitting_an_incomplete_review_names_what_is_missing(accepted):
    # given a draft with one score
    review_save(actor=accepted.expert.user, assignment=accepted, scores={"roadmap": 3})
    # when the expert submits it
    with pytest.raises(ValidationError) as refusal:
        review_submit(actor=accepted.expert.user, assignment=accepted)
    # then each missing line is named, and the draft stays a draft
    assert refusal.value.message_dict == {
        **{f"score_{code}": ["Score this criterion."] for code in CODES[1:]},
        "recommendation": ["Give your recommendation to the committee."],
        "text_to_applicant": ["Write the text for the applicant."],
    }
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_a_submitted_review_is_locked_with_its_weighted_score(accepted):
    # when the expert saves and submits a complete review
    review = review_save_and_submit(
        actor=accepted.expert.user, assignment=accepted, now=NOW, **full()
    )
    # then it is submitted, with the weighted score Σ w·s / Σ w = (4+10+3+8+3+2+3)/9 = 33/9
    assert (review.status, review.submitted_at) == (ReviewStatus.SUBMITTED, NOW)
    assert review.weighted_score == Decimal("3.67")
    # and it can no longer be changed
    with pytest.raises(ValidationError) as refusal:
        review_save(actor=accepted.expert.user, assignment=accepted, **full(scores={"roadmap": 0}))
    assert refusal.value.message_dict == {
        "status": ["Your review was submitted: it can no longer be changed."]
    }
    assert Review.objects.get().scores.get(criterion__code="roadmap").score == 4


def test_a_refused_submission_keeps_the_previous_draft(accepted):
    # given a draft
    review_save(actor=accepted.expert.user, assignment=accepted, scores={"roadmap": 3})
    # when the expert submits a form without a text for the applicant
    with pytest.raises(ValidationError):
        review_save_and_submit(
            actor=accepted.expert.user, assignment=accepted, **full(text_to_applicant="")
        )
    # then the draft is as it was
    review = Review.objects.get()
    assert dict(review.scores.values_list("criterion__code", "score")) == {"roadmap": 3}


def test_only_the_assigned_expert_writes_the_review(accepted, eworld):
    # when another expert writes on this assignment
    with pytest.raises(PermissionDenied):
        review_save(actor=eworld.experts["generalist"].user, assignment=accepted, **full())
    # then nothing is saved
    assert not Review.objects.exists()


def test_an_invitation_not_accepted_cannot_be_reviewed(accepted):
    # given the invitation is not accepted yet
    accepted.status = A.INVITED
    accepted.save()
    # when the expert writes the review
    with pytest.raises(ValidationError) as refusal:
        review_save(actor=accepted.expert.user, assignment=accepted, **full())
    # then they are told to accept first
    assert refusal.value.message_dict == {
        "status": ["Accept the invitation before you write the review."]
    }
    assert not Review.objects.exists()


def test_a_conflicted_expert_cannot_review(accepted, eworld):
    # given the expert now works for A's coordinator
    accepted.expert.employer = eworld.a.project.lead
    accepted.expert.save()
    # when they write the review
    with pytest.raises(ValidationError) as refusal:
        review_save(actor=accepted.expert.user, assignment=accepted, **full())
    # then the conflict is the reason
    assert refusal.value.message_dict == {
        "status": [
            f"You are in conflict with this file: Employer {eworld.a.project.lead.name} is a "
            "partner of the consortium."
        ]
    }
    assert not Review.objects.exists()


def test_the_last_review_completes_the_files_reviews(accepted, eworld):
    # given a second expert on A whose review is in
    ReviewFactory(
        assignment=AssignmentFactory(
            request=eworld.a, expert=eworld.experts["generalist"], status=A.ACCEPTED
        )
    )
    # when the first expert submits theirs
    review_save_and_submit(actor=accepted.expert.user, assignment=accepted, now=NOW, **full())
    # then the file's reviews are complete (the workflow's move, by this expert)
    eworld.a.refresh_from_db()
    assert eworld.a.status == RequestStatus.REVIEWS_COMPLETE
    assert audit_for(eworld.a).get(action="request.reviews_complete").actor == accepted.expert.user


def test_a_review_still_awaited_keeps_the_file_under_review(accepted, eworld):
    # given a second expert invited and not answered yet
    AssignmentFactory(request=eworld.a, expert=eworld.experts["generalist"], status=A.INVITED)
    # when the first expert submits
    review_save_and_submit(actor=accepted.expert.user, assignment=accepted, now=NOW, **full())
    # then the file stays under review
    eworld.a.refresh_from_db()
    assert eworld.a.status == RequestStatus.UNDER_REVIEW


def test_other_reviews_are_read_only_after_ones_own(accepted, eworld):
    # given the generalist's review of A is in
    theirs = ReviewFactory(
        assignment=AssignmentFactory(
            request=eworld.a, expert=eworld.experts["generalist"], status=A.ACCEPTED
        )
    )
    AssignmentFactory(request=eworld.b, expert=accepted.expert, status=A.ACCEPTED)
    user = accepted.expert.user
    # then before their own review the laser expert reads none
    assert other_reviews(user, accepted) == []
    # and after submitting, they read the generalist's (and only reviews of this file)
    review_save_and_submit(actor=user, assignment=accepted, now=NOW, **full())
    accepted.refresh_from_db()
    assert other_reviews(user, accepted) == [theirs]


# --- reminders -------------------------------------------------------------------------------


def test_reminders_go_for_old_invitations_and_close_or_late_reviews(
    eworld, django_capture_on_commit_callbacks
):
    # given, on 2 March: an invitation of 26 February (4 days), one of 1 March (1 day),
    # a review due on 8 March, one due on 20 March, one overdue and one submitted
    today = NOW.date()
    laser, imaging = eworld.experts["laser_pro"], eworld.experts["imaging_pro"]
    old = AssignmentFactory(
        request=eworld.a, expert=laser, status=A.INVITED, invited_at=NOW - dt.timedelta(days=4),
        due_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    AssignmentFactory(
        request=eworld.b, expert=laser, status=A.INVITED, invited_at=NOW - dt.timedelta(days=1),
        due_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    soon = AssignmentFactory(
        request=eworld.a, expert=imaging, status=A.ACCEPTED, due_on=today + dt.timedelta(days=6)
    )
    AssignmentFactory(
        request=eworld.b, expert=eworld.experts["generalist"], status=A.ACCEPTED,
        due_on=today + dt.timedelta(days=18),
    )  # fmt: skip
    late = AssignmentFactory(
        request=eworld.b, expert=imaging, status=A.ACCEPTED, due_on=today - dt.timedelta(days=2)
    )
    done = AssignmentFactory(
        request=eworld.a, expert=eworld.experts["laser_branch"], status=A.ACCEPTED,
        due_on=today - dt.timedelta(days=2),
    )  # fmt: skip
    ReviewFactory(assignment=done)
    # when the reminders run
    with django_capture_on_commit_callbacks(execute=True):
        sent = reviews_send_reminders(now=NOW)
    # then one mail goes to each of the two experts concerned
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([laser.user.email, imaging.user.email])
    imaging_mail = next(m for m in mail.outbox if m.to == [imaging.user.email])
    assert f"/projects/assignments/{soon.pk}/review/" in imaging_mail.body
    assert f"/projects/assignments/{late.pk}/review/" in imaging_mail.body
    assert eworld.a.title not in imaging_mail.body
    # and exactly those three assignments carry the reminder's time
    reminded = set(
        AssignmentFactory._meta.model.objects.filter(reminded_at=NOW).values_list("pk", flat=True)
    )
    assert reminded == {old.pk, soon.pk, late.pk}


def test_a_reminder_is_not_sent_twice_within_three_days(eworld):
    # given a review due tomorrow, reminded two days ago
    AssignmentFactory(
        request=eworld.a, expert=eworld.experts["laser_pro"], status=A.ACCEPTED,
        due_on=NOW.date() + dt.timedelta(days=1), reminded_at=NOW - dt.timedelta(days=2),
    )  # fmt: skip
    # when the reminders run, nothing is sent; a day later, it is
    assert reviews_send_reminders(now=NOW) == 0
    assert reviews_send_reminders(now=NOW + dt.timedelta(days=1, minutes=1)) == 1


def test_the_reminder_command_runs_the_service(eworld, capsys):
    # given an overdue review
    AssignmentFactory(
        request=eworld.a, expert=eworld.experts["laser_pro"], status=A.ACCEPTED,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    # when cron runs the command
    call_command("projects_remind")
    # then it says how many experts were reminded
    assert capsys.readouterr().out.strip() == "1 expert reminded."
