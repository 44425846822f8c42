"""The labelling workflow: every move of the table, by every role allowed and refused, from
every status where it does not apply; each move audited and mailed to the contacts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.members.tests.factories import UserFactory
from grappe.projects import workflow
from grappe.projects.models import (
    AssignmentStatus,
    Certificate,
    CommitteeMember,
    CommitteeRole,
    Decision,
    LabellingRequest,
    Partner,
    RequestStatus,
    Review,
    ReviewStatus,
)
from grappe.projects.permissions import role_refusal
from grappe.projects.services.workflow import SERVICES
from grappe.projects.tests.conftest import PROJECT_ROLES
from grappe.projects.tests.factories import AssignmentFactory, ExpertFactory, PartnerFactory

S = RequestStatus
ROLE_OF = {  # the world's user who holds each workflow role
    workflow.CONTACT: "consortium_contact",
    workflow.STAFF: "staff",
    workflow.EXPERT: "assigned_expert",
    workflow.CHAIR: "chair",
}
ALL_ROLES = [*PROJECT_ROLES, "chair"]


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (mail goes out in each recipient's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def flow(lworld, monkeypatch):
    """The world's file, made submittable, with a chair and a submitted review."""
    request = lworld.request
    PartnerFactory(request=request)  # a second independent company: PSPC-eligible
    chair = UserFactory()
    CommitteeMember.objects.create(session=lworld.session, user=chair, role=CommitteeRole.CHAIR)
    assignment = request.assignments.get()
    Review.objects.create(
        assignment=assignment, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    lworld.users["chair"] = chair
    # The certificate mailed as an attachment is rendered in the worker: not here.
    monkeypatch.setattr(
        "grappe.projects.services.certificates.certificate_pdf",
        lambda certificate, language="fr": b"%PDF-1.4 test",
    )
    return lworld


def _at(request: LabellingRequest, status: str) -> LabellingRequest:
    """Put the file in `status`, with what that status implies (a decision)."""
    fields: dict[str, Any] = {"status": status}
    if status in workflow.DECISIONS:
        fields |= {"decision": status, "decided_at": timezone.now()}
    elif status in (S.CERTIFICATE_ISSUED, S.SUBMITTED_TO_FUNDER, *workflow.OUTCOMES, S.CLOSED):
        fields |= {"decision": Decision.LABELLED, "decided_at": timezone.now()}
    LabellingRequest.objects.filter(pk=request.pk).update(**fields)
    return LabellingRequest.objects.get(pk=request.pk)


def _call(service: str, actor: Any, request: LabellingRequest, target: str) -> LabellingRequest:
    kwargs: dict[str, Any] = {"actor": actor or AnonymousUser(), "request": request}
    if service in ("request_reopen", "request_declare_inadmissible", "request_withdraw"):
        kwargs["reason"] = "Le budget des partenaires est à revoir."
    if service == "request_decide":
        kwargs["decision"] = target
        if target == Decision.LABELLED_RESERVATIONS:
            kwargs["reservations"] = "Préciser l'accord de consortium."
        if target in (Decision.DEFERRED, Decision.REJECTED):
            kwargs["decision_text"] = "Le marché visé reste à démontrer."
    if service == "request_submitted_to_funder":
        kwargs |= {"reference": "BPI-2026-0042", "submitted_on": timezone.localdate()}
    if service == "request_record_outcome":
        kwargs["outcome"] = target
        if target == S.FUNDED:
            kwargs["obtained"] = {p.pk: "100000.00" for p in request.partners.all()}
    return SERVICES[service](**kwargs)


ALLOWED = [
    pytest.param(t, role, id=f"{t.source}->{t.target} by {role}")
    for t in workflow.TRANSITIONS
    for role in sorted(t.roles)
]


@pytest.mark.parametrize(("transition", "role"), ALLOWED)
def test_each_move_is_made_by_each_role_allowed(
    flow, transition, role, django_capture_on_commit_callbacks
):
    # given the file in the move's source status
    request = _at(flow.request, transition.source)
    actor = flow.users[ROLE_OF[role]]
    # when someone of an allowed role makes the move
    with django_capture_on_commit_callbacks(execute=True):
        moved = _call(transition.service, actor, request, transition.target)
    # then the file has moved, the move is audited and the contact is told
    request.refresh_from_db()
    assert moved.status == request.status == transition.target
    entry = audit_for(request).first()
    assert entry is not None
    assert entry.actor == actor
    assert entry.changes["status"] == [transition.source, transition.target]
    assert [m.to for m in mail.outbox] == [[flow.users["consortium_contact"].email]]


REFUSED = [
    pytest.param(t, role, id=f"{t.source}->{t.target} by {role}")
    for t in workflow.TRANSITIONS
    for role in ALL_ROLES
    if role not in {ROLE_OF[r] for r in t.roles}
]


@pytest.mark.parametrize(("transition", "role"), REFUSED)
def test_each_move_is_refused_to_every_other_role(
    flow, transition, role, django_capture_on_commit_callbacks
):
    # given the file in the move's source status
    request = _at(flow.request, transition.source)
    before = LabellingRequest.objects.filter(pk=request.pk).values().get()
    # when someone without an allowed role tries it
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied) as refusal,
    ):
        _call(transition.service, flow.users[role], request, transition.target)
    # then the reason is given and nothing changed: no row, no audit, no mail
    assert str(refusal.value) == role_refusal(transition.roles)
    assert LabellingRequest.objects.filter(pk=request.pk).values().get() == before
    assert not audit_for(request).exists()
    assert not Certificate.objects.exists()
    assert mail.outbox == []


def _actor_role(service: str) -> str:
    return "consortium_contact" if service == "request_submit" else "staff"


WRONG_STATUS = [
    pytest.param(service, status, id=f"{service} from {status}")
    for service in SERVICES
    for status in S.values
    if status not in workflow.sources_of(service)
]


@pytest.mark.parametrize(("service", "status"), WRONG_STATUS)
def test_a_move_from_a_status_that_does_not_allow_it_is_refused(flow, service, status):
    # given the file in a status the move does not start from
    request = _at(flow.request, status)
    target = next(t.target for t in workflow.TRANSITIONS if t.service == service)
    before = LabellingRequest.objects.filter(pk=request.pk).values().get()
    # when an allowed role tries it
    with pytest.raises(ValidationError) as refusal:
        _call(service, flow.users[_actor_role(service)], request, target)
    # then the status is named and nothing changed
    assert list(refusal.value.message_dict) == ["status"]
    assert LabellingRequest.objects.filter(pk=request.pk).values().get() == before
    assert not audit_for(request).exists()


# --- what each move checks and writes ----------------------------------------------------------


def test_submission_locks_the_file_and_records_who_and_when(flow):
    # given the world's file as a draft
    request = _at(flow.request, S.DRAFT)
    member = flow.users["consortium_contact"]
    now = timezone.now() - dt.timedelta(days=1)
    # when its contact submits it
    SERVICES["request_submit"](actor=member, request=request, now=now)
    # then who and when are recorded, and it can no longer be edited
    request.refresh_from_db()
    assert (request.status, request.submitted_by, request.submitted_at) == (
        S.SUBMITTED,
        member,
        now,
    )
    from grappe.projects.permissions import can_edit_request

    assert not can_edit_request(member, request)


def test_submission_is_refused_with_every_reason_and_nothing_changes(flow, settings):
    # given a draft whose budget does not add up, with one company only and no lab
    request = _at(flow.request, S.DRAFT)
    Partner.objects.filter(request=request, organisation=flow.lab).delete()
    Partner.objects.filter(request=request).exclude(role="coordinator").delete()
    # when its contact submits it
    with pytest.raises(ValidationError) as refusal:
        _call("request_submit", flow.users["consortium_contact"], request, S.SUBMITTED)
    # then every reason is listed, each on its field, and the file is still a draft
    assert refusal.value.message_dict == {
        "total_budget": [
            "The total budget (1500000.00 €) must equal the sum of the partners' budgets "
            "(500000.00 €)."
        ],
        "__all__": [
            "PSPC-Régions: at least 2 independent companies are needed; the consortium has 1 "
            "(partners of one group count once).",
            "PSPC-Régions: at least 1 lab or research body is needed; the consortium has 0.",
            "PSPC-Régions: no partner may carry more than 70 % of the budget; Lumière "
            "Marseille carries 100 %.",
        ],
    }
    request.refresh_from_db()
    assert (request.status, request.submitted_at) == (S.DRAFT, None)
    assert not audit_for(request).exists()


def test_submission_after_the_deadline_is_refused(flow):
    request = _at(flow.request, S.DRAFT)
    late = flow.session.submission_deadline + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as refusal:
        SERVICES["request_submit"](
            actor=flow.users["consortium_contact"], request=request, now=late
        )
    assert refusal.value.message_dict == {
        "session": ["The session's submission deadline has passed."]
    }


def test_a_decision_needs_its_texts(flow):
    request = _at(flow.request, S.COMMITTEE)
    staff = flow.users["staff"]
    decide = SERVICES["request_decide"]
    with pytest.raises(ValidationError) as refusal:
        decide(actor=staff, request=request, decision=Decision.LABELLED_RESERVATIONS)
    assert refusal.value.message_dict == {
        "reservations": ["State the reservations that go with the label."]
    }
    with pytest.raises(ValidationError) as refusal:
        decide(actor=staff, request=request, decision=Decision.REJECTED)
    assert refusal.value.message_dict == {
        "decision_text": ["Explain the decision to the applicant."]
    }
    with pytest.raises(ValidationError) as refusal:
        decide(actor=staff, request=request, decision="maybe")
    assert list(refusal.value.message_dict) == ["decision"]
    request.refresh_from_db()
    assert (request.status, request.decision) == (S.COMMITTEE, "")


def test_the_chair_of_another_session_may_not_decide(flow):
    from grappe.projects.tests.factories import SessionFactory

    other_chair = UserFactory()
    CommitteeMember.objects.create(
        session=SessionFactory(), user=other_chair, role=CommitteeRole.CHAIR
    )
    request = _at(flow.request, S.COMMITTEE)
    with pytest.raises(PermissionDenied):
        SERVICES["request_decide"](actor=other_chair, request=request, decision=Decision.LABELLED)
    request.refresh_from_db()
    assert request.status == S.COMMITTEE


def test_a_plain_committee_member_may_not_decide(flow):
    member = UserFactory()
    CommitteeMember.objects.create(session=flow.session, user=member, role=CommitteeRole.MEMBER)
    request = _at(flow.request, S.COMMITTEE)
    with pytest.raises(PermissionDenied):
        SERVICES["request_decide"](actor=member, request=request, decision=Decision.LABELLED)


def test_an_expert_closes_the_review_round_only_when_every_accepted_review_is_in(flow):
    # given a second accepted expert who has not submitted yet
    AssignmentFactory(request=flow.request, status=AssignmentStatus.ACCEPTED)
    request = _at(flow.request, S.UNDER_REVIEW)
    # when the first expert marks the reviews complete
    with pytest.raises(ValidationError) as refusal:
        SERVICES["request_mark_reviews_complete"](
            actor=flow.users["assigned_expert"], request=request
        )
    # then it is refused; staff may close the round
    assert refusal.value.message_dict == {
        "status": ["Some accepted reviews are not submitted yet."]
    }
    SERVICES["request_mark_reviews_complete"](actor=flow.users["staff"], request=request)
    request.refresh_from_db()
    assert request.status == S.REVIEWS_COMPLETE


def test_no_review_round_closes_without_a_review(flow):
    Review.objects.all().delete()
    request = _at(flow.request, S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as refusal:
        SERVICES["request_mark_reviews_complete"](actor=flow.users["staff"], request=request)
    assert refusal.value.message_dict == {
        "status": ["No review of this file has been submitted yet."]
    }


def test_an_expert_with_a_conflict_may_not_close_the_round_even_when_assigned(flow):
    # given the conflicted expert (works for the partner lab) has an accepted assignment
    conflicted = ExpertFactory._meta.model.objects.get(user=flow.users["conflicted_expert"])
    AssignmentFactory(request=flow.request, expert=conflicted, status=AssignmentStatus.ACCEPTED)
    request = _at(flow.request, S.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        SERVICES["request_mark_reviews_complete"](
            actor=flow.users["conflicted_expert"], request=request
        )


def test_the_funding_outcome_records_each_partners_aid(flow):
    request = _at(flow.request, S.SUBMITTED_TO_FUNDER)
    partners = list(request.partners.order_by("pk"))
    obtained = {partners[0].pk: "225000", partners[1].pk: "0", partners[2].pk: "150000.5"}
    SERVICES["request_record_outcome"](
        actor=flow.users["consortium_contact"],
        request=request,
        outcome=S.FUNDED,
        obtained=obtained,
        outcome_on=timezone.localdate(),
        note="Notifié par Bpifrance.",
    )
    assert list(request.partners.order_by("pk").values_list("obtained_aid", flat=True)) == [
        Decimal("225000.00"),
        Decimal("0.00"),
        Decimal("150000.50"),
    ]
    request.refresh_from_db()
    assert (request.status, request.outcome_note) == (S.FUNDED, "Notifié par Bpifrance.")


def test_a_funded_outcome_needs_every_partners_amount(flow):
    request = _at(flow.request, S.SUBMITTED_TO_FUNDER)
    first = request.partners.order_by("pk").first()
    with pytest.raises(ValidationError) as refusal:
        SERVICES["request_record_outcome"](
            actor=flow.users["staff"],
            request=request,
            outcome=S.FUNDED,
            obtained={first.pk: "-5"},
        )
    errors = refusal.value.message_dict
    assert errors[f"aid_{first.pk}"] == ["An amount cannot be negative."]
    assert len(errors) == 3  # the two partners without an amount are named too
    request.refresh_from_db()
    assert request.status == S.SUBMITTED_TO_FUNDER
    assert not request.partners.filter(obtained_aid__isnull=False).exists()


def test_the_submission_to_the_funder_needs_a_reference_and_a_past_date(flow):
    request = _at(flow.request, S.CERTIFICATE_ISSUED)
    with pytest.raises(ValidationError) as refusal:
        SERVICES["request_submitted_to_funder"](
            actor=flow.users["consortium_contact"],
            request=request,
            reference=" ",
            submitted_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert refusal.value.message_dict == {
        "reference": ["Give the reference the funder gave to the application."],
        "submitted_on": ["This date is in the future."],
    }


def test_issuing_the_certificate_numbers_it_and_mails_it(flow, django_capture_on_commit_callbacks):
    request = _at(flow.request, S.LABELLED)
    with django_capture_on_commit_callbacks(execute=True):
        SERVICES["request_issue_certificate"](actor=flow.users["staff"], request=request)
    certificate = Certificate.objects.get(request=request)
    year = timezone.localdate().year
    assert (certificate.number, certificate.kind) == (f"LAB-{year}-0001", "label")
    (message,) = mail.outbox
    assert message.attachments == [(f"LAB-{year}-0001.pdf", b"%PDF-1.4 test", "application/pdf")]
    assert f"/projects/verify/{certificate.token}/" in message.body


def test_mail_goes_to_each_contact_in_their_language(flow, django_capture_on_commit_callbacks):
    from grappe.projects.tests.factories import contact_add

    english = UserFactory(language="en")
    contact_add(flow.request, english)
    request = _at(flow.request, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        SERVICES["request_start_review"](actor=flow.users["staff"], request=request)
    subjects = {tuple(m.to): m.subject for m in mail.outbox}
    acronym = request.project.acronym
    assert subjects == {
        (flow.users["consortium_contact"].email,): f"{acronym} : dossier recevable, en expertise",
        (english.email,): f"{acronym}: file admissible, under review",
    }


def test_the_table_has_one_service_per_kind_of_move():
    assert set(workflow.sources_of("request_decide")) == {S.COMMITTEE}
    assert {t.service for t in workflow.TRANSITIONS} == set(SERVICES)
    assert workflow.targets_from(S.DRAFT) == [S.SUBMITTED, S.WITHDRAWN]
