"""The experts' API: my assignments with due dates, accept, decline, my review (read, save,
submit) and the staff's list of a session's proposals. Wiring and one happy path each; the
access of every role is in test_route_matrix_experts.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grappe.projects.models import AssignmentSource, AssignmentStatus, ReviewStatus
from grappe.projects.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db
A = AssignmentStatus
CODES = ["roadmap", "innovation", "consortium", "market", "feasibility", "territory", "environment"]


@pytest.fixture
def api(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def _call(user, method: str, path: str, body: dict | None = None):
        client.force_login(user)
        if method == "GET":
            return client.get(path)
        return client.post(path, body or {}, content_type="application/json")

    return _call


@pytest.fixture
def invited(eworld):
    return AssignmentFactory(
        request=eworld.a,
        expert=eworld.experts["laser_pro"],
        status=A.INVITED,
        invited_at=timezone.now(),
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )


def test_my_assignments_with_due_dates(api, invited, eworld):
    # given a proposal not confirmed yet, besides the invitation
    AssignmentFactory(request=eworld.b, expert=invited.expert, status=A.PROPOSED)
    # when the expert lists their assignments
    response = api(invited.expert.user, "GET", "/api/v1/projects/assignments")
    # then only the invitation shows, overdue, with the file named (agreement accepted)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert {
        k: item[k] for k in ("id", "acronym", "status", "due_on", "overdue", "review_status")
    } == {
        "id": invited.pk,
        "acronym": "LASERA",
        "status": "invited",
        "due_on": invited.due_on.isoformat(),
        "overdue": True,
        "review_status": "",
    }


def test_the_file_is_not_named_before_the_agreement(api, invited):
    # given the expert has not accepted the agreement
    invited.expert.nda_accepted_at = None
    invited.expert.save()
    # when they list their assignments
    (item,) = api(invited.expert.user, "GET", "/api/v1/projects/assignments").json()["items"]
    # then the file's acronym and title are withheld
    assert (item["acronym"], item["title"]) == (None, None)


def test_accepting_without_the_agreement_is_refused_with_the_field(api, invited):
    # given no agreement
    invited.expert.nda_accepted_at = None
    invited.expert.save()
    # when the expert accepts
    response = api(invited.expert.user, "POST", f"/api/v1/projects/assignments/{invited.pk}/accept")
    # then the agreement field is named, and nothing changes
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "agreement": ["Accept the confidentiality agreement before you accept a file."]
    }
    invited.refresh_from_db()
    assert invited.status == A.INVITED


def test_accept_then_decline(api, invited):
    user = invited.expert.user
    # when the expert accepts
    response = api(user, "POST", f"/api/v1/projects/assignments/{invited.pk}/accept")
    assert (response.status_code, response.json()["status"]) == (200, "accepted")
    # and then declines, with a reason
    response = api(
        user, "POST", f"/api/v1/projects/assignments/{invited.pk}/decline", {"reason": "Malade"}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "Malade")


def test_declining_without_a_reason_names_the_field(api, invited):
    response = api(
        invited.expert.user, "POST", f"/api/v1/projects/assignments/{invited.pk}/decline", {}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"reason": ["This field is required."]}


@pytest.fixture
def accepted(invited):
    invited.status = A.ACCEPTED
    invited.save()
    return invited


def test_my_review_reads_the_grid(api, accepted):
    # when the expert reads their review before writing it
    response = api(
        accepted.expert.user, "GET", f"/api/v1/projects/assignments/{accepted.pk}/review"
    )
    # then the grid comes with empty scores
    body = response.json()
    assert body["status"] == ""
    assert [s["criterion"] for s in body["scores"]] == CODES
    assert {s["score"] for s in body["scores"]} == {None}
    assert body["scores"][1] == {
        "criterion": "innovation",
        "name": "Innovation and technical quality",
        "weight": "2.00",
        "eliminatory_below": 2,
        "score": None,
        "comment": "",
    }


def test_save_then_submit_my_review(api, accepted):
    user, base = accepted.expert.user, f"/api/v1/projects/assignments/{accepted.pk}/review"
    # when the expert saves a draft with one score
    response = api(user, "POST", base, {"scores": [{"criterion": "market", "score": 3}]})
    assert response.json()["status"] == ReviewStatus.DRAFT
    # and submits an incomplete review: the missing fields are named
    response = api(user, "POST", f"{base}/submit", {"scores": []})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {
        *(f"score_{code}" for code in CODES),
        "recommendation",
        "text_to_applicant",
    }
    # and submits a complete one
    complete = {
        "scores": [{"criterion": code, "score": 4, "comment": ""} for code in CODES],
        "recommendation": "labelled",
        "text_to_applicant": "Solide.",
    }
    response = api(user, "POST", f"{base}/submit", complete)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["weighted_score"]) == ("submitted", "4.00")
    # then it can no longer be changed (409: the state forbids it)
    response = api(user, "POST", base, complete)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        "Your review was submitted: it can no longer be changed."
    )


def test_a_bad_score_is_refused_by_the_schema(api, accepted):
    response = api(
        accepted.expert.user,
        "POST",
        f"/api/v1/projects/assignments/{accepted.pk}/review",
        {"scores": [{"criterion": "market", "score": 7}]},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "scores.0.score": ["Enter a value less than or equal to 5."]
    }


def test_staff_read_a_sessions_proposals(api, eworld, staff):
    # given a proposal and an invitation
    proposal = AssignmentFactory(
        request=eworld.b,
        expert=eworld.experts["imaging_pro"],
        status=A.PROPOSED,
        source=AssignmentSource.OPTIMISER,
        match="1.000",
    )
    AssignmentFactory(request=eworld.a, expert=eworld.experts["laser_pro"], status=A.INVITED)
    # when staff list the session's proposals
    response = api(staff, "GET", f"/api/v1/projects/sessions/{eworld.session.slug}/assignments")
    # then only the proposal comes, with its match
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert (item["id"], item["acronym"], item["source"], item["match"]) == (
        proposal.pk, "IMAGEB", "optimiser", "1.000",
    )  # fmt: skip
    # and ?status=invited lists the invitations
    response = api(
        staff, "GET", f"/api/v1/projects/sessions/{eworld.session.slug}/assignments?status=invited"
    )
    assert [i["acronym"] for i in response.json()["items"]] == ["LASERA"]
