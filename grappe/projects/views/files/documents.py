"""The draft's documents (and their confidential download) and its expert exclusions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grappe.projects import permissions
from grappe.projects.forms import DocumentForm, ExclusionForm, PoolSearchForm, apply_errors
from grappe.projects.models import ExpertExclusion, ProjectDocument
from grappe.projects.selectors.files import expert_pool
from grappe.projects.services import documents as document_services
from grappe.projects.views.file_helpers import login_first, viewable_request
from grappe.projects.views.files.common import _editable


@login_first
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    file = _editable(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_services.document_add(
                actor=request.user,
                request=file,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#documents")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/document_form.html", {"file": file, "form": form}, status=status
    )


@login_first
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """Confidential: only the file's contacts, staff and its cleared experts."""
    file = viewable_request(request, pk)
    document = get_object_or_404(ProjectDocument, pk=document_pk, request=file)
    if not permissions.can_download_document(request.user, document):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = f"{file.project.acronym}-{document.get_kind_display()}-{document.pk}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_first
@require_POST
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    document = get_object_or_404(ProjectDocument, pk=document_pk, request=file)
    document_services.document_remove(actor=request.user, request=file, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#documents")


@login_first
def exclusion_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose an expert of the pool to exclude, found by name or employer."""
    file = _editable(request, pk)
    search = PoolSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    pool = expert_pool(query)
    form = ExclusionForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        try:
            document_services.exclusion_add(
                actor=request.user,
                request=file,
                expert=form.cleaned_data["expert"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The expert is excluded from your file."))
            return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#exclusions")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/exclusion_form.html",
        {"file": file, "form": form, "search": search, "query": query},
        status=status,
    )


@login_first
@require_POST
def exclusion_remove(request: HttpRequest, pk: int, exclusion_pk: int) -> HttpResponse:
    file = _editable(request, pk)
    exclusion = get_object_or_404(ExpertExclusion, pk=exclusion_pk, request=file)
    document_services.exclusion_remove(actor=request.user, request=file, exclusion=exclusion)
    messages.success(request, _("The exclusion is removed."))
    return redirect(reverse("projects:request", kwargs={"pk": file.pk}) + "#exclusions")
