"""Reads for the directory pages: a profile as the viewer may see it, and the map."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from grappe.core.permissions import can_view_audit
from grappe.directory import permissions
from grappe.members.models import (
    Affiliation,
    College,
    Competence,
    Consent,
    ConsentChannel,
    Facet,
    Organisation,
    OrganisationFigures,
)
from grappe.members.permissions import visible_fields
from grappe.members.regions import country_name, region_name
from grappe.members.selectors import (
    member_organisations,
    organisation_contacts,
    organisation_is_member,
)

FACET_ORDER = [Facet.TECHNOLOGY, Facet.MARKET, Facet.VALUE_CHAIN, Facet.TRL]


@dataclass
class Profile:
    organisation: Organisation
    is_member: bool
    visible: set[str]
    figures: OrganisationFigures | None
    contacts: list[Affiliation]
    competences: list[tuple[str, list[Competence]]]
    parent_is_listed: bool
    subsidiaries: list[tuple[Organisation, bool]]
    edit_url: str = ""
    can_view_audit: bool = False
    region_label: str = ""
    college_label: str = ""
    country_label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _consenting_contacts(organisation: Organisation) -> list[Affiliation]:
    """Current contacts whose latest decision on the directory channel is a yes."""
    latest = (
        Consent.objects.filter(person=OuterRef("person"), channel=ConsentChannel.DIRECTORY)
        .order_by("-at", "-id")
        .values("granted")[:1]
    )
    return list(
        organisation_contacts(organisation).annotate(listed=Subquery(latest)).filter(listed=True)
    )


def _edit_url(organisation: Organisation) -> str:
    # The edit page belongs to the members app; the profile must not fail if it is missing.
    try:
        return reverse("members:organisation_edit", kwargs={"slug": organisation.slug})
    except NoReverseMatch:
        return ""


def profile_get(*, viewer: Any, slug: str) -> Profile | None:
    """The profile of `slug` as `viewer` may see it; None when it does not exist for them."""
    organisation = (
        Organisation.objects.select_related("parent_group")
        .prefetch_related(
            Prefetch(
                "competences",
                queryset=Competence.objects.order_by("facet", "position", "code"),
            ),
            Prefetch("subsidiaries", queryset=Organisation.objects.order_by("name")),
        )
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        return None
    is_member = organisation_is_member(organisation)
    if not permissions.can_view_profile(viewer, is_member=is_member):
        return None
    visible = visible_fields(viewer, organisation)
    related = [s.pk for s in organisation.subsidiaries.all()]
    if organisation.parent_group_id:
        related.append(organisation.parent_group_id)
    staff_view = permissions.can_list_non_members(viewer)
    listed = set(member_organisations().filter(pk__in=related).values_list("pk", flat=True))
    grouped: dict[str, list[Competence]] = {}
    for competence in organisation.competences.all():
        grouped.setdefault(competence.facet, []).append(competence)
    needs_figures = bool(visible & {"headcount", "turnover"})
    language = get_language() or "fr"
    return Profile(
        organisation=organisation,
        is_member=is_member,
        visible=visible,
        figures=organisation.figures.order_by("-year").first() if needs_figures else None,
        contacts=_consenting_contacts(organisation) if "contacts" in visible else [],
        competences=[(str(Facet(f).label), grouped[f]) for f in FACET_ORDER if f in grouped],
        parent_is_listed=bool(
            organisation.parent_group_id and (staff_view or organisation.parent_group_id in listed)
        ),
        subsidiaries=[(s, staff_view or s.pk in listed) for s in organisation.subsidiaries.all()],
        edit_url=_edit_url(organisation)
        if permissions.can_edit_profile(viewer, organisation)
        else "",
        can_view_audit=can_view_audit(viewer),
        region_label=region_name(organisation.region, language) if organisation.region else "",
        country_label=country_name(organisation.country, language),
        college_label=str(College(organisation.effective_college).label),
    )


def profile_json_ld(profile: Profile, absolute: Callable[[str], str]) -> dict[str, Any]:
    """schema.org Organization data of a profile: only what the viewer may see on the page."""
    organisation, visible = profile.organisation, profile.visible
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": organisation.country}
    if organisation.city:
        address["addressLocality"] = organisation.city
    if profile.region_label:
        address["addressRegion"] = profile.region_label
    if "address" in visible:
        address.update(streetAddress=organisation.street, postalCode=organisation.postcode)
        address = {k: v for k, v in address.items() if v}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute(organisation.get_absolute_url()),
        "address": address,
    }
    if organisation.description:
        data["description"] = organisation.description
    if organisation.website:
        data["sameAs"] = [organisation.website]
    if organisation.logo:
        data["logo"] = absolute(organisation.logo.url)
    if "email" in visible and organisation.email:
        data["email"] = organisation.email
    if "phone" in visible and organisation.phone:
        data["telephone"] = organisation.phone
    if "founded_year" in visible and organisation.founded_year:
        data["foundingDate"] = str(organisation.founded_year)
    if "identifiers" in visible:
        data["legalName"] = organisation.legal_name
        if organisation.vat_number:
            data["vatID"] = organisation.vat_number
        if organisation.siren:
            data["taxID"] = organisation.siren
        if organisation.siret:
            data["identifier"] = {
                "@type": "PropertyValue", "propertyID": "SIRET", "value": organisation.siret,
            }  # fmt: skip
    if (
        "address" in visible
        and organisation.latitude is not None
        and organisation.longitude is not None
    ):
        data["location"] = {
            "@type": "Place",
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": float(organisation.latitude),
                "longitude": float(organisation.longitude),
            },
        }
    if "headcount" in visible and profile.figures is not None:
        data["numberOfEmployees"] = {
            "@type": "QuantitativeValue", "value": profile.figures.headcount,
        }  # fmt: skip
    if profile.contacts:
        data["contactPoint"] = [
            {"@type": "ContactPoint", "name": a.person.full_name, "email": a.person.email}
            if a.person.email
            else {"@type": "ContactPoint", "name": a.person.full_name}
            for a in profile.contacts
        ]
    knows = [c.name for _label, items in profile.competences for c in items]
    if knows:
        data["knowsAbout"] = knows
    if profile.parent_is_listed and organisation.parent_group:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": organisation.parent_group.name,
            "url": absolute(organisation.parent_group.get_absolute_url()),
        }
    subsidiaries = [s for s, listed in profile.subsidiaries if listed]
    if subsidiaries:
        data["subOrganization"] = [
            {"@type": "Organization", "name": s.name, "url": absolute(s.get_absolute_url())}
            for s in subsidiaries
        ]
    if profile.is_member:
        data["memberOf"] = {"@type": "Organization", "name": settings.GRAPPE_CLUSTER_NAME}
    return data


@dataclass
class MapData:
    markers: list[dict[str, Any]]
    regions: list[tuple[str, str, list[Organisation]]]
    total: int


def map_members(*, viewer: Any) -> MapData:
    """Member organisations by region, and map markers for those whose address the viewer
    may see (a fixed number of queries)."""
    organisations: QuerySet[Organisation] = member_organisations().order_by("name")
    organisations = organisations.only(
        "pk", "name", "slug", "city", "region", "country", "latitude", "longitude", "visibility"
    )
    members = list(organisations)
    visible = permissions.visible_fields_many(viewer, members)
    language = get_language() or "fr"
    markers: list[dict[str, Any]] = []
    by_region: dict[str, list[Organisation]] = {}
    for organisation in members:
        by_region.setdefault(organisation.region, []).append(organisation)
        if (
            "address" in visible[organisation.pk]
            and organisation.latitude is not None
            and organisation.longitude is not None
        ):
            markers.append(
                {
                    "name": organisation.name,
                    "url": organisation.get_absolute_url(),
                    "city": organisation.city,
                    "lat": float(organisation.latitude),
                    "lon": float(organisation.longitude),
                }
            )
    regions = sorted(
        ((code, region_name(code, language), orgs) for code, orgs in by_region.items()),
        key=lambda item: (-len(item[2]), item[1]),
    )
    return MapData(markers=markers, regions=regions, total=len(members))
