from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils import translation

from grappe.api.api import api, request_language
from grappe.api.errors import error_response


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown paths under /api/v1/ answer in the API's error format, not with an HTML page."""
    return error_response(api, request, 404)


def method_not_allowed_as_error(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a wrong method with a bare 405; give it the error format (and keep Allow)."""

    @wraps(view)  # keeps ninja's csrf_exempt flag
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            response = error_response(api, request, 405)
            response["Allow"] = allowed
            response["Content-Language"] = translation.get_language() or ""
        return response

    return request_language(wrapper)


api_patterns, api_app_name, api_namespace = api.urls
for pattern in api_patterns:
    pattern.callback = method_not_allowed_as_error(pattern.callback)  # type: ignore[union-attr,arg-type]

urlpatterns = [
    path("", (api_patterns, api_app_name, api_namespace)),
    re_path(r"^(?P<rest>.*)$", request_language(not_found)),
]
