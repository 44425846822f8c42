"""What the labelling route matrices share: the cases each table expands to (one per role),
and how an answer is checked against the table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from django.urls import reverse

from grappe.projects.tests.conftest import PROJECT_ROLES

DONE = 302  # the redirect after an action that went through (or was refused with a message)


def page_cases(pages: Iterable[tuple[str, str, dict[str, int]]]) -> list[Any]:
    return [
        pytest.param(name, key, role, expected[role], id=f"{name}[{key}] as {role}")
        for name, key, expected in pages
        for role in PROJECT_ROLES
    ]


def action_cases(actions: Iterable[tuple[str, str, dict[str, Any], dict[str, int]]]) -> list[Any]:
    return [
        pytest.param(name, key, data, role, expected[role], id=f"POST {name}[{key}] as {role}")
        for name, key, data, expected in actions
        for role in PROJECT_ROLES
    ]


def api_cases(routes: Iterable[tuple[str, str, Any, dict[str, int]]]) -> list[Any]:
    return [
        pytest.param(method, path, body, role, expected[role], id=f"{method} {path} as {role}")
        for method, path, body, expected in routes
        for role in PROJECT_ROLES
    ]


def check_page(response: Any, expected: int) -> None:
    """The answer of the matrix; a visitor is sent to the login page."""
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


def check_action(response: Any, role: str, expected: int) -> None:
    """The answer of the matrix; a visitor is sent to log in, a done action elsewhere."""
    assert response.status_code == expected
    if role == "visitor":
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == DONE:
        assert not response["Location"].startswith(reverse("account_login"))


def call_api(client: Any, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    return client.post(url, body or {}, content_type="application/json")


def check_api(response: Any, expected: int) -> None:
    """The status of the table; an error comes in the API's error format."""
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"error"}
        assert set(response.json()["error"]) == {"code", "message", "fields"}
