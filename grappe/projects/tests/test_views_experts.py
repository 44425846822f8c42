"""The experts' pages: wiring, one happy path each, refusals shown on the field, and the
query counts of the list pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.members.tests.factories import OrganisationFactory, UserFactory
from grappe.projects.models import (
    Assignment,
    AssignmentStatus,
    ExpertProfile,
    RequestStatus,
    Review,
    ReviewStatus,
)
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.tests.factories import (
    AssignmentFactory,
    ExpertFactory,
    PartnerFactory,
    RequestFactory,
    ReviewFactory,
    tag,
)

pytestmark = pytest.mark.django_db
A = AssignmentStatus


@pytest.fixture(autouse=True)
def _english(client):
    """The pages in English (the site's default is French): the asserts read the msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_pool_lists_experts_with_their_load(
    staff_client, eworld, django_assert_max_num_queries
):
    # given an expert with one live assignment on a file under review
    AssignmentFactory(request=eworld.a, expert=eworld.experts["laser_pro"], status=A.INVITED)
    # when staff open the pool (a bounded number of queries, whatever the number of experts)
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("projects:staff_experts"))
    # then each expert is listed with their load against the limit
    assert response.status_code == 200
    page = response.content.decode()
    assert str(eworld.experts["laser_pro"]) in page
    assert "1 / 4" in page
    assert page.count("/projects/staff/experts/") >= 5


def test_staff_add_an_expert_by_the_email_of_their_login(staff_client):
    # given a person with a login
    user = UserFactory(email="rapporteur@example.org")
    # when staff add them
    response = staff_client.post(
        reverse("projects:staff_expert_create"),
        {
            "email": "Rapporteur@example.org",
            "kind": "external",
            "load_limit": "3",
            "is_active": "on",
        },
    )
    # then they are in the pool
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=user)
    assert (profile.kind, profile.load_limit) == ("external", 3)


def test_an_unknown_email_is_named_on_the_field(staff_client):
    # when staff add an address without a login
    response = staff_client.post(
        reverse("projects:staff_expert_create"),
        {"email": "nobody@example.org", "kind": "external", "load_limit": "3"},
    )
    # then the field says so and nothing is written
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["No login has this e-mail address."]
    assert not ExpertProfile.objects.exists()


def test_the_board_shows_conflicts_with_their_reasons(
    staff_client, eworld, django_assert_max_num_queries
):
    # given the world's two files and five experts
    url = reverse("projects:staff_assignments", kwargs={"slug": eworld.session.slug})
    # when staff open the session's assignment board
    with django_assert_max_num_queries(30):
        response = staff_client.get(url)
    # then the conflicted expert is shown against B with the reason
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Employer {eworld.b_lead.name} is a partner of the consortium." in page
    assert "LASERA" in page and "IMAGEB" in page


def test_the_board_takes_a_fixed_number_of_queries(staff_client, eworld):
    # given the board's query count with two files and five experts
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("projects:staff_assignments", kwargs={"slug": eworld.session.slug})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    before = count()
    # when the session gets more files, experts and assignments
    for _n in range(4):
        file = tag(
            RequestFactory(session=eworld.session, status=RequestStatus.UNDER_REVIEW),
            "tech.sensors.lidar",
        )
        PartnerFactory(request=file, organisation=OrganisationFactory())
        expert = tag(ExpertFactory(employer=OrganisationFactory()), "tech.sensors")
        AssignmentFactory(request=file, expert=expert, status=A.INVITED)
    # then the count does not grow
    assert count() == before


def test_staff_propose_and_confirm_from_the_board(staff_client, eworld, mailoutbox):
    # when staff ask the optimiser, then confirm
    propose = reverse("projects:staff_assignments_propose", kwargs={"slug": eworld.session.slug})
    confirm = reverse("projects:staff_assignments_confirm", kwargs={"slug": eworld.session.slug})
    response = staff_client.post(propose, follow=True)
    # then the proposal is reported
    assert "4 experts proposed (smallest best match 1.00, total 2.70)" in response.content.decode()
    assert Assignment.objects.filter(status=A.PROPOSED).count() == 4
    # and after confirmation the four experts are invited
    staff_client.post(confirm)
    assert Assignment.objects.filter(status=A.INVITED).count() == 4


def test_a_conflicted_expert_picked_by_hand_is_refused_on_the_field(staff_client, eworld):
    # when staff pick the conflicted expert for B
    response = staff_client.post(
        reverse("projects:staff_assignment_add", kwargs={"slug": eworld.session.slug}),
        {"request": eworld.b.pk, "expert": eworld.experts["conflicted"].pk},
    )
    # then the board comes back with the reason on the expert field, and nothing is written
    assert response.status_code == 400
    assert response.context["form"].errors["expert"] == [
        f"{eworld.experts['conflicted']} is in conflict with this file: Employer "
        f"{eworld.b_lead.name} is a partner of the consortium."
    ]
    assert not Assignment.objects.exists()


@pytest.fixture
def invited(eworld):
    return AssignmentFactory(
        request=eworld.a,
        expert=eworld.experts["laser_pro"],
        status=A.INVITED,
        invited_at=timezone.now(),
        due_on=eworld.session.review_deadline,
    )


def test_the_invitation_hides_the_file_until_the_agreement_is_accepted(client, invited, eworld):
    # given the expert has not accepted the agreement
    invited.expert.nda_accepted_at = None
    invited.expert.save()
    client.force_login(invited.expert.user)
    # when they open the invitation
    response = client.get(reverse("projects:assignment", kwargs={"pk": invited.pk}))
    # then they are sent to the agreement, and neither the title nor the partners show
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("projects:expert_agreement") in page
    assert eworld.a.title not in page
    assert eworld.a.project.lead.name not in page
    assert "Accept the file" not in page


def test_the_expert_accepts_the_agreement_then_the_file(client, invited, eworld):
    # given the expert has not accepted the agreement
    invited.expert.nda_accepted_at = None
    invited.expert.nda_version = ""
    invited.expert.save()
    client.force_login(invited.expert.user)
    # when they read and accept it, coming from the invitation
    page = client.get(reverse("projects:expert_agreement"))
    assert f"version {NDA_VERSION}" in page.content.decode()
    back = reverse("projects:assignment", kwargs={"pk": invited.pk})
    response = client.post(
        reverse("projects:expert_agreement"),
        {"version": NDA_VERSION, "accept": "on", "next": back},
    )
    # then they come back to the invitation, which now shows the file and its consortium
    assert response.status_code == 302 and response["Location"] == back
    page = client.get(back).content.decode()
    assert eworld.a.title in page
    assert eworld.a.project.lead.name in page
    # and they accept the file
    client.post(reverse("projects:assignment_accept", kwargs={"pk": invited.pk}))
    invited.refresh_from_db()
    assert invited.status == A.ACCEPTED


def test_the_agreement_must_be_ticked(client, invited):
    # when the expert posts the agreement without ticking it
    client.force_login(invited.expert.user)
    invited.expert.nda_accepted_at = None
    invited.expert.save()
    response = client.post(reverse("projects:expert_agreement"), {"version": NDA_VERSION})
    # then the box is named and nothing is recorded
    assert response.status_code == 400
    assert response.context["form"].errors["accept"] == ["This field is required."]
    invited.expert.refresh_from_db()
    assert invited.expert.nda_accepted_at is None


def test_the_expert_declines_with_a_reason(client, invited):
    client.force_login(invited.expert.user)
    url = reverse("projects:assignment_decline", kwargs={"pk": invited.pk})
    # when the reason is missing, the field says so
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["This field is required."]
    # when given, the invitation is declined
    response = client.post(url, {"reason": "En congé"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert (invited.status, invited.decline_reason) == (A.DECLINED, "En congé")


@pytest.fixture
def accepted(invited):
    invited.status = A.ACCEPTED
    invited.save()
    return invited


def test_the_review_form_saves_a_draft_then_submits(client, accepted):
    client.force_login(accepted.expert.user)
    url = reverse("projects:review", kwargs={"pk": accepted.pk})
    codes = [
        "roadmap",
        "innovation",
        "consortium",
        "market",
        "feasibility",
        "territory",
        "environment",
    ]
    data = {f"score_{code}": "4" for code in codes}
    data.update(comment_innovation="Original.", recommendation="labelled")
    # when the expert saves a draft without the text for the applicant
    response = client.post(url, {**data, "save": "1"})
    assert response.status_code == 302
    assert Review.objects.get().status == ReviewStatus.DRAFT
    # and submits without it: the field is named
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["text_to_applicant"] == [
        "Write the text for the applicant."
    ]
    # then submits with it: the review is locked and the page is read-only
    response = client.post(url, {**data, "text_to_applicant": "Bon projet.", "submit": "1"})
    assert response["Location"] == reverse("projects:review_others", kwargs={"pk": accepted.pk})
    assert Review.objects.get().status == ReviewStatus.SUBMITTED
    page = client.get(url).content.decode()
    assert "<fieldset disabled>" in page


def test_other_reviews_show_after_ones_own_without_their_confidential_note(
    client, accepted, eworld
):
    # given a colleague's submitted review of the same file
    ReviewFactory(
        assignment=AssignmentFactory(
            request=eworld.a, expert=eworld.experts["generalist"], status=A.ACCEPTED
        ),
        text_to_applicant="Marché bien analysé.",
        note_to_committee="Note réservée au comité.",
    )
    client.force_login(accepted.expert.user)
    url = reverse("projects:review_others", kwargs={"pk": accepted.pk})
    # then before their own review, the expert is told to submit first
    response = client.get(url)
    assert response.status_code == 403
    assert "once yours is submitted" in response.content.decode()
    # and after submitting, they read the colleague's text but not the note to the committee
    ReviewFactory(assignment=accepted)
    page = client.get(url).content.decode()
    assert "Marché bien analysé." in page
    assert "Note réservée au comité." not in page
    assert str(eworld.experts["generalist"]) not in page


def test_my_space_lists_what_the_expert_owes_overdue_first(client, eworld):
    # given an invitation due in 20 days and an accepted review overdue since yesterday
    today = timezone.localdate()
    expert = eworld.experts["laser_pro"]
    AssignmentFactory(
        request=eworld.b, expert=expert, status=A.INVITED, due_on=today + dt.timedelta(days=20)
    )
    late = AssignmentFactory(
        request=eworld.a, expert=expert, status=A.ACCEPTED, due_on=today - dt.timedelta(days=1)
    )
    client.force_login(expert.user)
    # when they open "My space"
    page = client.get(reverse("core:dashboard")).content.decode()
    # then the overdue review comes first, then the invitation
    review_link = reverse("projects:review", kwargs={"pk": late.pk})
    assert "1 overdue" in page
    assert page.index(review_link) < page.index("Answer an invitation")


def test_the_expert_declares_a_relationship_from_their_profile(client, eworld):
    expert = eworld.experts["laser_pro"]
    client.force_login(expert.user)
    # when they declare a competitor
    response = client.post(
        reverse("projects:expert_relationship_add"),
        {"organisation": eworld.b_lead.pk, "kind": "competitor", "note": ""},
    )
    # then it is on their profile page
    assert response.status_code == 302
    page = client.get(reverse("projects:expert_profile")).content.decode()
    assert eworld.b_lead.name in page
    assert expert.relationships.get().kind == "competitor"


def test_a_login_without_an_experts_profile_is_told(client, member):
    # given a member who is not an expert
    client.force_login(member)
    # when they open the experts' space
    response = client.get(reverse("projects:expert_dashboard"))
    # then they are told what the page is for
    assert response.status_code == 403
    assert "This page is for the cluster" in response.content.decode()
