"""Organisations: the directory's search with its facets, and profiles gated field by field
exactly as on the profile page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from grappe.api import selectors
from grappe.api.auth import PUBLIC, PUBLIC_OPENAPI
from grappe.api.errors import ErrorOut
from grappe.api.pagination import PageOut, PageQuery
from grappe.core.i18n import in_language
from grappe.directory.search import directory_search, parse_directory_query
from grappe.members.models import College, Facet, Organisation, OrgKind, SizeClass
from grappe.members.permissions import visible_fields

router = Router(tags=["organisations"])


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool
    depth: int = Field(0, description="Nesting of a competence under its parent (0 = top).")


class OrganisationSummary(Schema):
    slug: str
    name: str
    kind: str
    kind_label: str
    college: str
    college_label: str
    size_class: str
    size_class_label: str
    city: str
    region: str
    region_label: str
    country: str
    website: str
    logo: str | None
    description: str = Field(description="In the request language.")
    is_member: bool
    url: str = Field(description="The profile page.")


class OrganisationItem(OrganisationSummary):
    competences: list[str] = Field(description="Codes of the organisation's competences.")


class DirectoryFilters(PageQuery):
    """The directory page's parameters; facets repeat: `?technology=a&technology=b`."""

    q: str = Field("", description="Free text: names, descriptions, competences.")
    kind: list[str] = Field([], description="Kinds of organisation (sme, lab…).")
    college: list[str] = []
    technology: list[str] = Field([], description="Competence codes of the technology facet.")
    market: list[str] = Field([], description="Competence codes of the market facet.")
    value_chain: list[str] = Field([], description="Competence codes of the value chain.")
    region: list[str] = Field([], description="NUTS 2 codes, e.g. FRL0.")
    size_class: list[str] = Field([], description="Members and staff only.")
    trl: list[str] = Field([], description="TRL codes (trl.1 … trl.9); members and staff only.")
    include_non_members: bool = Field(False, description="Staff only: list non-members too.")


class OrganisationPage(PageOut):
    items: list[OrganisationItem]
    facets: dict[str, list[FacetValueOut]]
    suggestion: str = Field(description="A corrected query when the search found little.")


class Reference(Schema):
    slug: str
    name: str


class CompetenceRef(Schema):
    code: str
    name: str


class AddressOut(Schema):
    street: str
    postcode: str
    city: str
    latitude: Decimal | None
    longitude: Decimal | None


class IdentifiersOut(Schema):
    siren: str
    siret: str
    vat_number: str


class ContactOut(Schema):
    person_id: int
    name: str
    job_title: str
    role: str
    role_label: str


class OrganisationDetail(OrganisationSummary):
    """The fields under visibility (address, identifiers, email, phone, contacts, headcount,
    turnover, founded_year) are present only when the caller may see them."""

    legal_name: str
    legal_form: str
    description_fr: str
    description_en: str
    nace_code: str
    parent_group: Reference | None
    competences: dict[str, list[CompetenceRef]] = Field(
        description="By facet: technology, market, value_chain, trl."
    )
    address: AddressOut | None = None
    identifiers: IdentifiersOut | None = None
    email: str | None = None
    phone: str | None = None
    contacts: list[ContactOut] | None = None
    headcount: int | None = None
    turnover: Decimal | None = None
    figures_year: int | None = None
    founded_year: int | None = None


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def summary(request: HttpRequest, organisation: Organisation, *, is_member: bool) -> dict[str, Any]:
    college = organisation.effective_college
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "kind_label": _label(OrgKind, organisation.kind),
        "college": college,
        "college_label": _label(College, college),
        "size_class": organisation.size_class,
        "size_class_label": _label(SizeClass, organisation.size_class),
        "city": organisation.city,
        "region": organisation.region,
        "region_label": str(organisation.get_region_display()) if organisation.region else "",
        "country": organisation.country,
        "website": organisation.website,
        "logo": request.build_absolute_uri(organisation.logo.url) if organisation.logo else None,
        "description": organisation.description,
        "is_member": is_member,
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }


@router.get(
    "/organisations",
    response={200: OrganisationPage, 422: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    summary="Search the directory",
)
def organisation_list(request: HttpRequest, filters: Query[DirectoryFilters]) -> dict[str, Any]:
    """The directory's search, as on the directory page: free text in `q`, facets repeated
    (`?technology=tech.lasers&technology=tech.imaging`), with facet counts for the result."""
    query = parse_directory_query(request.GET)
    result = directory_search(
        query, viewer=request.user, page=filters.page, per_page=filters.per_page
    )
    return {
        "items": [
            {
                # The search prefetched the competences and marked the members.
                **summary(request, organisation, is_member=organisation.directory_is_member),  # type: ignore[attr-defined]
                "competences": [c.code for c in organisation.competences.all() if c.is_active],
            }
            for organisation in result.results
        ],
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "per_page": result.per_page,
        "facets": {
            name: [
                {
                    "value": v.value,
                    "label": v.label,
                    "count": v.count,
                    "selected": v.selected,
                    "depth": v.depth,
                }
                for v in values
            ]
            for name, values in result.facets.items()
        },
        "suggestion": result.suggestion,
    }


def _gated(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """The fields under visibility that this caller may read (and only those)."""
    fields = visible_fields(request.user, organisation)
    data: dict[str, Any] = {}
    if "address" in fields:
        data["address"] = {
            "street": organisation.street,
            "postcode": organisation.postcode,
            "city": organisation.city,
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
        }
    if "identifiers" in fields:
        data["identifiers"] = {
            "siren": organisation.siren,
            "siret": organisation.siret,
            "vat_number": organisation.vat_number,
        }
    for name in ("email", "phone", "founded_year"):
        if name in fields:
            data[name] = getattr(organisation, name)
    if "contacts" in fields:
        data["contacts"] = [
            {
                "person_id": a.person_id,
                "name": a.person.full_name,
                "job_title": a.person.job_title,
                "role": a.role,
                "role_label": a.get_role_display(),
            }
            for a in selectors.organisation_listed_contacts(organisation, request.user)
        ]
    if fields & {"headcount", "turnover"}:
        figures = selectors.organisation_latest_figures(organisation)
        data["figures_year"] = figures.year if figures else None
        if "headcount" in fields:
            data["headcount"] = figures.headcount if figures else None
        if "turnover" in fields:
            data["turnover"] = figures.turnover if figures else None
    return data


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationDetail, 404: ErrorOut},
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    exclude_unset=True,
    summary="An organisation's profile",
)
def organisation_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The profile with only the fields the caller may see; competences by facet, named in
    the request language. Non-member organisations are found by staff only."""
    organisation, is_member = selectors.organisation_for_viewer(slug, request.user)
    competences: dict[str, list[dict[str, str]]] = {facet.value: [] for facet in Facet}
    for competence in selectors.organisation_competences(organisation):
        competences.setdefault(competence.facet, []).append(
            {"code": competence.code, "name": in_language(competence.name_fr, competence.name_en)}
        )
    parent = organisation.parent_group
    return {
        **summary(request, organisation, is_member=is_member),
        "legal_name": organisation.legal_name,
        "legal_form": organisation.legal_form,
        "description_fr": organisation.description_fr,
        "description_en": organisation.description_en,
        "nace_code": organisation.nace_code,
        "parent_group": {"slug": parent.slug, "name": parent.name} if parent else None,
        "competences": competences,
        **_gated(request, organisation),
    }
