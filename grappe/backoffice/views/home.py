from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grappe.backoffice.selectors import home_summary
from grappe.backoffice.views._common import staff_required


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs doing: applications, unpaid invoices, requests, renewals."""
    return render(request, "backoffice/home.html", home_summary())
