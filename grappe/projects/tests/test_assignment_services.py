"""Assignment services: the optimiser's proposals, assignments by hand, confirmation (the
invitations), the experts' answers, withdrawals and replacements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.core.models import AuditEntry
from grappe.members.tests.factories import UserFactory
from grappe.projects.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    ExpertExclusion,
    RequestStatus,
)
from grappe.projects.services import assignments as services
from grappe.projects.tests.factories import (
    AssignmentFactory,
    RequestFactory,
    ReviewFactory,
    tag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages in English (the site's default is French): the asserts read the msgids."""
    with translation.override("en"):
        yield


A = AssignmentStatus
NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))


@pytest.fixture
def clerk(db):
    return UserFactory(is_staff=True, first_name="Claire", language="fr")


def pairs(session) -> set[tuple[str, str]]:
    return {
        (a.request.project.acronym, a.expert.user.last_name)
        for a in Assignment.objects.filter(request__session=session).select_related(
            "request__project", "expert__user"
        )
    }


def test_staff_propose_the_optimal_assignment_respecting_conflicts(eworld, clerk):
    # given two files wanting two experts each and five experts, one in conflict with B
    # when staff ask the optimiser
    proposal = services.assignments_propose(actor=clerk, session=eworld.session, now=NOW)
    # then each file gets its best expert, and the second ones maximise the total match;
    # the conflicted expert is nowhere
    assert pairs(eworld.session) == {
        ("LASERA", "Laser"), ("LASERA", "Branche"), ("IMAGEB", "Imagerie"), ("IMAGEB", "Général"),
    }  # fmt: skip
    assert (proposal.threshold, proposal.total, proposal.min_best) == (1000, 2700, 1000)
    assert proposal.lacking == []
    created = Assignment.objects.filter(request__session=eworld.session)
    assert {(a.status, a.source, a.created_by_id) for a in created} == {
        (A.PROPOSED, AssignmentSource.OPTIMISER, clerk.pk)
    }
    assert sorted(a.match for a in created) == [
        Decimal("0.350"), Decimal("0.350"), Decimal("1.000"), Decimal("1.000"),
    ]  # fmt: skip
    # and nothing is sent before staff confirm; the proposal is in the session's audit trail
    assert mail.outbox == []
    entry = audit_for(eworld.session).get(action="assignments.propose")
    assert entry.actor == clerk
    assert entry.changes["total"] == [None, 2700]


def test_proposing_again_replaces_only_the_optimisers_proposals(eworld, clerk):
    # given a manual proposal and an earlier run of the optimiser
    manual = services.assignment_add(
        actor=clerk, request=eworld.a, expert=eworld.experts["generalist"], now=NOW
    )
    services.assignments_propose(actor=clerk, session=eworld.session, now=NOW)
    # when the optimiser runs again
    proposal = services.assignments_propose(actor=clerk, session=eworld.session, now=NOW)
    # then the manual proposal is kept and counts towards A's two experts (the generalist, with
    # room for four files, is also B's second expert)
    assert (proposal.discarded, len(proposal.created)) == (3, 3)
    assert Assignment.objects.filter(pk=manual.pk, source=AssignmentSource.MANUAL).exists()
    assert pairs(eworld.session) == {
        ("LASERA", "Laser"), ("LASERA", "Général"), ("IMAGEB", "Imagerie"), ("IMAGEB", "Général"),
    }  # fmt: skip


def test_files_lacking_experts_are_reported_with_the_reason(eworld, clerk):
    # given only two experts free of conflict with B can take it (the others are excluded)
    for name in ("laser_pro", "laser_branch", "generalist"):
        ExpertExclusion.objects.create(request=eworld.b, expert=eworld.experts[name], reason="x")
    eworld.session.experts_per_project = 3
    eworld.session.save()
    # when the optimiser runs
    proposal = services.assignments_propose(actor=clerk, session=eworld.session, now=NOW)
    # then B gets its one possible expert and the report says why two are missing
    assert [(lack.request.project.acronym, lack.missing, lack.reason) for lack in proposal.lacking] == [
        ("IMAGEB", 2, "Only 1 expert of the pool is free of conflict with this file.")
    ]  # fmt: skip


def test_only_staff_propose(eworld):
    # given an expert of the pool
    user = eworld.experts["laser_pro"].user
    # when they try to run the optimiser
    with pytest.raises(PermissionDenied):
        services.assignments_propose(actor=user, session=eworld.session, now=NOW)
    # then nothing is proposed and nothing audited
    assert not Assignment.objects.exists()
    assert not AuditEntry.objects.filter(action="assignments.propose").exists()


def test_a_session_without_a_file_under_review_is_refused(eworld, clerk):
    # given both files back to "submitted"
    eworld.session.requests.update(status=RequestStatus.SUBMITTED)
    # when staff ask for proposals
    with pytest.raises(ValidationError) as refusal:
        services.assignments_propose(actor=clerk, session=eworld.session, now=NOW)
    # then the session is named, and nothing is written
    assert refusal.value.message_dict == {
        "session": [
            "No file of this session is under review: start the review of the admissible "
            "files first."
        ]
    }
    assert not Assignment.objects.exists()


def test_a_conflicted_expert_cannot_be_assigned_by_hand(eworld, clerk):
    # given the expert employed by B's coordinator
    expert = eworld.experts["conflicted"]
    # when staff pick them for B
    with pytest.raises(ValidationError) as refusal:
        services.assignment_add(actor=clerk, request=eworld.b, expert=expert, now=NOW)
    # then the reason names the employer, and nothing is written
    assert refusal.value.message_dict == {
        "expert": [
            f"{expert} is in conflict with this file: Employer {eworld.b_lead.name} is a "
            "partner of the consortium."
        ]
    }
    assert not Assignment.objects.exists()


def test_an_expert_at_the_load_limit_cannot_be_assigned_by_hand(eworld, clerk):
    # given an expert taking one file per session, already on A
    expert = eworld.experts["generalist"]
    expert.load_limit = 1
    expert.save()
    AssignmentFactory(request=eworld.a, expert=expert, status=A.INVITED)
    # when staff pick them for B as well
    with pytest.raises(ValidationError) as refusal:
        services.assignment_add(actor=clerk, request=eworld.b, expert=expert, now=NOW)
    # then the load is the reason, and B has no assignment
    assert refusal.value.message_dict == {
        "expert": [f"{expert} already has 1 files in this session (limit 1)."]
    }
    assert not eworld.b.assignments.exists()


def test_a_file_with_its_experts_gets_no_more(eworld, clerk):
    # given A has its two experts
    AssignmentFactory(request=eworld.a, expert=eworld.experts["laser_pro"], status=A.ACCEPTED)
    AssignmentFactory(request=eworld.a, expert=eworld.experts["laser_branch"], status=A.INVITED)
    # when staff add a third
    with pytest.raises(ValidationError) as refusal:
        services.assignment_add(
            actor=clerk, request=eworld.a, expert=eworld.experts["generalist"], now=NOW
        )
    # then it is refused
    assert refusal.value.message_dict == {"request": ["This file already has its 2 experts."]}
    assert eworld.a.assignments.count() == 2


def test_an_assignment_by_hand_is_a_proposal_with_its_match(eworld, clerk):
    # when staff pick the generalist for A
    assignment = services.assignment_add(
        actor=clerk, request=eworld.a, expert=eworld.experts["generalist"], now=NOW
    )
    # then it waits for confirmation, with its match and an audit row
    assert (assignment.status, assignment.source, assignment.match) == (
        A.PROPOSED, AssignmentSource.MANUAL, Decimal("0.350"),
    )  # fmt: skip
    assert audit_for(assignment).get().action == "assignment.add"


def test_confirming_invites_the_expert_in_their_language_without_confidential_content(
    eworld, clerk, django_capture_on_commit_callbacks
):
    # given a proposal for an English-speaking expert
    expert = eworld.experts["laser_pro"]
    expert.user.language = "en"
    expert.user.save()
    proposal = services.assignment_add(actor=clerk, request=eworld.a, expert=expert, now=NOW)
    # when staff confirm it
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_confirm(actor=clerk, assignment=proposal, now=NOW)
    # then the expert is invited, due on the session's review deadline
    proposal.refresh_from_db()
    assert (proposal.status, proposal.invited_at, proposal.due_on) == (
        A.INVITED, NOW, eworld.session.review_deadline,
    )  # fmt: skip
    # and the mail is in English, with the link, and nothing of the file itself
    (message,) = mail.outbox
    assert message.to == [expert.user.email]
    assert message.subject == f"Invitation to review a project file – {eworld.session.name_en}"
    assert f"/projects/assignments/{proposal.pk}/" in message.body
    for secret in (eworld.a.title, eworld.a.description, eworld.a.project.acronym):
        assert secret not in message.body


def test_confirming_all_drops_a_proposal_now_in_conflict(eworld, clerk):
    # given the optimiser's proposals, then the applicant excludes one of B's experts
    services.assignments_propose(actor=clerk, session=eworld.session, now=NOW)
    ExpertExclusion.objects.create(
        request=eworld.b, expert=eworld.experts["generalist"], reason="Concurrent"
    )
    # when staff confirm every proposal
    result = services.assignments_confirm(actor=clerk, session=eworld.session, now=NOW)
    # then three invitations leave and the conflicted proposal is dropped with the reason
    assert len(result.invited) == 3
    assert [(a.expert.user.last_name, reason) for a, reason in result.dropped] == [
        (
            "Général",
            "In conflict with the file: The applicant asked that this expert not review the "
            "file: Concurrent",
        )
    ]
    assert set(Assignment.objects.values_list("status", flat=True)) == {A.INVITED}
    assert not Assignment.objects.filter(expert=eworld.experts["generalist"], request=eworld.b)


@pytest.fixture
def invited(eworld):
    return AssignmentFactory(
        request=eworld.a,
        expert=eworld.experts["laser_pro"],
        status=A.INVITED,
        invited_at=NOW,
        due_on=eworld.session.review_deadline,
    )


def test_accepting_needs_the_agreement(invited):
    # given the expert has not accepted the confidentiality agreement
    invited.expert.nda_accepted_at = None
    invited.expert.save()
    # when they accept the file
    with pytest.raises(ValidationError) as refusal:
        services.assignment_accept(actor=invited.expert.user, assignment=invited, now=NOW)
    # then they are told to accept the agreement first, and nothing changes
    assert refusal.value.message_dict == {
        "agreement": ["Accept the confidentiality agreement before you accept a file."]
    }
    invited.refresh_from_db()
    assert (invited.status, invited.answered_at) == (A.INVITED, None)


def test_accepting_checks_the_conflicts_again(invited):
    # given the applicant excluded the expert after the invitation
    ExpertExclusion.objects.create(request=invited.request, expert=invited.expert, reason="Rival")
    # when the expert accepts
    with pytest.raises(ValidationError) as refusal:
        services.assignment_accept(actor=invited.expert.user, assignment=invited, now=NOW)
    # then the conflict is the reason, and nothing changes
    assert refusal.value.message_dict == {
        "assignment": [
            "You cannot accept this file: The applicant asked that this expert not review the "
            "file: Rival Decline it, or declare the conflict."
        ]
    }
    invited.refresh_from_db()
    assert invited.status == A.INVITED


def test_another_user_cannot_answer(invited, eworld):
    # given another expert of the pool
    other = eworld.experts["imaging_pro"].user
    # when they accept someone else's invitation
    with pytest.raises(PermissionDenied):
        services.assignment_accept(actor=other, assignment=invited, now=NOW)
    # then nothing changes
    invited.refresh_from_db()
    assert invited.status == A.INVITED


def test_the_expert_accepts(invited):
    # when the invited expert accepts
    services.assignment_accept(actor=invited.expert.user, assignment=invited, now=NOW)
    # then the file is theirs, with the time of the answer and an audit row
    invited.refresh_from_db()
    assert (invited.status, invited.answered_at) == (A.ACCEPTED, NOW)
    assert audit_for(invited).get().action == "assignment.accept"


def test_declining_needs_a_reason(invited):
    # when the expert declines without a word
    with pytest.raises(ValidationError) as refusal:
        services.assignment_decline(
            actor=invited.expert.user, assignment=invited, reason="  ", now=NOW
        )
    # then the reason is asked for, and nothing changes (no replacement either)
    assert refusal.value.message_dict == {
        "reason": ["Say why you decline, for the cluster's team."]
    }
    assert Assignment.objects.get() == invited
    assert Assignment.objects.get().status == A.INVITED


def test_declining_brings_a_replacement_and_tells_staff(
    invited, clerk, django_capture_on_commit_callbacks
):
    # given the laser expert invited to A
    # when they decline
    with django_capture_on_commit_callbacks(execute=True):
        declined, replacement = services.assignment_decline(
            actor=invited.expert.user, assignment=invited, reason="Trop chargé ce mois-ci", now=NOW
        )
    # then the assignment is declined with the reason
    assert (declined.status, declined.decline_reason, declined.answered_at) == (
        A.DECLINED, "Trop chargé ce mois-ci", NOW,
    )  # fmt: skip
    # and the best available expert for A is proposed (the branch and the generalist tie at
    # 0.350; either is optimal), for staff to confirm
    assert replacement is not None
    assert replacement.expert.user.last_name in {"Branche", "Général"}
    assert (replacement.status, replacement.source, replacement.match) == (
        A.PROPOSED, AssignmentSource.REPLACEMENT, Decimal("0.350"),
    )  # fmt: skip
    # and staff are told in their language, with the replacement named
    (message,) = mail.outbox
    assert message.to == [clerk.email]
    assert message.subject == f"{invited.expert} a décliné LASERA"
    assert str(replacement.expert) in message.body


def test_declining_when_nobody_can_replace(invited, clerk, eworld):
    # given every other expert is unavailable
    for name in ("laser_branch", "imaging_pro", "generalist", "conflicted"):
        eworld.experts[name].is_active = False
        eworld.experts[name].save()
    # when the expert declines
    _declined, replacement = services.assignment_decline(
        actor=invited.expert.user, assignment=invited, reason="Indisponible", now=NOW
    )
    # then there is no replacement proposal
    assert replacement is None
    assert Assignment.objects.filter(status=A.PROPOSED).count() == 0


def test_an_expert_who_declined_is_not_proposed_again(invited, clerk, eworld):
    # given the laser expert declined A
    services.assignment_decline(
        actor=invited.expert.user, assignment=invited, reason="Indisponible", now=NOW
    )
    Assignment.objects.filter(status=A.PROPOSED).delete()
    # when the optimiser runs
    services.assignments_propose(actor=clerk, session=eworld.session, now=NOW)
    # then A gets two other experts; the laser expert's only row on A is the declined one
    assert list(
        Assignment.objects.filter(request=eworld.a, expert=invited.expert).values_list(
            "status", flat=True
        )
    ) == [A.DECLINED]
    assert Assignment.objects.filter(request=eworld.a, status=A.PROPOSED).count() == 2


def test_a_submitted_review_cannot_be_declined(invited):
    # given the expert accepted and submitted the review
    invited.status = A.ACCEPTED
    invited.save()
    ReviewFactory(assignment=invited)
    # when they decline
    with pytest.raises(ValidationError) as refusal:
        services.assignment_decline(
            actor=invited.expert.user, assignment=invited, reason="Oups", now=NOW
        )
    # then it is refused
    assert refusal.value.message_dict == {
        "status": ["This assignment can no longer be declined: the review is in."]
    }
    invited.refresh_from_db()
    assert invited.status == A.ACCEPTED


def test_staff_withdraw_tells_the_expert_and_propose_a_replacement(
    invited, clerk, django_capture_on_commit_callbacks
):
    # when staff withdraw the invitation
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn, replacement = services.assignment_withdraw(
            actor=clerk, assignment=invited, reason="Dossier réattribué", now=NOW
        )
    # then the expert loses it, is told why, and a replacement is proposed
    assert (withdrawn.status, withdrawn.decline_reason) == (A.WITHDRAWN, "Dossier réattribué")
    assert replacement is not None and replacement.source == AssignmentSource.REPLACEMENT
    (message,) = mail.outbox
    assert message.to == [invited.expert.user.email]
    assert "Dossier réattribué" in message.body
    assert eworld_secret_free(message.body, invited.request)


def eworld_secret_free(body: str, request) -> bool:
    return request.description not in body and request.title not in body


def test_a_proposal_can_be_discarded_but_not_an_invitation(invited, clerk, eworld):
    # given a proposal
    proposal = services.assignment_add(
        actor=clerk, request=eworld.b, expert=eworld.experts["imaging_pro"], now=NOW
    )
    # when staff discard it, it is gone; an invitation cannot be discarded
    services.assignment_discard(actor=clerk, assignment=proposal)
    assert not Assignment.objects.filter(pk=proposal.pk).exists()
    with pytest.raises(ValidationError):
        services.assignment_discard(actor=clerk, assignment=invited)
    assert Assignment.objects.filter(pk=invited.pk, status=A.INVITED).exists()


def test_loads_count_live_assignments_of_the_session_only(eworld, clerk):
    # given the generalist (limit 1) reviewed a file of another session, and declined one here
    expert = eworld.experts["generalist"]
    expert.load_limit = 1
    expert.save()
    AssignmentFactory(request=RequestFactory(status=RequestStatus.UNDER_REVIEW), expert=expert)
    other_file = tag(
        RequestFactory(session=eworld.session, status=RequestStatus.UNDER_REVIEW),
        "tech.lasers",
    )
    AssignmentFactory(request=other_file, expert=expert, status=A.DECLINED)
    # when staff pick them for B
    assignment = services.assignment_add(actor=clerk, request=eworld.b, expert=expert, now=NOW)
    # then it is allowed: neither counts in this session's load
    assert assignment.status == A.PROPOSED
