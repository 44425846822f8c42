"""The OpenAPI document lists every route and is valid; the docs page works offline."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

ROUTES = {
    "/api/v1/organisations": {"get"},
    "/api/v1/organisations/{slug}": {"get"},
    "/api/v1/organisations/{slug}/memberships": {"get"},
    "/api/v1/people": {"get"},
    "/api/v1/people/{person_id}": {"get"},
    "/api/v1/memberships": {"get"},
    "/api/v1/memberships/{membership_id}": {"get"},
    "/api/v1/memberships/{membership_id}/approve": {"post"},
    "/api/v1/memberships/{membership_id}/refuse": {"post"},
    "/api/v1/memberships/{membership_id}/activate": {"post"},
    "/api/v1/memberships/{membership_id}/end": {"post"},
    "/api/v1/invoices": {"get"},
    "/api/v1/invoices/{number}": {"get"},
    "/api/v1/invoices/{number}/pdf": {"get"},
    "/api/v1/invoices/{number}/pay": {"post"},
    "/api/v1/invoices/{number}/cancel": {"post"},
    "/api/v1/credit-notes": {"get"},
    "/api/v1/credit-notes/{number}": {"get"},
    "/api/v1/credit-notes/{number}/pdf": {"get"},
    "/api/v1/taxonomy": {"get"},
    "/api/v1/events": {"get"},
    "/api/v1/events/registrations": {"get"},
    "/api/v1/events/registrations/{registration_id}": {"get"},
    "/api/v1/events/registrations/{registration_id}/cancel": {"post"},
    "/api/v1/events/registrations/{registration_id}/confirm": {"post"},
    "/api/v1/events/registrations/{registration_id}/decline": {"post"},
    "/api/v1/events/{slug}": {"get"},
    "/api/v1/events/{slug}/register": {"post"},
    "/api/v1/events/{slug}/registrations": {"get"},
    "/api/v1/projects": {"get"},
    "/api/v1/projects/mine": {"get"},
    "/api/v1/projects/sessions": {"get"},
    "/api/v1/projects/{request_id}": {"get"},
    "/api/v1/projects/{request_id}/submit": {"post"},
    "/api/v1/projects/verify/{token}": {"get"},
    "/api/v1/projects/assignments": {"get"},
    "/api/v1/projects/assignments/{assignment_id}/accept": {"post"},
    "/api/v1/projects/assignments/{assignment_id}/decline": {"post"},
    "/api/v1/projects/assignments/{assignment_id}/review": {"get", "post"},
    "/api/v1/projects/assignments/{assignment_id}/review/submit": {"post"},
    "/api/v1/projects/sessions/{slug}/assignments": {"get"},
}


def test_the_openapi_document_lists_every_route_and_validates(client, db):
    # when the document is fetched
    response = client.get("/api/v1/openapi.json")

    # then it parses, validates against the OpenAPI specification and lists every route
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert {path: set(ops) for path, ops in document["paths"].items()} == ROUTES
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert document["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_every_error_response_is_documented_with_the_error_format(client, db):
    document = client.get("/api/v1/openapi.json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
            assert errors, f"{method} {path} documents no error"
            for response in errors.values():
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


def test_public_routes_say_that_no_credentials_are_needed(client, db):
    document = client.get("/api/v1/openapi.json").json()

    assert {} in document["paths"]["/api/v1/taxonomy"]["get"]["security"]
    assert {} not in document["paths"]["/api/v1/people"]["get"]["security"]


def test_the_docs_page_renders_from_local_static_files(client, db):
    # when the docs page is opened
    response = client.get("/api/v1/docs")

    # then it renders Swagger UI from the project's own static files, with no CDN
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert '<link type="text/css" rel="stylesheet" href="/static/ninja/swagger-ui.css">' in html
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    assert "cdn" not in html.lower()
