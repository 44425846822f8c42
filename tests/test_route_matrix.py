"""One matrix: every role against every page, with the expected answer.

Each row names a route (URL name and the world object its arguments come from) and gives the
status for the roles, in the order of ROLES. 302 means "sent to the login page"; a page that is
POST-only answers 405 to those allowed to use it. The API has its own matrix with the same roles
(grappe/api/tests/test_matrix.py); `test_every_route_is_in_a_matrix` fails when a route is added
to either without its row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from grappe.members.models import (
    AffiliationStatus,
    Competence,
    MembershipStatus,
    TaxonomyVersion,
)
from grappe.members.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    fee_schedule,
)

ROLES = ["visitor", "registered", "member", "org_admin", "other_member", "staff", "expert"]


def row(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


PUBLIC = row(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = row(302, 200, 200, 200, 200, 200, 200)
STAFF = row(302, 403, 403, 403, 403, 200, 403)
STAFF_POST = row(302, 403, 403, 403, 403, 405, 403)
ORG_ADMIN = row(302, 403, 403, 200, 403, 200, 403)
# Actions that only accept POST answer 405 to a GET from anyone logged in; who may POST them
# is in ACTIONS below.
POST_ONLY = row(302, 405, 405, 405, 405, 405, 405)


@dataclass
class World:
    org: Any
    other_org: Any
    non_member: Any
    applied: Any
    invoice: Any
    request_to_org: Any
    contact: Any
    person: Any
    year: int
    taxonomy: Any
    draft: Any
    competence: Any
    cancelled: Any
    credit_note: Any

    def kwargs(self, key: str | None) -> dict[str, Any]:
        values: dict[str | None, dict[str, Any]] = {
            None: {},
            "org": {"slug": self.org.slug},
            "other_org": {"slug": self.other_org.slug},
            "non_member": {"slug": self.non_member.slug},
            "request": {"pk": self.request_to_org.pk},
            "invoice": {"pk": self.invoice.pk},
            "contact": {"slug": self.org.slug, "pk": self.contact.pk},
            "affiliation": {"pk": self.contact.pk},
            "applied": {"pk": self.applied.pk},
            "year": {"year": self.year},
            "college": {"year": self.year, "college": "sme"},
            "person": {"pk": self.person.pk},
            "audit": {
                "content_type_id": ContentType.objects.get_for_model(self.org).pk,
                "object_id": self.org.pk,
            },
            "figures_csv": {"key": "members-by-kind"},
            "export": {"kind": "organisations", "fmt": "csv"},
            "taxonomy": {"pk": self.taxonomy.pk},
            "draft": {"pk": self.draft.pk},
            "competence": {"pk": self.competence.pk},
            "cancelled": {"pk": self.cancelled.pk},
            "credit_note": {"pk": self.credit_note.pk},
        }
        return values[key]


# (URL name, world key, expected statuses)
PAGES: list[tuple[str, str | None, dict[str, int]]] = [
    ("core:home", None, PUBLIC),
    ("core:healthz", None, PUBLIC),
    ("core:dashboard", None, LOGGED_IN),
    ("core:audit", "audit", row(302, 403, 403, 403, 403, 200, 403)),
    ("accounts:tokens", None, LOGGED_IN),
    ("members:join", None, PUBLIC),
    ("members:my_profile", None, LOGGED_IN),
    ("members:organisation_declare", None, LOGGED_IN),
    ("members:organisation_find", None, LOGGED_IN),
    ("members:affiliation_answer", "request", POST_ONLY),
    ("members:affiliation_withdraw", "request", row(302, 405, 405, 405, 405, 405, 405)),
    # The member's own affiliation: nobody else learns that it exists.
    ("members:affiliation_leave", "affiliation", row(302, 404, 200, 404, 404, 404, 404)),
    ("members:invoice_pdf", "invoice", ORG_ADMIN),
    ("members:credit_note_pdf", "cancelled", ORG_ADMIN),
    ("members:organisation_edit", "org", ORG_ADMIN),
    ("members:affiliation_request", "org", row(302, 405, 405, 405, 405, 405, 405)),
    ("members:organisation_visibility", "org", ORG_ADMIN),
    ("members:organisation_figures", "org", ORG_ADMIN),
    ("members:organisation_contacts", "org", ORG_ADMIN),
    ("members:contact_set_admin", "contact", POST_ONLY),
    ("members:contact_end", "contact", POST_ONLY),
    ("members:organisation_membership", "org", ORG_ADMIN),
    ("members:membership_apply", "org", ORG_ADMIN),
    ("members:organisation_invoices", "org", ORG_ADMIN),
    ("directory:search", None, PUBLIC),
    ("directory:map", None, PUBLIC),
    ("directory:profile", "org", PUBLIC),
    ("directory:profile", "non_member", row(404, 404, 404, 404, 404, 200, 404)),
    ("insights:figures", None, PUBLIC),
    ("insights:staff", None, STAFF),
    ("insights:csv", "figures_csv", STAFF),
    ("backoffice:home", None, STAFF),
    ("backoffice:applications", None, STAFF),
    ("backoffice:memberships", None, STAFF),
    ("backoffice:membership", "applied", STAFF),
    ("backoffice:membership_approve", "applied", STAFF_POST),
    ("backoffice:membership_refuse", "applied", STAFF_POST),
    ("backoffice:membership_activate", "applied", STAFF_POST),
    ("backoffice:membership_end", "applied", STAFF),
    ("backoffice:membership_renew", "applied", STAFF_POST),
    ("backoffice:memberships_renew_year", "year", STAFF),
    ("backoffice:invoices", None, STAFF),
    ("backoffice:invoice_pdf", "invoice", STAFF),
    ("backoffice:invoice_mark_paid", "invoice", STAFF),
    ("backoffice:invoice_cancel", "invoice", STAFF),
    ("backoffice:credit_note_pdf", "credit_note", STAFF),
    ("backoffice:schedules", None, STAFF),
    ("backoffice:schedule_create", None, STAFF),
    ("backoffice:schedule", "year", STAFF),
    ("backoffice:schedule_edit", "year", STAFF),
    ("backoffice:schedule_copy", "year", STAFF),
    ("backoffice:bands_edit", "college", STAFF),
    ("backoffice:organisations", None, STAFF),
    ("backoffice:people", None, STAFF),
    ("backoffice:person", "person", STAFF),
    ("backoffice:person_set_expert", "person", STAFF_POST),
    ("backoffice:affiliations", None, STAFF),
    ("backoffice:affiliation_confirm", "request", STAFF_POST),
    ("backoffice:affiliation_refuse", "request", STAFF_POST),
    ("backoffice:cluster_profile", None, STAFF),
    ("backoffice:taxonomy", None, STAFF),
    ("backoffice:taxonomy_version", "taxonomy", STAFF),
    ("backoffice:taxonomy_copy", "taxonomy", STAFF),
    ("backoffice:taxonomy_publish", "draft", STAFF),
    ("backoffice:taxonomy_competence_create", "draft", STAFF),
    ("backoffice:taxonomy_competence_edit", "competence", STAFF),
    ("dataexchange:index", None, STAFF),
    ("dataexchange:export", "export", STAFF),
    ("dataexchange:import", None, STAFF),
    ("dataexchange:template", "export", STAFF),
]
# (URL name, world key, POST data, expected statuses): the actions behind the forms.
# 302 for an allowed role is the redirect after the action (a visitor's 302 goes to login).
DONE = 302
ACTIONS: list[tuple[str, str, dict[str, str], dict[str, int]]] = [
    ("members:affiliation_answer", "request", {"decision": "confirm"}, row(302, 403, 403, DONE, 403, DONE, 403)),
    ("members:affiliation_withdraw", "request", {}, row(302, DONE, 403, 403, 403, 403, 403)),
    ("members:affiliation_leave", "affiliation", {}, row(302, 404, DONE, 404, 404, 404, 404)),
    ("members:affiliation_request", "other_org", {"role": "technical"}, row(302, DONE, DONE, DONE, 403, DONE, DONE)),
    ("members:contact_set_admin", "contact", {"is_admin": "1"}, row(302, 403, 403, DONE, 403, DONE, 403)),
    ("members:contact_end", "contact", {}, row(302, 403, 403, DONE, 403, DONE, 403)),
    ("backoffice:membership_approve", "applied", {"body": "board", "decided_on": "2026-03-03", "note": "Board"}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:membership_refuse", "applied", {"reason": "Outside our field"}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:membership_activate", "applied", {}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:membership_renew", "applied", {}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:invoice_cancel", "invoice", {"reason": "Issued twice", "issued_on": str(timezone.localdate())}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:person_set_expert", "person", {"is_expert": "1"}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:affiliation_confirm", "request", {}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:affiliation_refuse", "request", {}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:taxonomy_copy", "taxonomy", {"code": "2099.1"}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:taxonomy_publish", "draft", {}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:taxonomy_competence_create", "draft", {"code": "tech.optics", "facet": "technology", "name_fr": "Optique", "name_en": "Optics"}, row(302, 403, 403, 403, 403, DONE, 403)),
    ("backoffice:taxonomy_competence_edit", "competence", {"code": "tech.lasers", "facet": "technology", "name_fr": "Lasers", "name_en": "Lasers and sources", "is_active": "on"}, row(302, 403, 403, 403, 403, DONE, 403)),
]  # fmt: skip

# Routes of the staff import whose object belongs to one uploader; covered in dataexchange tests.
COVERED_ELSEWHERE = {
    "dataexchange:import_detail", "dataexchange:import_confirm", "dataexchange:import_cancel",
    "accounts:token_revoke", "core:audit",
}  # fmt: skip
PAGE_NAMESPACES = {
    "core", "accounts", "members", "directory", "insights", "backoffice", "dataexchange",
}  # fmt: skip


@pytest.fixture
def world(db, member, org_admin, other_member, registered, member_org) -> World:
    from grappe.members.services import invoice_cancel, invoice_issue
    from grappe.members.tests.factories import PersonFactory

    year = timezone.localdate().year
    fee_schedule(year)
    other_org = other_member.person.affiliations.get().organisation
    non_member = OrganisationFactory(name="Prospect Optique", slug="prospect-optique")
    applicant = OrganisationFactory(name="Candidate Laser", slug="candidate-laser")
    applied = MembershipFactory(organisation=applicant, status=MembershipStatus.APPLIED)
    paid_year = MembershipFactory(organisation=member_org, year=year - 1)
    invoice = invoice_issue(actor=_staff_actor(), membership=paid_year)
    cancelled = invoice_issue(
        actor=_staff_actor(), membership=MembershipFactory(organisation=member_org, year=year - 2)
    )
    credit_note = invoice_cancel(actor=_staff_actor(), invoice=cancelled, reason="Issued twice")
    request_to_org = AffiliationFactory(
        person=registered.person,
        organisation=member_org,
        status=AffiliationStatus.PENDING,
        start=dt.date(year, 1, 1),
    )
    contact = member.person.affiliations.get()
    draft = TaxonomyVersion.objects.create(code="matrix-draft")
    competence = Competence.objects.create(
        version=draft, code="tech.lasers", facet="technology", name_fr="Lasers", name_en="Lasers"
    )
    return World(
        org=member_org,
        other_org=other_org,
        non_member=non_member,
        applied=applied,
        invoice=invoice,
        request_to_org=request_to_org,
        contact=contact,
        person=PersonFactory(),
        year=year,
        taxonomy=TaxonomyVersion.objects.get(is_current=True),
        draft=draft,
        competence=competence,
        cancelled=cancelled,
        credit_note=credit_note,
    )


def _staff_actor():
    from grappe.members.tests.factories import UserFactory

    return UserFactory(is_staff=True)


@pytest.fixture
def as_role(client, request):
    def _as(role: str):
        if role != "visitor":
            client.force_login(request.getfixturevalue(role))
        return client

    return _as


CASES = [
    pytest.param(name, key, role, expected[role], id=f"{name}[{key}] as {role}")
    for name, key, expected in PAGES
    for role in ROLES
]


@pytest.mark.parametrize(("name", "key", "role", "expected"), CASES)
def test_page_answers_each_role(world, staff, as_role, name, key, role, expected):
    # given the world and one of the usual people
    client = as_role(role)
    # when they open the page
    response = client.get(reverse(name, kwargs=world.kwargs(key)))
    # then the answer is the one of the matrix; a visitor is sent to the login page
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


ACTION_CASES = [
    pytest.param(name, key, data, role, expected[role], id=f"POST {name}[{key}] as {role}")
    for name, key, data, expected in ACTIONS
    for role in ROLES
]


@pytest.mark.parametrize(("name", "key", "data", "role", "expected"), ACTION_CASES)
def test_action_answers_each_role(world, staff, as_role, name, key, data, role, expected):
    # given the world and one of the usual people
    client = as_role(role)
    # when they post the action
    url = reverse(name, kwargs=world.kwargs(key))
    response = client.post(url, data)
    # then the answer is the one of the matrix
    assert response.status_code == expected
    if role == "visitor":
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == DONE:
        assert not response["Location"].startswith(reverse("account_login"))


def _named_routes(resolver: URLResolver, namespace: str | None = None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_routes(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


# Apps with their own world and roles keep their matrices beside them; each module gives
# NAMESPACES, PAGES (URL name first in each row) and API (method, path first in each row).
APP_MATRICES = [
    "grappe.events.tests.test_route_matrix",
    "grappe.events.tests.test_route_matrix_staff",
    "grappe.projects.tests.test_route_matrix",
    "grappe.projects.tests.test_route_matrix_experts",
]


def test_every_route_is_in_a_matrix():
    import importlib

    from grappe.api.tests.test_matrix import MATRIX

    modules = [importlib.import_module(name) for name in APP_MATRICES]
    namespaces = set(PAGE_NAMESPACES).union(*(m.NAMESPACES for m in modules))
    covered = {name for name, _key, _row in PAGES}.union(
        *({page[0] for page in m.PAGES} for m in modules)
    )
    routes = set(_named_routes(get_resolver()))
    pages = {name for name in routes if name.split(":")[0] in namespaces}
    assert pages - covered - COVERED_ELSEWHERE == set()
    api_routes = {name for name in routes if name.startswith("api-1:")}
    api_paths = {path.split("?")[0] for _method, path, _body, _row in MATRIX}.union(
        *({row[1].split("?")[0] for row in m.API} for m in modules)
    )
    from grappe.api.api import api

    documented = set(api.get_openapi_schema()["paths"])
    undocumented_in_matrix = {
        path
        for path in documented
        if path.replace("{slug}", "{org}").replace("{number}", "{invoice}") not in api_paths
        and not any(_same_route(path, p) for p in api_paths)
    }
    assert api_routes  # the API is mounted
    assert undocumented_in_matrix == set()


def _same_route(template: str, concrete: str) -> bool:
    parts, other = template.strip("/").split("/"), concrete.strip("/").split("/")
    return len(parts) == len(other) and all(
        a == b or a.startswith("{") or b.startswith("{") for a, b in zip(parts, other, strict=True)
    )
