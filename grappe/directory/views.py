"""The directory pages: search (public and members'), profiles, map. Thin: parse, call, render."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers

from grappe.directory.permissions import can_list_non_members
from grappe.directory.search import directory_search, parse_directory_query
from grappe.directory.selectors import map_members, profile_get, profile_json_ld

PER_PAGE = 20
FACET_TITLES = {
    "kind": _("Kind of organisation"),
    "college": _("Collège"),
    "technology": _("Technology"),
    "market": _("Application market"),
    "value_chain": _("Position in the value chain"),
    "region": _("Region"),
    "size_class": _("Size"),
    "trl": _("Technology readiness (TRL)"),
}
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    """The directory: the same page for everyone, richer for members and staff. An HTMX
    request (typing, ticking a facet) gets only the results region back."""
    query = parse_directory_query(request.GET)
    page = directory_search(
        query, viewer=request.user, page=_page_number(request), per_page=PER_PAGE
    )
    context = {
        "page": page,
        "query": query,
        "facet_titles": FACET_TITLES,
        "can_list_non_members": can_list_non_members(request.user),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return render(request, "directory/_results.html", context)
    return render(request, "directory/search.html", context)


def profile(request: HttpRequest, slug: str) -> HttpResponse:
    found = profile_get(viewer=request.user, slug=slug)
    if found is None:
        raise Http404
    json_ld = json.dumps(
        profile_json_ld(found, request.build_absolute_uri), ensure_ascii=False, indent=1
    ).translate(_JSON_ESCAPES)
    return render(
        request,
        "directory/profile.html",
        {"profile": found, "organisation": found.organisation, "json_ld": mark_safe(json_ld)},  # noqa: S308
    )


def map_view(request: HttpRequest) -> HttpResponse:
    data = map_members(viewer=request.user)
    return render(
        request,
        "directory/map.html",
        {
            "map": data,
            "markers": data.markers,
            "tiles_url": settings.GRAPPE_MAP_TILES_URL,
            "attribution": settings.GRAPPE_MAP_ATTRIBUTION,
        },
    )
