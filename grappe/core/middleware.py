"""A page refused to an anonymous visitor sends them to log in instead of a bare 403."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


class LoginToContinueMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if (
            isinstance(exception, PermissionDenied)
            and not request.user.is_authenticated
            and not request.path.startswith("/api/")
        ):
            return redirect_to_login(request.get_full_path())
        return None
