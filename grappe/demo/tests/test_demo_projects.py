"""The demo's labelling part, loaded once (small) for this module: what the loader guarantees
about sessions, files, experts, reviews, decisions, certificates and funding, and that the
demo logins find their part of it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from grappe.demo import vocabulary as words
from grappe.demo.load import load_demo
from grappe.demo.projects import SPECS, moment
from grappe.demo.tests.support import demo_in_transaction
from grappe.members.models import Organisation
from grappe.projects.conflicts import ConflictKind, conflicts_for
from grappe.projects.models import (
    LIVE_ASSIGNMENT,
    Assignment,
    AssignmentStatus,
    Certificate,
    Decision,
    ExpertProfile,
    LabellingRequest,
    LabellingSession,
    Partner,
    ProjectContact,
    RequestStatus,
    Review,
    ReviewScore,
    ReviewStatus,
)
from grappe.projects.permissions import has_current_agreement
from grappe.projects.selectors.experts import expert_dashboard
from grappe.projects.services.eligibility import eligibility_check

pytestmark = pytest.mark.django_db
S = RequestStatus
SPEC = SPECS["small"]
CERTIFIED = (Decision.LABELLED, Decision.LABELLED_RESERVATIONS, Decision.SUPPORT_LETTER)
# Conflicts that cannot arise after an assignment was made (a joint labelled project can: the
# expert's employer and a partner may be labelled together later).
LASTING = {k for k in ConflictKind.values if k != ConflictKind.JOINT_PROJECT}


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo, loaded in a transaction that the module's tests share and that is rolled
    back when the module is done; the files' documents go to a temporary folder."""
    private = tmp_path_factory.mktemp("private")
    with (
        override_settings(GRAPPE_PRIVATE_ROOT=str(private)),
        demo_in_transaction(django_db_blocker, size="small") as summary,
    ):
        yield summary


def _current() -> LabellingSession:
    return LabellingSession.objects.order_by("-committee_date").first()


def _user(prefix: str):
    return get_user_model().objects.get(email__startswith=prefix)


def _featured_user(first: str, last: str):
    featured = Organisation.objects.get(name=words.FEATURED.name)
    return get_user_model().objects.get(
        first_name=first, last_name=last, person__affiliations__organisation=featured
    )


def test_five_sessions_two_a_year_and_the_current_one_open(small_demo):
    # given the sessions, oldest first
    sessions = list(LabellingSession.objects.order_by("committee_date"))
    now = timezone.now()
    # then the past ones met before today, and the current one is open for submissions
    assert len(sessions) == SPEC.past + 1
    assert all(s.committee_date < timezone.localdate() for s in sessions[:-1])
    current = sessions[-1]
    assert current.opens_at <= now <= current.submission_deadline
    # and every session has the seven criteria of the grid and a committee with one chair
    for session in sessions:
        assert session.criteria.count() == 7, session.slug
        roles = Counter(session.committee.values_list("role", flat=True))
        assert roles["chair"] == 1 and roles["secretary"] == 1 and roles["member"] >= 2


def test_every_certified_request_has_a_unique_gapless_number_per_year(small_demo):
    # given the requests the committee labelled or gave a support letter
    certified = LabellingRequest.objects.filter(decision__in=CERTIFIED)
    # then each has its certificate, and the numbers of a year run 1, 2, 3... in issue order
    assert certified.exists()
    assert certified.filter(certificate__isnull=True).count() == 0
    by_year: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for number, issued in Certificate.objects.values_list("number", "issued_at"):
        prefix, year, serial = number.split("-")
        assert prefix == "LAB" and int(year) == timezone.localtime(issued).year
        by_year[int(year)].append((issued, int(serial)))
    for year, rows in by_year.items():
        serials = [serial for _issued, serial in sorted(rows)]
        assert serials == list(range(1, len(rows) + 1)), year
    # and a certificate's kind follows the decision and the stage
    for certificate in Certificate.objects.select_related("request"):
        request = certificate.request
        if request.decision == Decision.SUPPORT_LETTER:
            assert certificate.kind == "support_letter"
        else:
            assert certificate.kind == ("opinion" if request.stage == "pre_proposal" else "label")


def test_no_assignment_pairs_an_expert_with_a_file_they_conflict_with(small_demo):
    # given every assignment that is not declined or withdrawn
    kept = list(
        Assignment.objects.exclude(status__in=[AssignmentStatus.DECLINED, AssignmentStatus.WITHDRAWN])
        .select_related("request__session", "expert")
    )  # fmt: skip
    found = conflicts_for({a.expert for a in kept}, {a.request for a in kept})
    current = _current()
    for assignment in kept:
        kinds = {c.kind for c in found[(assignment.expert_id, assignment.request_id)]}
        # then none has a lasting conflict, and those of the current session none at all
        assert not kinds & LASTING, (assignment.request.project.acronym, kinds)
        if assignment.request.session_id == current.pk:
            assert not kinds, (assignment.request.project.acronym, kinds)


def test_no_expert_exceeds_their_load_in_a_session(small_demo):
    # given the live assignments per session and expert
    loads = Counter(
        Assignment.objects.filter(status__in=LIVE_ASSIGNMENT).values_list(
            "request__session_id", "expert_id"
        )
    )
    limits = dict(ExpertProfile.objects.values_list("pk", "load_limit"))
    # then none is above the expert's limit
    assert loads
    assert [key for key, load in loads.items() if load > limits[key[1]]] == []


def test_every_submitted_file_passed_its_schemes_eligibility_rules(small_demo):
    # given every file that was submitted
    submitted = LabellingRequest.objects.filter(submitted_at__isnull=False)
    # then the eligibility rules of its scheme hold, and its budget adds up
    assert submitted.count() >= SPEC.past * SPEC.files
    for request in submitted.prefetch_related("partners"):
        assert eligibility_check(request) == [], request.project.acronym
        assert request.total_budget == sum(p.budget for p in request.partners.all())
        assert all(p.requested_aid <= p.budget for p in request.partners.all())


def test_funded_requests_have_the_aid_obtained_by_each_partner(small_demo):
    # given the outcomes recorded
    funded = LabellingRequest.objects.filter(outcome="funded")
    others = LabellingRequest.objects.exclude(outcome="funded")
    # then every partner of a funded request obtained an amount within its budget
    assert funded.count() >= 2
    for request in funded:
        amounts = [(p.obtained_aid, p.budget) for p in request.partners.all()]
        assert all(obtained is not None and 0 <= obtained <= budget for obtained, budget in amounts)
        assert sum(obtained for obtained, _budget in amounts) > 0
    # and no other request has an amount obtained
    assert Partner.objects.filter(request__in=others, obtained_aid__isnull=False).count() == 0
    # and an outcome follows a submission to the funder
    decided = LabellingRequest.objects.exclude(outcome="")
    assert decided.filter(submitted_to_funder_on__isnull=True).count() == 0
    assert all(r.submitted_to_funder_on <= r.outcome_on for r in decided)


def test_scores_agree_with_the_committees_decisions(small_demo):
    # given each decided file's mean score per criterion over its submitted reviews
    decided = LabellingRequest.objects.exclude(decision="").select_related("session")
    scores: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for request_id, criterion_id, score in ReviewScore.objects.filter(
        review__status=ReviewStatus.SUBMITTED, review__assignment__request__in=decided
    ).values_list("review__assignment__request_id", "criterion_id", "score"):
        scores[request_id][criterion_id].append(score)
    for request in decided:
        criteria = list(request.session.criteria.all())
        means = {c.pk: Decimal(sum(scores[request.pk][c.pk])) / len(scores[request.pk][c.pk])
                 for c in criteria}  # fmt: skip
        weighted = sum(c.weight * means[c.pk] for c in criteria) / sum(c.weight for c in criteria)
        eliminated = any(
            c.eliminatory_below is not None and means[c.pk] < c.eliminatory_below for c in criteria
        )
        # then a label or a support letter is at or above the threshold, never eliminated;
        # a deferral or a rejection is below it
        if request.decision in CERTIFIED:
            assert weighted >= request.session.threshold and not eliminated, request.pk
        else:
            assert weighted < request.session.threshold, request.pk


def test_a_deferred_project_came_back_to_the_next_session_and_was_labelled(small_demo):
    # given the resubmissions
    resubmitted = LabellingRequest.objects.filter(previous__isnull=False).select_related(
        "previous__session", "session"
    )
    # then there is one: the same project, deferred then labelled at the next session
    assert resubmitted.count() == 1
    request = resubmitted.get()
    assert request.project_id == request.previous.project_id
    assert request.previous.decision == Decision.DEFERRED
    assert request.decision == Decision.LABELLED
    assert request.previous.session.committee_date < request.session.committee_date
    assert request.partners.count() == request.previous.partners.count() + 1


def test_one_inadmissible_file_a_year_and_a_withdrawal_in_the_other_sessions(small_demo):
    # given the files declared inadmissible and those withdrawn before the committee
    inadmissible = LabellingRequest.objects.filter(inadmissible_reason__gt="")
    withdrawn = LabellingRequest.objects.filter(withdrawn_at__isnull=False)
    # then one in every other past session, with the reason, and none got a decision
    assert inadmissible.count() == (SPEC.past + 1) // 2
    assert withdrawn.count() == SPEC.past // 2
    assert not inadmissible.exclude(decision="").exists()
    assert all(r.withdraw_reason for r in withdrawn)


def test_the_current_session_shows_every_stage(small_demo):
    # given the current session's files
    current = _current()
    statuses = Counter(current.requests.values_list("status", flat=True))
    # then some are drafts, submitted, under review and on the committee's agenda
    assert {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.COMMITTEE} <= set(statuses)
    assert sum(statuses.values()) == sum(vars(SPEC.current).values())
    # and a file under review waits for its experts to be assigned, while invitations wait
    # for an answer
    under_review = current.requests.filter(status=S.UNDER_REVIEW)
    assert under_review.filter(assignments__isnull=True).exists()
    assert Assignment.objects.filter(request__session=current, status=AssignmentStatus.INVITED)
    assert not current.requests.exclude(decision="").exists()


def test_the_demo_expert_has_an_invitation_a_review_due_and_past_reviews(small_demo):
    # given the demo expert
    user = _user("jean-marc.olivier@")
    profile = ExpertProfile.objects.get(user=user)
    # when he opens his dashboard
    dashboard = expert_dashboard(user)
    # then his agreement is accepted, he has an invitation to answer and a review to finish
    # (a draft started) in the current session, and reviews submitted in past sessions
    assert has_current_agreement(profile)
    owed = {(item.kind, item.draft) for item in dashboard.owed}
    assert {("answer", False), ("review", True)} <= owed
    assert all(item.assignment.request.session_id == _current().pk for item in dashboard.owed)
    past = Review.objects.filter(assignment__expert=profile, status=ReviewStatus.SUBMITTED).exclude(
        assignment__request__session=_current()
    )
    assert past.exists()
    draft = Review.objects.get(assignment__expert=profile, status=ReviewStatus.DRAFT)
    assert draft.scores.count() == 4 and draft.recommendation == ""


def test_lucas_and_sophie_are_contacts_of_a_draft_a_file_under_review_and_a_funded_label(
    small_demo,
):
    for first, last in (words.FEATURED.member[:2], words.FEATURED.admin[:2]):
        # given the demo member and the organisation's administrator
        user = _featured_user(first, last)
        files = LabellingRequest.objects.filter(
            contacts__user=user, project__lead__name=words.FEATURED.name
        )
        # then they are contacts of a draft and a file under review of the current session,
        # and of a past labelled project, funded, with its certificate
        current = files.filter(session=_current())
        assert current.filter(status=S.DRAFT).exists(), first
        assert current.filter(status=S.UNDER_REVIEW).exists(), first
        funded = files.get(status=S.FUNDED)
        assert funded.decision == Decision.LABELLED and funded.certificate.number
        assert all(p.obtained_aid is not None for p in funded.partners.all())


def test_every_file_is_coordinated_by_a_member_company_and_its_author_is_a_contact(small_demo):
    for request in LabellingRequest.objects.select_related("project__lead", "created_by"):
        coordinator = request.partners.get(role="coordinator")
        # then the coordinator is the project's lead, a company, and its author a contact
        assert coordinator.organisation_id == request.project.lead_id
        assert request.project.lead.kind in ("startup", "sme", "midsize", "large")
        assert ProjectContact.objects.filter(request=request, user=request.created_by).exists()


def test_nothing_happened_after_yesterday(small_demo):
    # given the moments the services recorded
    midnight = moment(timezone.localdate(), 0)
    # then none is today or later
    assert not LabellingRequest.objects.filter(
        Q(submitted_at__gte=midnight) | Q(decided_at__gte=midnight) | Q(withdrawn_at__gte=midnight)
    ).exists()
    assert not Assignment.objects.filter(
        Q(invited_at__gte=midnight) | Q(answered_at__gte=midnight)
    ).exists()
    assert not Review.objects.filter(submitted_at__gte=midnight).exists()
    assert not Certificate.objects.filter(issued_at__gte=midnight).exists()
    today = timezone.localdate()
    assert not LabellingRequest.objects.filter(
        Q(outcome_on__gte=today) | Q(submitted_to_funder_on__gte=today)
    ).exists()


def test_the_demo_logins_open_their_labelling_pages(small_demo, client, settings):
    settings.GRAPPE_STAFF_MFA_REQUIRED = False
    current = _current()
    staff, expert = _user("claire.fabre@"), _user("jean-marc.olivier@")
    member = _featured_user(*words.FEATURED.member[:2])
    certificate = Certificate.objects.order_by("number").first()
    pages = [
        (None, "/projects/"),
        (None, f"/projects/verify/{certificate.token}/"),
        (None, "/figures/"),
        (member, "/projects/mine/"),
        *[(member, r.get_absolute_url()) for r in LabellingRequest.objects.filter(contacts__user=member)],
        (staff, f"/projects/staff/sessions/{current.slug}/"),
        (staff, f"/projects/staff/sessions/{current.slug}/assignments/"),
        (staff, f"/projects/committee/{current.slug}/"),
        (staff, "/projects/staff/portfolio/"),
        (expert, "/projects/experts/"),
    ]  # fmt: skip
    for user, url in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        # when each opens the page, then it is there
        assert client.get(url).status_code == 200, url


def test_a_second_load_changes_nothing(small_demo):
    # given the number of rows of the labelling tables
    tables = set(connection.introspection.table_names())

    def counts() -> dict[str, int]:
        return {
            m._meta.label: m._default_manager.count()
            for m in apps.get_app_config("projects").get_models()
            if m._meta.db_table in tables
        }

    before = counts()
    # when the demo is loaded again
    summary = load_demo(size="small")
    # then it is skipped and nothing changed
    assert summary.skipped is True
    assert counts() == before
    assert before["projects.LabellingRequest"] > 0
