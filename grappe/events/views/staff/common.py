"""Shared by the staff's event pages: the event or its row, or a 404; the page context; the
staff gate and the spreadsheet of the file downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import get_language

from grappe.dataexchange.writing import csv_response, xlsx_response
from grappe.events import permissions
from grappe.events.models import Event, Price
from grappe.events.selectors import staff as selectors

FORMATS = {"csv", "xlsx"}


def event_get(pk: int) -> Event:
    try:
        return selectors.staff_event_get(pk)
    except Event.DoesNotExist as error:
        raise Http404 from error


def _child(model: type[Any], pk: int, event: Event) -> Any:
    """A row of the event (ticket, question...) or 404 when it belongs to another event."""
    lookup = {"ticket__event": event} if model is Price else {"event": event}
    found = model.objects.filter(pk=pk, **lookup).first()
    if found is None:
        raise Http404
    return found


def _errors_as_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _event_context(event: Event, tab: str, **extra: Any) -> dict[str, Any]:
    return {"event": event, "tab": tab, **extra}


def staff_only(request: HttpRequest) -> None:
    """The staff gate of the file downloads (an anonymous visitor is sent to log in)."""
    if not permissions.can_manage_attendees(request.user):
        raise PermissionDenied


def spreadsheet(filename: str, fmt: str, rows: list[list[Any]], title: str) -> HttpResponseBase:
    """XLSX, or CSV with semicolons and decimal commas for French spreadsheets."""
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", rows, title)
    delimiter = ";" if (get_language() or "fr").startswith("fr") else ","
    return csv_response(f"{filename}.csv", rows, delimiter)
