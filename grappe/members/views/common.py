"""What the member-facing views share: fetching an organisation under a permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from grappe.members import permissions
from grappe.members.models import Organisation


def organisation_for(
    request: HttpRequest, slug: str, check: Callable[[Any, Organisation], bool]
) -> Organisation:
    """The organisation named by `slug`, or 403 when `check` refuses the viewer."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not check(request.user, organisation):
        raise PermissionDenied
    return organisation


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


ORGANISATION_TABS = [
    ("profile", "members:organisation_edit", _("Profile"), permissions.can_edit_organisation),
    (
        "visibility",
        "members:organisation_visibility",
        _("Visibility"),
        permissions.can_edit_organisation,
    ),
    (
        "figures",
        "members:organisation_figures",
        _("Yearly figures"),
        permissions.can_edit_organisation,
    ),
    ("contacts", "members:organisation_contacts", _("Contacts"), permissions.can_manage_contacts),
    (
        "membership",
        "members:organisation_membership",
        _("Membership"),
        permissions.can_view_memberships,
    ),
    ("invoices", "members:organisation_invoices", _("Invoices"), permissions.can_view_memberships),
]


def organisation_context(
    request: HttpRequest, organisation: Organisation, tab: str, **extra: Any
) -> dict[str, Any]:
    """The sub-navigation of an organisation's administration pages, and `extra`."""
    decided: dict[Callable[[Any, Organisation], bool], bool] = {}
    tabs = []
    for key, name, label, check in ORGANISATION_TABS:
        if check not in decided:  # several tabs share a permission: ask it once
            decided[check] = check(request.user, organisation)
        if decided[check]:
            url = reverse(name, kwargs={"slug": organisation.slug})
            tabs.append({"key": key, "url": url, "label": label})
    return {"organisation": organisation, "tab": tab, "tabs": tabs, **extra}
