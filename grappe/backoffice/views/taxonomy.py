"""The competence taxonomy: versions, their competences, drafts copied and published."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from grappe.backoffice.forms import CompetenceForm, TaxonomyCopyForm, apply_errors
from grappe.backoffice.views._common import staff_required
from grappe.members.models import Competence, Facet, TaxonomyVersion
from grappe.members.selectors import taxonomy_publish_preview, taxonomy_versions
from grappe.members.services import (
    competence_create,
    competence_update,
    taxonomy_version_copy,
    taxonomy_version_publish,
)


def _version(pk: int) -> TaxonomyVersion:
    return get_object_or_404(TaxonomyVersion, pk=pk)


def _facet_trees(competences: Sequence[Competence]) -> list[dict[str, Any]]:
    """Per facet, the competences in tree order, each with its depth under the facet's top."""
    children: dict[int | None, list[Competence]] = {}
    pks = {c.pk for c in competences}
    for competence in competences:
        parent = competence.parent_id if competence.parent_id in pks else None
        children.setdefault(parent, []).append(competence)
    rows: dict[str, list[tuple[int, Competence]]] = {facet: [] for facet in Facet.values}

    def walk(competence: Competence, depth: int) -> None:
        rows.setdefault(competence.facet, []).append((depth, competence))
        for child in children.get(competence.pk, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    return [
        {"facet": facet, "label": Facet(facet).label, "rows": rows[facet]}
        for facet in Facet.values
        if rows.get(facet)
    ]


@staff_required
def taxonomy_versions_view(request: HttpRequest) -> HttpResponse:
    """The version in force and the drafts, with copy and publish actions."""
    return render(request, "backoffice/taxonomy.html", {"versions": list(taxonomy_versions())})


@staff_required
def taxonomy_version(request: HttpRequest, pk: int) -> HttpResponse:
    """One version's competences as a tree per facet, and a form to add one."""
    version = _version(pk)
    competences = list(
        Competence.objects.filter(version=version)
        .annotate(
            organisation_count=Count("organisations", distinct=True),
            person_count=Count("people", distinct=True),
        )
        .order_by("facet", "position", "code")
    )
    initial = {"facet": request.GET.get("facet") or Facet.TECHNOLOGY, "is_active": True}
    form = CompetenceForm(version=version, initial=initial)
    return render(
        request,
        "backoffice/taxonomy_version.html",
        {"version": version, "facets": _facet_trees(competences), "form": form},
    )


@staff_required
def taxonomy_competence_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    parent = Competence.objects.filter(version=version, pk=request.GET.get("parent") or 0).first()
    initial: dict[str, Any] = {"is_active": True, "facet": Facet.TECHNOLOGY}
    if parent is not None:
        initial.update(parent=parent, facet=parent.facet, code=parent.code + ".")
    form = CompetenceForm(request.POST or None, version=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = competence_create(
                actor=request.user, version=version, data=form.service_data()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Competence %(code)s added.") % {"code": created.code})
            return redirect("backoffice:taxonomy_version", pk=version.pk)
    return render(
        request,
        "backoffice/taxonomy_competence.html",
        {"version": version, "form": form, "competence": None},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def taxonomy_competence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competence = get_object_or_404(Competence.objects.select_related("version"), pk=pk)
    version = competence.version
    fields = ["code", "facet", "parent", "name_fr", "name_en", "keywords", "nace_code"]
    initial = {name: getattr(competence, name) for name in fields}
    initial.update(
        photonics21=competence.photonics21,
        position=competence.position,
        is_active=competence.is_active,
    )
    form = CompetenceForm(
        request.POST or None, version=version, competence=competence, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            competence_update(actor=request.user, competence=competence, data=form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Competence %(code)s saved.") % {"code": competence.code})
            return redirect("backoffice:taxonomy_version", pk=version.pk)
    return render(
        request,
        "backoffice/taxonomy_competence.html",
        {"version": version, "form": form, "competence": competence},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def taxonomy_version_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft from this version: its competences copied, to change before publishing."""
    source = _version(pk)
    form = TaxonomyCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = taxonomy_version_copy(actor=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft %(code)s created from %(source)s: change it, then publish it.")
                % {"code": draft.code, "source": source.code},
            )
            return redirect("backoffice:taxonomy_version", pk=draft.pk)
    return render(
        request,
        "backoffice/taxonomy_copy.html",
        {"source": source, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def taxonomy_version_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm with what will happen to the tags, then put the version in force."""
    version = _version(pk)
    if request.method == "POST":
        try:
            result = taxonomy_version_publish(actor=request.user, version=version)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("backoffice:taxonomy_version", pk=version.pk)
        messages.success(
            request,
            _("Version %(code)s is now in force: %(moved)s tags moved, %(dropped)s dropped.")
            % {"code": version.code, "moved": result.moved, "dropped": result.dropped},
        )
        return redirect("backoffice:taxonomy")
    return render(
        request,
        "backoffice/taxonomy_publish.html",
        {
            "version": version,
            "current": TaxonomyVersion.objects.filter(is_current=True).first(),
            "preview": None if version.is_current else taxonomy_publish_preview(version),
            "active_count": version.competences.filter(is_active=True).count(),
        },
    )
