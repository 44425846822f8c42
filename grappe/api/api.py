"""The REST API under /api/v1/: one router module per app, one error format, the request's
language (Accept-Language, or `?lang=fr|en`) for every name and message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import NinjaAPI, Swagger

from grappe.api.auth import AUTHENTICATED
from grappe.api.errors import register_error_handlers

DESCRIPTION = """
The REST API of the cluster: the directory, people, memberships, invoices, credit notes and
the competence taxonomy.

* **Authentication** — scripts send `Authorization: Bearer <key>` with a token made at
  `/me/tokens/`; a browser uses its session (with the `X-CSRFToken` header on POST).
  The directory and the taxonomy are also open to anonymous callers.
* **Language** — `Accept-Language: en` or `?lang=en` (French by default).
* **Lists** — `?page=&per_page=` (at most 100); the body gives `total` and `pages`.
* **Errors** — always `{"error": {"code", "message", "fields"}}`.
"""


def request_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`?lang=fr|en` wins over Accept-Language for this call, errors included."""
    languages = {code for code, _name in settings.LANGUAGES}

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request.GET.get("lang", "")[:2].lower()
        if language not in languages:
            return run(request, *args, **kwargs)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = run(request, *args, **kwargs)
            response["Content-Language"] = language
            return response

    return wrapper


api = NinjaAPI(
    title="Grappe API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-1",
    auth=AUTHENTICATED,
    # Swagger UI from ninja's own static files (ninja is an installed app): no CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
)
register_error_handlers(api)
api.add_decorator(request_language, mode="view")

api.add_router("/", "grappe.api.routers.organisations.router")
api.add_router("/", "grappe.api.routers.people.router")
api.add_router("/", "grappe.api.routers.memberships.router")
api.add_router("/", "grappe.api.routers.invoices.router")
api.add_router("/", "grappe.api.routers.credit_notes.router")
api.add_router("/", "grappe.api.routers.taxonomy.router")
api.add_router("/", "grappe.api.routers.events.router")
api.add_router("/", "grappe.api.routers.projects.router")
api.add_router("/", "grappe.api.routers.project_reviews.router")
