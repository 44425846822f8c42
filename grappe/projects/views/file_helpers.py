"""What the project-file views share: loading a file the viewer may see, refusing with the
reason, and the `next` address after an action."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from grappe.projects import permissions
from grappe.projects.models import LabellingRequest
from grappe.projects.selectors.files import request_get


def login_first(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Visitors are sent to log in; a PermissionDenied with a reason shows it (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return refused(request, str(refusal))

    return wrapper


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "projects/refused.html", {"reason": reason}, status=403)


def viewable_request(request: HttpRequest, pk: int) -> LabellingRequest:
    """The file, if the viewer may see it; a 404 otherwise (its existence is not disclosed)."""
    try:
        file = request_get(pk)
    except LabellingRequest.DoesNotExist as exc:
        raise Http404 from exc
    if not permissions.can_view_request(request.user, file):
        raise Http404
    return file


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address posted with a form, when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
