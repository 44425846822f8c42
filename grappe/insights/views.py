from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from grappe.dataexchange.writing import csv_response
from grappe.insights.figures import Period
from grappe.insights.permissions import can_view_staff_figures
from grappe.insights.selectors import (
    figures_period,
    figures_sections,
    figures_table,
    figures_years,
)


def _period(request: HttpRequest, years: list[int]) -> Period:
    """The reference year asked for in ?year=, if it is one of `years`; else the current."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return figures_period(year if year in years else None)


def _page(request: HttpRequest, *, staff: bool) -> HttpResponse:
    years = figures_years()
    period = _period(request, years)
    context = {
        "period": period,
        "years": years,
        "sections": figures_sections(period=period, staff=staff),
        "staff_view": staff,
        "can_view_staff": can_view_staff_figures(request.user),
    }
    return render(request, "insights/figures.html", context)


def figures(request: HttpRequest) -> HttpResponse:
    """The cluster in figures: aggregates only, for everyone."""
    return _page(request, staff=False)


def figures_staff(request: HttpRequest) -> HttpResponse:
    if not can_view_staff_figures(request.user):
        raise PermissionDenied
    return _page(request, staff=True)


def figures_csv(request: HttpRequest, key: str) -> StreamingHttpResponse:
    if not can_view_staff_figures(request.user):
        raise PermissionDenied
    period = _period(request, figures_years())
    table = figures_table(period=period, key=key)
    if table is None:
        raise Http404
    return csv_response(f"{key}-{period.year}.csv", table.csv_rows())
