from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from grappe.dataexchange import permissions
from grappe.dataexchange.columns import ORGANISATION_COLUMNS, PEOPLE_COLUMNS, template_rows
from grappe.dataexchange.forms import ImportForm, OrganisationExportForm, PeopleExportForm
from grappe.dataexchange.models import ImportBatch, ImportKind, ImportStatus
from grappe.dataexchange.selectors import (
    import_batches,
    import_plan,
    organisation_export_rows,
    people_export_rows,
)
from grappe.dataexchange.services import import_cancel, import_check, import_confirm
from grappe.dataexchange.writing import csv_response, xlsx_response

logger = logging.getLogger(__name__)


def _staff_only(request: HttpRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied


def _own_batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("owner"), pk=pk)
    if not permissions.can_handle_import(request.user, batch):
        raise PermissionDenied
    return batch


def _index_context(request: HttpRequest, **forms: object) -> dict[str, object]:
    return {
        "organisation_form": forms.get("organisation_form")
        or OrganisationExportForm(auto_id="org-%s"),
        "people_form": forms.get("people_form") or PeopleExportForm(auto_id="people-%s"),
        "batches": import_batches(owner=request.user),
    }


def index(request: HttpRequest) -> HttpResponse:
    """Staff's page to export organisations and people and to start an import."""
    _staff_only(request)
    return render(request, "dataexchange/index.html", _index_context(request))


def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    if not permissions.can_export(request.user):
        raise PermissionDenied
    if kind == ImportKind.ORGANISATIONS:
        form: OrganisationExportForm = OrganisationExportForm(request.GET, auto_id="org-%s")
    else:
        form = PeopleExportForm(request.GET, auto_id="people-%s")
    if not form.is_valid():
        key = "organisation_form" if kind == ImportKind.ORGANISATIONS else "people_form"
        context = _index_context(request, **{key: form})
        return render(request, "dataexchange/index.html", context, status=400)
    filters = form.filters()
    logger.info("export of %s by user %s with %s", kind, request.user.pk, filters)
    rows = (
        organisation_export_rows(filters)
        if kind == ImportKind.ORGANISATIONS
        else people_export_rows(filters)
    )
    filename = f"{kind}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(filename, rows, kind)
    return csv_response(filename, rows, form.delimiter)


def template_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """An empty file with the columns an import reads."""
    _staff_only(request)
    if fmt == "xlsx":
        return xlsx_response(f"{kind}-template.xlsx", template_rows(kind), kind)
    return csv_response(f"{kind}-template.csv", template_rows(kind))


def import_start(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_check(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect(batch)
    context = {
        "form": form,
        "organisation_columns": ORGANISATION_COLUMNS,
        "people_columns": PEOPLE_COLUMNS,
        "batches": import_batches(owner=request.user),
    }
    return render(request, "dataexchange/import.html", context, status=400 if form.errors else 200)


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report of a check (done again now) with the preview, or the result of an import."""
    batch = _own_batch(request, pk)
    plan = import_plan(batch) if batch.status == ImportStatus.CHECKED else None
    outcomes = {
        "create": pgettext("import row", "created"),
        "update": pgettext("import row", "updated"),
        "unchanged": _("already up to date"),
        "invalid": _("left out (errors)"),
    }
    context = {"batch": batch, "plan": plan, "outcomes": outcomes}
    return render(request, "dataexchange/detail.html", context)


def import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        batch = import_confirm(
            actor=request.user,
            batch=batch,
            fingerprint=request.POST.get("fingerprint", ""),
            valid_only=request.POST.get("valid_only") == "1",
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(batch)
    counts = batch.result["counts"]
    messages.success(
        request,
        _("Import done: %(create)s created, %(update)s updated.")
        % {"create": counts["create"], "update": counts["update"]},
    )
    return redirect(batch)


def import_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        import_cancel(actor=request.user, batch=batch)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(batch)
    messages.success(request, _("The file was set aside: nothing was imported."))
    return redirect("dataexchange:import")
