"""The projects API: the same visibility as the pages; confidential fields absent for those
who may not read them; submission; certificate verification; the one error format."""

from __future__ import annotations

import pytest
from django.utils import timezone

from grappe.accounts.tokens import api_token_create
from grappe.projects.models import Certificate, Decision, LabellingRequest, RequestStatus
from grappe.projects.tests.factories import PartnerFactory, RequestFactory

S = RequestStatus
CONFIDENTIAL = {
    "description", "total_budget", "currency", "impact_jobs", "impact_turnover",
    "impact_export_share", "impact_environment", "documents",
}  # fmt: skip


def _public(request: LabellingRequest) -> None:
    LabellingRequest.objects.filter(pk=request.pk).update(
        status=S.CERTIFICATE_ISSUED, decision=Decision.LABELLED, decided_at=timezone.now(),
        publish_consent=True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("role", "confidential"),
    [("consortium_contact", True), ("assigned_expert", True), ("staff", True)],
)
def test_those_allowed_get_the_confidential_fields(as_project_role, lworld, role, confidential):
    response = as_project_role(role).get(f"/api/v1/projects/{lworld.request.pk}?lang=en")
    body = response.json()
    assert response.status_code == 200
    assert set(body) >= CONFIDENTIAL
    assert body["description"] == lworld.request.description
    assert body["status"] == "under_review"
    assert {"budget", "requested_aid", "obtained_aid"} <= set(body["partners"][0])


@pytest.mark.parametrize("role", ["visitor", "unrelated_member", "conflicted_expert"])
def test_the_public_gets_only_the_public_face_of_a_labelled_project(as_project_role, lworld, role):
    _public(lworld.request)
    response = as_project_role(role).get(f"/api/v1/projects/{lworld.request.pk}")
    body = response.json()
    assert response.status_code == 200
    assert not CONFIDENTIAL & set(body)
    assert "status" not in body
    assert body["summary_public"] == lworld.request.summary_public
    assert set(body["partners"][0]) == {
        "name", "role", "role_label", "kind", "kind_label", "country", "in_territory",
    }  # fmt: skip
    assert lworld.request.description not in response.content.decode()


def test_the_list_is_public_projects_for_everyone_all_files_for_staff_own_for_mine(
    as_project_role, lworld, client
):
    _public(lworld.request)
    RequestFactory()  # someone else's draft
    public = client.get("/api/v1/projects").json()
    assert [item["id"] for item in public["items"]] == [lworld.request.pk]
    assert "status" not in public["items"][0]
    client.force_login(lworld.users["staff"])
    assert client.get("/api/v1/projects").json()["total"] == 3
    client.force_login(lworld.users["consortium_contact"])
    mine = client.get("/api/v1/projects?mine=true").json()
    assert sorted(item["id"] for item in mine["items"]) == sorted(
        [lworld.request.pk, lworld.draft.pk]
    )
    assert client.get("/api/v1/projects/mine").json()["total"] == 2


def test_a_contact_submits_through_the_api_and_learns_every_reason(client, lworld):
    client.force_login(lworld.users["consortium_contact"])
    response = client.post(f"/api/v1/projects/{lworld.draft.pk}/submit?lang=en")
    body = response.json()
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid"
    assert body["error"]["fields"]["total_budget"] == [
        "The total budget (1500000.00 €) must equal the sum of the partners' budgets (500000.00 €)."
    ]
    lworld.draft.refresh_from_db()
    assert lworld.draft.status == S.DRAFT
    PartnerFactory(request=lworld.draft)
    PartnerFactory(request=lworld.draft, organisation=lworld.lab)
    response = client.post(f"/api/v1/projects/{lworld.draft.pk}/submit")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_submitting_twice_is_a_conflict(client, lworld):
    client.force_login(lworld.users["consortium_contact"])
    response = client.post(f"/api/v1/projects/{lworld.request.pk}/submit?lang=en")
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "conflict",
        "message": "A file cannot go from “Under review” to “Submitted”.",
        "fields": {"status": ["A file cannot go from “Under review” to “Submitted”."]},
    }


def test_a_script_with_a_token_sees_what_its_owner_sees(client, lworld):
    _token, key = api_token_create(actor=lworld.users["consortium_contact"], name="CRM")
    response = client.get(
        f"/api/v1/projects/{lworld.request.pk}", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert "description" in response.json()


def test_a_certificate_is_verified_by_its_token(client, lworld):
    _public(lworld.request)
    certificate = Certificate.objects.create(
        request=lworld.request, number="LAB-2026-0007", kind="label", issued_at=timezone.now()
    )
    body = client.get(f"/api/v1/projects/verify/{certificate.token}?lang=en").json()
    assert body["valid"] is True
    assert (body["number"], body["acronym"], body["decision_label"]) == (
        "LAB-2026-0007", lworld.request.project.acronym, "Labelled",
    )  # fmt: skip
    assert sorted(body["partners"]) == sorted(
        lworld.request.partners.values_list("name", flat=True)
    )
    assert "description" not in body


def test_sessions_are_listed_with_their_dates(client, lworld):
    body = client.get("/api/v1/projects/sessions").json()
    assert [s["slug"] for s in body] == [lworld.session.slug]
    assert body[0]["is_open"] is True
