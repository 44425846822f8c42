"""Shared by the consortium's pages: the file's page as a redirect, and the file for an edit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from grappe.projects import permissions
from grappe.projects.models import LabellingRequest, RequestStatus
from grappe.projects.views.file_helpers import viewable_request

S = RequestStatus


def _detail(file: LabellingRequest) -> HttpResponse:
    return redirect("projects:request", pk=file.pk)


def _editable(request: HttpRequest, pk: int) -> LabellingRequest:
    """The file, for an edit: 404 if the viewer may not see it, 403 with the reason if they
    may not edit it."""
    file = viewable_request(request, pk)
    refusal = permissions.edit_refusal(request.user, file)
    if refusal:
        raise PermissionDenied(refusal)
    return file
