"""The committee's page: aggregates per criterion (mean, spread, eliminatory flags), the
weighted mean against the threshold, recommendations and reviews; who sees it, who decides."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from grappe.members.tests.factories import UserFactory
from grappe.projects.models import (
    AssignmentStatus,
    CommitteeMember,
    CommitteeRole,
    PartnerRole,
    RequestStatus,
    ReviewScore,
)
from grappe.projects.selectors.committee import committee_board
from grappe.projects.tests.factories import (
    AssignmentFactory,
    PartnerFactory,
    RequestFactory,
    ReviewFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages in English (the site's default is French): the asserts read the msgids."""
    with translation.override("en"):
        yield


A = AssignmentStatus
CODES = ["roadmap", "innovation", "consortium", "market", "feasibility", "territory", "environment"]


def review(request, *, base: int, market: int, recommendation: str, **extra):
    """A submitted review scoring `base` everywhere but `market`."""
    assignment = AssignmentFactory(request=request, status=A.ACCEPTED)
    made = ReviewFactory(assignment=assignment, score=False, recommendation=recommendation, **extra)
    criteria = list(request.session.criteria.all())
    ReviewScore.objects.bulk_create(
        ReviewScore(review=made, criterion=c, score=market if c.code == "market" else base)
        for c in criteria
    )
    return made


@pytest.fixture
def session():
    session = SessionFactory(threshold=Decimal("3.00"))
    on_agenda = RequestFactory(
        session=session, status=RequestStatus.COMMITTEE, project__acronym="AGENDA"
    )
    PartnerFactory(request=on_agenda, role=PartnerRole.COORDINATOR)
    review(on_agenda, base=4, market=1, recommendation="labelled")
    review(on_agenda, base=3, market=2, recommendation="labelled")
    review(
        on_agenda, base=5, market=0, recommendation="rejected", note_to_committee="Marché absent."
    )
    # a review not submitted and a withdrawn expert's review do not count
    draft = ReviewFactory(
        assignment=AssignmentFactory(request=on_agenda, status=A.ACCEPTED), status="draft"
    )
    assert draft.status == "draft"
    ReviewFactory(assignment=AssignmentFactory(request=on_agenda, status=A.WITHDRAWN), score=0)
    later = RequestFactory(
        session=session, status=RequestStatus.UNDER_REVIEW, project__acronym="LATER"
    )
    review(later, base=2, market=2, recommendation="deferred")
    RequestFactory(session=session, status=RequestStatus.DRAFT, project__acronym="DRAFTED")
    session.on_agenda = on_agenda
    return session


def test_aggregates_per_criterion_are_exact(session):
    # when the board is computed
    board = committee_board(session)
    # then the agenda holds the file on the committee's agenda, the others follow
    assert [f.request.project.acronym for f in board.agenda] == ["AGENDA"]
    assert [f.request.project.acronym for f in board.others] == ["LATER"]
    item = board.agenda[0]
    by_code = {a.criterion.code: a for a in item.aggregates}
    # market scores 1, 2, 0: mean 1.00, 0–2, standard deviation √(2/3) = 0.82, eliminatory
    market = by_code["market"]
    assert (market.mean, market.minimum, market.maximum, market.stdev, market.eliminatory) == (
        Decimal("1.00"), 0, 2, Decimal("0.82"), True,
    )  # fmt: skip
    # innovation scores 4, 3, 5: mean 4.00, not eliminatory
    innovation = by_code["innovation"]
    assert (innovation.mean, innovation.minimum, innovation.maximum, innovation.eliminatory) == (
        Decimal("4.00"), 3, 5, False,
    )  # fmt: skip
    # weighted mean: (4 × 7 + 1 × 2) / 9 = 3.33, above the threshold 3.00
    assert item.weighted_mean == Decimal("3.33")
    assert item.above_threshold is True
    assert [c.code for c in item.eliminated_by] == ["market"]
    # three reviews count (the draft and the withdrawn expert's do not), of four accepted
    assert (len(item.reviews), item.expected, item.missing_reviews) == (3, 4, 1)
    assert item.recommendations == [("labelled", "Labelled", 2), ("rejected", "Rejected", 1)]


def test_one_review_has_no_spread(session):
    # given the later file has one review scoring 2 everywhere
    later = committee_board(session).others[0]
    # then the spread is nil and the mean is under the threshold
    assert {a.stdev for a in later.aggregates} == {Decimal("0.00")}
    assert (later.weighted_mean, later.above_threshold) == (Decimal("2.00"), False)


def test_the_board_takes_a_fixed_number_of_queries(session):
    # given the board's count for this session
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            board = committee_board(session)
            for item in board.agenda + board.others:
                [a.mean for a in item.aggregates]
                [r.review.text_to_applicant for r in item.reviews]
        return len(queries)

    before = count()
    # when more files and reviews come
    for _n in range(3):
        extra = RequestFactory(session=session, status=RequestStatus.COMMITTEE)
        review(extra, base=3, market=3, recommendation="labelled")
    # then it does not grow
    assert count() == before == 4


@pytest.fixture
def seat(session):
    def _seat(role: str):
        user = UserFactory()
        CommitteeMember.objects.create(session=session, user=user, role=role)
        return user

    return _seat


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_a_committee_member_reads_the_board_without_deciding(client, session, seat):
    # given a member of the session's committee
    client.force_login(seat(CommitteeRole.MEMBER))
    # when they open the committee's page
    response = client.get(reverse("projects:committee", kwargs={"slug": session.slug}))
    # then they see the aggregates, the flags and the reviews, with their notes, but no form
    page = response.content.decode()
    assert response.status_code == 200
    assert "3.33" in page and "0.82" in page
    assert "under 2" in page
    assert "Marché absent." in page
    assert reverse("projects:request_decide", kwargs={"pk": session.on_agenda.pk}) not in page


def test_the_chair_decides_from_the_board(client, session, seat):
    # given the chair of the session's committee
    client.force_login(seat(CommitteeRole.CHAIR))
    board_url = reverse("projects:committee", kwargs={"slug": session.slug})
    decide_url = reverse("projects:request_decide", kwargs={"pk": session.on_agenda.pk})
    # then the page carries the decision form to the workflow's route
    assert decide_url in client.get(board_url).content.decode()
    # and posting it records the decision and comes back to the board
    response = client.post(
        decide_url,
        {
            "decision": "rejected",
            "reservations": "",
            "decision_text": "Marché insuffisant.",
            "next": f"{board_url}#file-{session.on_agenda.pk}",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url}#file-{session.on_agenda.pk}"
    session.on_agenda.refresh_from_db()
    assert (session.on_agenda.status, session.on_agenda.decision) == ("rejected", "rejected")


def test_nobody_else_reads_the_board(client, session, member):
    # given a member of the cluster who is not on the committee
    client.force_login(member)
    # when they open the committee's page
    response = client.get(reverse("projects:committee", kwargs={"slug": session.slug}))
    # then it is refused with the reason
    assert response.status_code == 403
    assert "This page is for the cluster" in response.content.decode()
