"""The competence taxonomy in force: facets and the tree of competences, public."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from grappe.api.auth import PUBLIC, PUBLIC_OPENAPI
from grappe.api.errors import ApiError, ErrorOut
from grappe.core.i18n import in_language
from grappe.members.models import Competence, Facet
from grappe.members.selectors import competences_current, current_taxonomy
from grappe.members.services.taxonomy import read_taxonomy

router = Router(tags=["taxonomy"])


class VersionOut(Schema):
    code: str
    published_at: dt.datetime
    notes: str


class FacetOut(Schema):
    code: str
    name: str
    name_fr: str
    name_en: str


class CompetenceNode(Schema):
    code: str
    facet: str
    name: str
    name_fr: str
    name_en: str
    nace_code: str
    photonics21: str
    children: list[CompetenceNode]


CompetenceNode.model_rebuild()


class TaxonomyOut(Schema):
    version: VersionOut
    facets: list[FacetOut]
    competences: list[CompetenceNode]


@lru_cache(maxsize=1)
def _shipped_facet_names() -> dict[str, tuple[str, str]]:
    return {f["code"]: (f["name_fr"], f["name_en"]) for f in read_taxonomy().get("facets", [])}


def facet_list() -> list[dict[str, str]]:
    """The facets with their names in both languages (as shipped with the taxonomy)."""
    names = _shipped_facet_names()
    facets = []
    for facet in Facet:
        name_fr, name_en = names.get(facet.value, (str(facet.label), str(facet.label)))
        facets.append(
            {
                "code": facet.value,
                "name": in_language(name_fr, name_en),
                "name_fr": name_fr,
                "name_en": name_en,
            }
        )
    return facets


def competence_tree(competences: list[Competence]) -> list[dict[str, Any]]:
    """Nest the competences (in the order given) under their parents, in one pass."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for competence in competences:
        nodes[competence.pk] = {
            "code": competence.code,
            "facet": competence.facet,
            "name": in_language(competence.name_fr, competence.name_en),
            "name_fr": competence.name_fr,
            "name_en": competence.name_en,
            "nace_code": competence.nace_code,
            "photonics21": competence.photonics21,
            "children": [],
        }
    for competence in competences:
        parent = nodes.get(competence.parent_id) if competence.parent_id else None
        (parent["children"] if parent else roots).append(nodes[competence.pk])
    return roots


@router.get(
    "/taxonomy",
    response={200: TaxonomyOut, 404: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    summary="The competence taxonomy in force",
)
def taxonomy(request: HttpRequest) -> dict[str, Any]:
    """The current version, its facets and its tree of active competences, with names in
    French and English (and `name` in the request language), NACE and Photonics21 codes."""
    version = current_taxonomy()
    if version is None:
        raise ApiError(404, "not_found", _("No taxonomy has been published yet."))
    facet_order = {facet.value: index for index, facet in enumerate(Facet)}
    competences = sorted(
        competences_current(), key=lambda c: (facet_order.get(c.facet, 99), c.position, c.code)
    )
    return {
        "version": version,
        "facets": facet_list(),
        "competences": competence_tree(competences),
    }
