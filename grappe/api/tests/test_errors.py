"""One error format for every error, in the request's language."""

from __future__ import annotations

from grappe.members.models import Membership, MembershipStatus


def test_a_bad_query_parameter_is_422_with_the_field(login, world, staff):
    # when staff ask for more than 100 items a page, in English
    response = login(staff).get(
        "/api/v1/memberships?per_page=101&year=soon", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then 422 names each field and its reason
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some values are not valid: see the fields.",
            "fields": {
                "year": ["Enter a whole number."],
                "per_page": ["Enter a value less than or equal to 100."],
            },
        }
    }


def test_a_bad_choice_lists_the_choices(login, world, staff):
    # when staff filter on a status that does not exist
    response = login(staff).get("/api/v1/memberships?status=dormant", HTTP_ACCEPT_LANGUAGE="en")

    # then the field error gives the valid choices
    assert response.status_code == 422
    [message] = response.json()["error"]["fields"]["status"]
    assert message.startswith("Choose one of: 'applied', 'approved', 'active'")


def test_a_body_that_is_not_json_is_400(login, world, staff):
    # when staff send a broken body
    response = login(staff).post(
        f"/api/v1/memberships/{world.applied.pk}/refuse",
        "{note:",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then 400, and nothing changed
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "bad_request",
            "message": "The request body is not valid JSON.",
            "fields": {},
        }
    }
    world.applied.refresh_from_db()
    assert world.applied.status == MembershipStatus.APPLIED


def test_a_service_refusal_is_400_with_the_services_message(login, world, staff, mailoutbox):
    # when staff refuse an application without giving the reason
    response = login(staff).post(
        f"/api/v1/memberships/{world.applied.pk}/refuse",
        {"note": "  "},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then the service's message comes back on its field, and nothing changed
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Give the reason for the refusal: it is sent to them.",
            "fields": {"note": ["Give the reason for the refusal: it is sent to them."]},
        }
    }
    world.applied.refresh_from_db()
    assert world.applied.status == MembershipStatus.APPLIED
    assert mailoutbox == []


def test_an_action_the_state_forbids_is_409(login, world, staff, mailoutbox):
    # when staff try to activate a membership that is only applied for
    response = login(staff).post(
        f"/api/v1/memberships/{world.applied.pk}/activate", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then 409 with the workflow's message, and nothing changed
    assert response.status_code == 409
    message = "A membership cannot go from “Applied” to “Active”."
    assert response.json() == {
        "error": {"code": "conflict", "message": message, "fields": {"status": [message]}}
    }
    assert Membership.objects.get(pk=world.applied.pk).status == MembershipStatus.APPLIED
    assert mailoutbox == []


def test_a_wrong_ending_is_400_not_409(login, world, staff):
    # when staff end a membership with a status that is not an ending
    response = login(staff).post(
        f"/api/v1/memberships/{world.active.pk}/end",
        {"status": "paused"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then it is bad input, named on its field
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "status": ["Choose lapsed, resigned or excluded."]
    }


def test_forbidden_is_403_in_the_error_format(login, world, member):
    response = login(member).get("/api/v1/memberships", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "permission_denied",
            "message": "You do not have permission to do this.",
            "fields": {},
        }
    }


def test_not_found_is_404_in_the_error_format(client, world):
    response = client.get("/api/v1/organisations/no-such-org", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }


def test_an_unknown_path_under_the_api_is_404_in_the_error_format(client, db):
    response = client.get("/api/v1/no/such/thing", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_errors_come_in_french_by_default_and_with_lang(client, world):
    # when the same missing profile is asked for in French, by default and by ?lang=
    default = client.get("/api/v1/organisations/no-such-org")
    chosen = client.get("/api/v1/organisations/no-such-org?lang=fr", HTTP_ACCEPT_LANGUAGE="en")

    # then both answer in French
    expected = {"error": {"code": "not_found", "message": "Introuvable.", "fields": {}}}
    assert default.json() == expected
    assert chosen.json() == expected
    assert chosen["Content-Language"] == "fr"


def test_validation_messages_are_translated(login, world, staff):
    response = login(staff).get("/api/v1/memberships?per_page=0", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Certaines valeurs ne sont pas valides : voir les champs.",
            "fields": {"per_page": ["Saisissez une valeur supérieure ou égale à 1."]},
        }
    }


def test_a_wrong_method_is_405_in_the_error_format(login, world, staff):
    # when staff GET an action that only takes POST
    response = login(staff).get(
        f"/api/v1/memberships/{world.applied.pk}/approve", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then 405 says so in the error format, with the allowed method
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {
        "error": {
            "code": "method_not_allowed",
            "message": "This method is not allowed here.",
            "fields": {},
        }
    }
    world.applied.refresh_from_db()
    assert world.applied.status == "applied"
