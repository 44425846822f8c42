"""What every back-office view shares: the staff gate, pagination and links to other apps."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from grappe.backoffice.permissions import can_use_backoffice

PAGE_SIZE = 50


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors are sent to the login page; logged-in people who are not staff get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_use_backoffice(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def paginate(request: HttpRequest, qs: QuerySet[Any], size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def organisation_edit_url(slug: str) -> str:
    """The organisation's own admin pages (members app), when they are installed."""
    try:
        return reverse("members:organisation_edit", kwargs={"slug": slug})
    except NoReverseMatch:
        return ""


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address posted with a form, when it stays on this site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
