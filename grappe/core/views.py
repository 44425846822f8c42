from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from grappe.core.audit import audit_for
from grappe.core.permissions import can_view_audit


def home(request: HttpRequest) -> HttpResponse:
    from grappe.insights.selectors import public_headline

    return render(request, "core/home.html", {"headline": public_headline()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from grappe.members.selectors import dashboard_for

    return render(request, "core/dashboard.html", dashboard_for(request.user))


def audit_trail(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """Staff read the audit trail of one object."""
    if not can_view_audit(request.user):
        raise PermissionDenied
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=object_id)
    entries = audit_for(obj)[:500]
    return render(request, "core/audit.html", {"object": obj, "entries": entries})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
