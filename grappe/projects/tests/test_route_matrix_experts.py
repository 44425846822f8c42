"""Role × route matrix of the experts' pages (pool, conflicts, assignment, reviews, committee)
and of the experts' API. Read by tests/test_route_matrix.py like the others: NAMESPACES,
PAGES (URL name first) and API ((method, path) first).

Roles: visitor, unrelated member, consortium contact, assigned expert (accepted, agreement
signed), conflicted expert, unassigned expert, staff. 302 sends a visitor to log in; someone
else's assignment answers 404 (its existence is not disclosed); an expert's page answers 403 to
a login without an expert's profile; POST-only actions answer 405 to a GET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from grappe.members.tests.factories import OrganisationFactory
from grappe.projects.models import (
    AssignmentStatus,
    ExpertRelationship,
    PartnerRole,
    RelationshipKind,
    RequestStatus,
)
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.tests.conftest import PROJECT_ROLES
from grappe.projects.tests.factories import (
    AssignmentFactory,
    ExpertFactory,
    PartnerFactory,
    RequestFactory,
)
from grappe.projects.tests.matrix import (
    DONE,
    action_cases,
    api_cases,
    call_api,
    check_action,
    check_api,
    check_page,
    page_cases,
)

NAMESPACES = {"projects"}


def row(*codes: int) -> dict[str, int]:
    return dict(zip(PROJECT_ROLES, codes, strict=True))


#             visitor, unrelated, contact, assigned, conflicted, unassigned, staff
STAFF = row(302, 403, 403, 403, 403, 403, 200)
STAFF_POST = row(302, 403, 403, 403, 403, 403, 405)
POST_ONLY = row(302, 405, 405, 405, 405, 405, 405)
EXPERTS = row(302, 403, 403, 200, 200, 200, 403)  # logins with an expert's profile
OWN = row(302, 404, 404, 200, 404, 404, 404)  # the assigned expert's own assignment

# (URL name, world key, expected statuses)
PAGES: list[tuple[str, str | None, dict[str, int]]] = [
    ("projects:staff_experts", None, STAFF),
    ("projects:staff_expert_create", None, STAFF),
    ("projects:staff_expert_edit", "expert", STAFF),
    ("projects:staff_assignments", "session", STAFF),
    ("projects:staff_assignments_propose", "session", STAFF_POST),
    ("projects:staff_assignments_confirm", "session", STAFF_POST),
    ("projects:staff_assignment_add", "session", STAFF_POST),
    ("projects:staff_assignment_confirm", "proposal", STAFF_POST),
    ("projects:staff_assignment_discard", "proposal", STAFF_POST),
    ("projects:staff_assignment_withdraw", "assignment", STAFF),
    ("projects:expert_dashboard", None, EXPERTS),
    ("projects:expert_agreement", None, EXPERTS),
    ("projects:expert_profile", None, EXPERTS),
    ("projects:expert_relationship_add", None, POST_ONLY),
    ("projects:expert_relationship_remove", "relationship", POST_ONLY),
    ("projects:assignment", "assignment", OWN),
    ("projects:assignment", "proposal", row(302, 404, 404, 404, 404, 404, 404)),
    ("projects:assignment_accept", "invitation", POST_ONLY),
    ("projects:assignment_decline", "assignment", OWN),
    ("projects:assignment_conflict", "assignment", OWN),
    ("projects:review", "assignment", OWN),
    # the other experts' reviews: only once one's own is submitted (403 with the reason)
    ("projects:review_others", "assignment", row(302, 404, 404, 403, 404, 404, 404)),
    ("projects:review_others", "submitted", OWN),
    ("projects:committee", "session", STAFF),
]

# (URL name, world key, POST data, expected statuses)
ACTIONS: list[tuple[str, str | None, dict[str, str], dict[str, int]]] = [
    ("projects:staff_assignments_propose", "session", {}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_assignments_confirm", "session", {}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_assignment_add", "session", {"request": "{second}", "expert": "{unassigned}"}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_assignment_confirm", "proposal", {}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_assignment_discard", "proposal", {}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_assignment_withdraw", "assignment", {"reason": "Réattribué"}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_expert_edit", "expert", {"kind": "external", "load_limit": "3", "is_active": "on"}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:expert_agreement", None, {"version": NDA_VERSION, "accept": "on"}, row(302, 403, 403, DONE, DONE, DONE, 403)),
    ("projects:expert_profile", None, {"load_limit": "3", "is_active": "on"}, row(302, 403, 403, DONE, DONE, DONE, 403)),
    ("projects:expert_relationship_add", None, {"organisation": "{lab}", "kind": "client"}, row(302, 403, 403, DONE, DONE, DONE, 403)),
    ("projects:expert_relationship_remove", "relationship", {}, row(302, 403, 403, DONE, 404, 404, 403)),
    ("projects:assignment_accept", "invitation", {}, row(302, 404, 404, DONE, 404, 404, 404)),
    ("projects:assignment_decline", "assignment", {"reason": "Indisponible"}, row(302, 404, 404, DONE, 404, 404, 404)),
    ("projects:assignment_conflict", "assignment", {"reason": "Lien personnel"}, row(302, 404, 404, DONE, 404, 404, 404)),
    ("projects:review", "assignment", {"save": "1", "score_roadmap": "4"}, row(302, 404, 404, DONE, 404, 404, 404)),
]  # fmt: skip

A = 401  # the API's answer to an anonymous caller
# (method, path, body, expected statuses)
API: list[tuple[str, str, dict | None, dict[str, int]]] = [
    ("GET", "/api/v1/projects/assignments", None, row(A, 403, 403, 200, 200, 200, 403)),
    ("POST", "/api/v1/projects/assignments/{invitation}/accept", None, row(A, 404, 404, 200, 404, 404, 404)),
    # already accepted: the state forbids it
    ("POST", "/api/v1/projects/assignments/{assignment}/accept", None, row(A, 404, 404, 409, 404, 404, 404)),
    ("POST", "/api/v1/projects/assignments/{assignment}/decline", {"reason": "Indisponible"}, row(A, 404, 404, 200, 404, 404, 404)),
    ("GET", "/api/v1/projects/assignments/{assignment}/review", None, row(A, 404, 404, 200, 404, 404, 404)),
    ("POST", "/api/v1/projects/assignments/{assignment}/review", {"scores": [{"criterion": "roadmap", "score": 4}]}, row(A, 404, 404, 200, 404, 404, 404)),
    # incomplete: the missing lines are named (400)
    ("POST", "/api/v1/projects/assignments/{assignment}/review/submit", {"scores": []}, row(A, 404, 404, 400, 404, 404, 404)),
    ("GET", "/api/v1/projects/sessions/{session}/assignments", None, row(A, 403, 403, 403, 403, 403, 200)),
]  # fmt: skip


@dataclass
class ExpertMatrixWorld:
    objects: dict[str, Any]

    def kwargs(self, key: str | None) -> dict[str, Any]:
        if key is None:
            return {}
        obj = self.objects[key]
        if key == "session":
            return {"slug": obj.slug}
        return {"pk": obj.pk}

    def fill(self, value: str) -> str:
        return value.format(
            second=self.objects["second"].pk,
            unassigned=self.objects["unassigned"].pk,
            lab=self.objects["lab"].pk,
            invitation=self.objects["invitation"].pk,
            assignment=self.objects["assignment"].pk,
            session=self.objects["session"].slug,
        )


@pytest.fixture
def xworld(lworld) -> ExpertMatrixWorld:
    from grappe.projects.tests.factories import ReviewFactory

    assigned_user = lworld.users["assigned_expert"]
    assignment = lworld.request.assignments.get(expert__user=assigned_user)
    expert = assignment.expert
    unassigned = lworld.users["unassigned_expert"].expert_profile
    second = RequestFactory(session=lworld.session, status=RequestStatus.UNDER_REVIEW)
    PartnerFactory(request=second, role=PartnerRole.COORDINATOR)
    third = RequestFactory(session=lworld.session, status=RequestStatus.UNDER_REVIEW)
    PartnerFactory(request=third, role=PartnerRole.COORDINATOR)
    invitation = AssignmentFactory(request=second, expert=expert, status=AssignmentStatus.INVITED)
    proposal = AssignmentFactory(
        request=third, expert=ExpertFactory(), status=AssignmentStatus.PROPOSED
    )
    # a file whose review the assigned expert submitted (under review still: a colleague owes)
    fourth = RequestFactory(session=lworld.session, status=RequestStatus.UNDER_REVIEW)
    PartnerFactory(request=fourth, role=PartnerRole.COORDINATOR)
    submitted = AssignmentFactory(request=fourth, expert=expert, status=AssignmentStatus.ACCEPTED)
    ReviewFactory(assignment=submitted)
    AssignmentFactory(request=fourth, expert=ExpertFactory(), status=AssignmentStatus.INVITED)
    return ExpertMatrixWorld(
        objects={
            "session": lworld.session,
            "expert": expert,
            "assignment": assignment,
            "invitation": invitation,
            "proposal": proposal,
            "submitted": submitted,
            "second": second,
            "unassigned": unassigned,
            "lab": lworld.lab,
            "relationship": ExpertRelationship.objects.create(
                expert=expert, organisation=OrganisationFactory(), kind=RelationshipKind.OTHER
            ),
        }
    )


@pytest.mark.parametrize(("name", "key", "role", "expected"), page_cases(PAGES))
def test_page_answers_each_role(xworld, as_project_role, name, key, role, expected):
    # given the labelling world and one of its people
    client = as_project_role(role)
    # when they open the page
    response = client.get(reverse(name, kwargs=xworld.kwargs(key)))
    # then the answer is the one of the matrix; a visitor is sent to the login page
    check_page(response, expected)


@pytest.mark.parametrize(("name", "key", "data", "role", "expected"), action_cases(ACTIONS))
def test_action_answers_each_role(xworld, as_project_role, name, key, data, role, expected):
    # given the labelling world and one of its people
    client = as_project_role(role)
    # when they post the action
    payload = {field: xworld.fill(value) for field, value in data.items()}
    response = client.post(reverse(name, kwargs=xworld.kwargs(key)), payload)
    # then the answer is the one of the matrix
    check_action(response, role, expected)


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), api_cases(API))
def test_api_answers_each_role(xworld, as_project_role, method, path, body, role, expected):
    # given the labelling world and one of its people, through their session
    client = as_project_role(role)
    # when they call the route
    response = call_api(client, method, xworld.fill(path), body)
    # then the status is the one of the table, and an error comes in the error format
    check_api(response, expected)
