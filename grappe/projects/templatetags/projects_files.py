"""Template helpers of the project-file pages: status badges, and the files on "My space"."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

BADGES = {
    "submitted": "warn", "under_review": "warn", "reviews_complete": "warn", "committee": "warn",
    "deferred": "warn", "submitted_to_funder": "warn",
    "labelled": "ok", "labelled_reservations": "ok", "support_letter": "ok",
    "certificate_issued": "ok", "funded": "ok",
    "inadmissible": "bad", "rejected": "bad", "not_funded": "bad", "withdrawn": "bad",
}  # fmt: skip


@register.filter
def request_badge(status: str) -> str:
    """The badge class (ok, warn, bad) of a file's status."""
    return BADGES.get(str(status), "")


@register.simple_tag(takes_context=True)
def my_project_files(context: Any) -> list[Any]:
    """The files the viewer is a contact of (one query), for the "My space" partial."""
    from grappe.projects.selectors.files import requests_of_contact

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(requests_of_contact(user)[:20])
