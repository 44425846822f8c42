"""Role × route matrix of the project-file pages and the projects API (confidentiality).

Roles: visitor, unrelated member, consortium contact, assigned expert, conflicted expert,
unassigned expert, staff. Read by tests/test_route_matrix.py like the others: NAMESPACES,
PAGES (URL name first) and API ((method, path) first). 302 sends a visitor to log in; a file
someone may not see answers 404 (its existence is not disclosed); an action on a file they see
but may not act on answers 403 with the reason; POST-only actions answer 405 to a GET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from grappe.projects.models import (
    Certificate,
    CommitteeMember,
    CommitteeRole,
    Decision,
    EligibilityRule,
    ExpertExclusion,
    LabellingRequest,
    PartnerRole,
    ProjectDocument,
    RequestStatus,
)
from grappe.projects.tests.conftest import PROJECT_ROLES
from grappe.projects.tests.factories import (
    ExpertFactory,
    PartnerFactory,
    RequestFactory,
    contact_add,
    pdf_bytes,
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
S = RequestStatus


def row(*codes: int) -> dict[str, int]:
    return dict(zip(PROJECT_ROLES, codes, strict=True))


#            visitor, unrelated, contact, assigned, conflicted, unassigned, staff
PUBLIC = row(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = row(302, 200, 200, 200, 200, 200, 200)
POST_ONLY = row(302, 405, 405, 405, 405, 405, 405)
STAFF = row(302, 403, 403, 403, 403, 403, 200)
STAFF_POST = row(302, 403, 403, 403, 403, 403, 405)
# A file under review: its contact, its cleared expert and staff see it.
FILE = row(302, 404, 200, 200, 404, 404, 200)
# A file without experts: its contact and staff.
OWN = row(302, 404, 200, 404, 404, 404, 200)
# Its contact only (staff see the file but may not do it: 403 with the reason).
CONTACT_ONLY = row(302, 404, 200, 404, 404, 404, 403)
# Staff only, on a file (its contact sees the file: 403 with the reason).
STAFF_ON_FILE = row(302, 404, 403, 404, 404, 404, 200)

# (URL name, world key, expected statuses)
PAGES: list[tuple[str, str | None, dict[str, int]]] = [
    ("projects:public_list", None, PUBLIC),
    ("projects:sessions", None, PUBLIC),
    ("projects:session", "session", PUBLIC),
    ("projects:verify", "certificate", PUBLIC),
    ("projects:mine", None, LOGGED_IN),
    # only contacts of member organisations start a file (experts and staff here are not)
    ("projects:request_create", None, row(302, 200, 200, 403, 403, 403, 403)),
    ("projects:request", "request", FILE),
    ("projects:request", "draft", OWN),
    ("projects:request", "certified", OWN),
    ("projects:request_edit", "draft", CONTACT_ONLY),
    ("projects:request_edit", "request", row(302, 404, 403, 403, 404, 404, 403)),
    ("projects:partner_add", "draft", CONTACT_ONLY),
    ("projects:partner_edit", "partner", CONTACT_ONLY),
    ("projects:partner_remove", "partner", POST_ONLY),
    ("projects:contact_add", "draft", POST_ONLY),
    ("projects:contact_remove", "contact", POST_ONLY),
    ("projects:document_add", "draft", CONTACT_ONLY),
    ("projects:document_download", "document", FILE),
    ("projects:document_download", "draft_document", OWN),
    ("projects:document_remove", "draft_document", POST_ONLY),
    ("projects:exclusion_add", "draft", CONTACT_ONLY),
    ("projects:exclusion_remove", "exclusion", POST_ONLY),
    ("projects:request_submit", "draft", CONTACT_ONLY),
    ("projects:request_withdraw", "draft", OWN),
    ("projects:request_funder", "certified", OWN),
    ("projects:request_outcome", "funding", OWN),
    ("projects:request_resubmit", "certified", CONTACT_ONLY),
    ("projects:certificate_pdf", "certified", OWN),
    ("projects:request_reopen", "submitted", STAFF_ON_FILE),
    ("projects:request_declare_inadmissible", "submitted", STAFF_ON_FILE),
    ("projects:request_start_review", "submitted", POST_ONLY),
    ("projects:request_mark_reviews_complete", "request", POST_ONLY),
    ("projects:request_to_committee", "request", POST_ONLY),
    ("projects:request_decide", "committee", STAFF_ON_FILE),
    ("projects:request_issue_certificate", "request", POST_ONLY),
    ("projects:request_close", "request", POST_ONLY),
    ("projects:certificate_revoke", "certified", STAFF_ON_FILE),
    ("projects:staff_sessions", None, STAFF),
    ("projects:staff_session_create", None, STAFF),
    ("projects:staff_session", "session", STAFF),
    ("projects:staff_session_edit", "session", STAFF),
    ("projects:staff_grid", "session", STAFF),
    ("projects:staff_grid_copy", "session", STAFF_POST),
    ("projects:staff_criterion_edit", "criterion", STAFF),
    ("projects:staff_criterion_remove", "criterion", STAFF_POST),
    ("projects:staff_committee", "session", STAFF),
    ("projects:staff_committee_remove", "seat", STAFF_POST),
    ("projects:staff_rules", None, STAFF),
    ("projects:staff_rule_create", None, STAFF),
    ("projects:staff_rule_edit", "rule", STAFF),
    ("projects:staff_portfolio", None, STAFF),
]

# (URL name, world key, POST data, expected statuses)
ACTIONS: list[tuple[str, str, dict[str, str], dict[str, int]]] = [
    ("projects:partner_remove", "partner", {}, row(302, 404, DONE, 404, 404, 404, 403)),
    ("projects:contact_add", "draft", {"email": "nobody@example.org"}, row(302, 404, DONE, 404, 404, 404, DONE)),
    ("projects:contact_remove", "contact", {}, row(302, 404, DONE, 404, 404, 404, DONE)),
    ("projects:document_remove", "draft_document", {}, row(302, 404, DONE, 404, 404, 404, 403)),
    ("projects:exclusion_remove", "exclusion", {}, row(302, 404, DONE, 404, 404, 404, 403)),
    ("projects:request_withdraw", "draft", {"reason": "Consortium dissous"}, row(302, 404, DONE, 404, 404, 404, DONE)),
    ("projects:request_start_review", "submitted", {}, row(302, 404, 403, 404, 404, 404, DONE)),
    ("projects:request_reopen", "submitted", {"reason": "Budget à revoir"}, row(302, 404, 403, 404, 404, 404, DONE)),
    ("projects:request_declare_inadmissible", "submitted", {"reason": "Hors thème"}, row(302, 404, 403, 404, 404, 404, DONE)),
    ("projects:request_mark_reviews_complete", "request", {}, row(302, 404, 403, DONE, 404, 404, DONE)),
    ("projects:request_to_committee", "request", {}, row(302, 404, 403, 403, 404, 404, 403)),
    ("projects:request_decide", "committee", {"decision": "labelled"}, row(302, 404, 403, 404, 404, 404, DONE)),
    ("projects:request_issue_certificate", "labelled", {}, row(302, 404, 403, 404, 404, 404, DONE)),
    ("projects:request_close", "funding", {}, row(302, 404, 403, 404, 404, 404, 403)),
    ("projects:request_funder", "certified", {"reference": "BPI-1", "submitted_on": "2025-01-05"}, row(302, 404, DONE, 404, 404, 404, DONE)),
    ("projects:certificate_revoke", "certified", {"reason": "Erreur de session"}, row(302, 404, 403, 404, 404, 404, DONE)),
    ("projects:staff_grid_copy", "session", {}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_criterion_remove", "criterion", {}, row(302, 403, 403, 403, 403, 403, DONE)),
    ("projects:staff_committee_remove", "seat", {}, row(302, 403, 403, 403, 403, 403, DONE)),
]  # fmt: skip

A = 401  # the API's answer to an anonymous caller on an authenticated route
# (method, path, body, expected statuses)
API: list[tuple[str, str, dict | None, dict[str, int]]] = [
    ("GET", "/api/v1/projects", None, PUBLIC),
    ("GET", "/api/v1/projects?mine=true", None, row(A, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/projects/mine", None, row(A, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/projects/sessions", None, PUBLIC),
    ("GET", "/api/v1/projects/{request}", None, row(404, 404, 200, 200, 404, 404, 200)),
    ("GET", "/api/v1/projects/{certified}", None, PUBLIC),
    ("GET", "/api/v1/projects/{draft}", None, row(404, 404, 200, 404, 404, 404, 200)),
    # the world's draft does not add up: its contact is told why (400); staff may not submit
    ("POST", "/api/v1/projects/{draft}/submit", None, row(A, 404, 400, 404, 404, 404, 403)),
    ("POST", "/api/v1/projects/{request}/submit", None, row(A, 404, 409, 403, 404, 404, 403)),
    ("GET", "/api/v1/projects/verify/{token}", None, PUBLIC),
    ("GET", "/api/v1/projects/verify/00000000-0000-0000-0000-000000000000", None, row(404, 404, 404, 404, 404, 404, 404)),
]  # fmt: skip


@dataclass
class MatrixWorld:
    objects: dict[str, Any]

    def kwargs(self, key: str | None) -> dict[str, Any]:
        if key is None:
            return {}
        obj = self.objects[key]
        if key in ("session",):
            return {"slug": obj.slug}
        if key == "certificate":
            return {"token": obj.token}
        if key == "partner":
            return {"pk": obj.request_id, "partner_pk": obj.pk}
        if key == "contact":
            return {"pk": obj.request_id, "contact_pk": obj.pk}
        if key in ("document", "draft_document"):
            return {"pk": obj.request_id, "document_pk": obj.pk}
        if key == "exclusion":
            return {"pk": obj.request_id, "exclusion_pk": obj.pk}
        if key == "criterion":
            return {"slug": obj.session.slug, "criterion_pk": obj.pk}
        if key == "seat":
            return {"slug": obj.session.slug, "seat_pk": obj.pk}
        return {"pk": obj.pk}

    def format(self, path: str) -> str:
        return path.format(
            request=self.objects["request"].pk,
            draft=self.objects["draft"].pk,
            certified=self.objects["certified"].pk,
            token=self.objects["certificate"].token,
        )


def _file(lworld, status: str, **extra: Any) -> LabellingRequest:
    """Another file of the world's coordinator, its contact the world's member."""
    member = lworld.users["consortium_contact"]
    request = RequestFactory(project__lead=lworld.request.project.lead, status=status, **extra)
    PartnerFactory(request=request, organisation=request.project.lead, role=PartnerRole.COORDINATOR)
    PartnerFactory(request=request, organisation=lworld.lab)
    contact_add(request, member)
    return request


def _document(request: LabellingRequest) -> ProjectDocument:
    document = ProjectDocument(
        request=request, kind="description", title="Annexe technique", content_type="application/pdf",
        size=100, sha256="0" * 64,
    )  # fmt: skip
    document.file.save("document.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    return document


@pytest.fixture
def mworld(lworld, monkeypatch) -> MatrixWorld:
    from grappe.members.tests.factories import PersonFactory, UserFactory

    now = timezone.now()
    member = lworld.users["consortium_contact"]
    draft = lworld.draft
    # a second contact of the draft, from the same organisation, to remove
    colleague = PersonFactory(user=UserFactory()).user
    second = contact_add(draft, colleague)
    partner = PartnerFactory(request=draft, organisation=lworld.lab)
    labelled = _file(lworld, S.LABELLED, decision=Decision.LABELLED, decided_at=now)
    certified = _file(
        lworld, S.CERTIFICATE_ISSUED, decision=Decision.LABELLED, decided_at=now,
        publish_consent=True,
    )  # fmt: skip
    certificate = Certificate.objects.create(
        request=certified, number="LAB-2026-0900", kind="label", issued_at=now
    )
    funding = _file(lworld, S.SUBMITTED_TO_FUNDER, decision=Decision.LABELLED, decided_at=now)
    seat = CommitteeMember.objects.create(
        session=lworld.session, user=UserFactory(), role=CommitteeRole.MEMBER
    )
    monkeypatch.setattr(
        "grappe.projects.services.certificates.certificate_pdf",
        lambda certificate, language="fr": b"%PDF-1.4 test",
    )
    assert member  # the world's contact is a contact of every file above
    return MatrixWorld(
        objects={
            "session": lworld.session,
            "request": lworld.request,
            "draft": draft,
            "partner": partner,
            "contact": second,
            "document": _document(lworld.request),
            "draft_document": _document(draft),
            "exclusion": ExpertExclusion.objects.create(
                request=draft, expert=ExpertFactory(), reason="Concurrent direct"
            ),
            "submitted": _file(lworld, S.SUBMITTED),
            "committee": _file(lworld, S.COMMITTEE),
            "labelled": labelled,
            "certified": certified,
            "certificate": certificate,
            "funding": funding,
            "criterion": lworld.session.criteria.first(),
            "seat": seat,
            "rule": EligibilityRule.objects.first(),
        }
    )


@pytest.mark.parametrize(("name", "key", "role", "expected"), page_cases(PAGES))
def test_page_answers_each_role(mworld, as_project_role, name, key, role, expected):
    # given the labelling world and one of its people
    client = as_project_role(role)
    # when they open the page
    response = client.get(reverse(name, kwargs=mworld.kwargs(key)))
    # then the answer is the one of the matrix; a visitor is sent to the login page
    check_page(response, expected)


@pytest.mark.parametrize(("name", "key", "data", "role", "expected"), action_cases(ACTIONS))
def test_action_answers_each_role(mworld, as_project_role, name, key, data, role, expected):
    # given the labelling world and one of its people
    client = as_project_role(role)
    # when they post the action
    response = client.post(reverse(name, kwargs=mworld.kwargs(key)), data)
    # then the answer is the one of the matrix
    check_action(response, role, expected)


@pytest.mark.parametrize(("method", "path", "body", "role", "expected"), api_cases(API))
def test_api_answers_each_role(mworld, as_project_role, method, path, body, role, expected):
    # given the labelling world and one of its people, through their session
    client = as_project_role(role)
    # when they call the route
    response = call_api(client, method, mworld.format(path), body)
    # then the status is the one of the table, and an error comes in the error format
    check_api(response, expected)
