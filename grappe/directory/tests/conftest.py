"""A small crafted directory: five organisations whose ranking and facets are known."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grappe.directory.indexing import organisation_reindex
from grappe.members.models import College, Competence, MembershipStatus, OrgKind, SizeClass
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory


def competences(*codes: str) -> list[Competence]:
    found = {c.code: c for c in Competence.objects.filter(code__in=codes, version__is_current=True)}
    return [found[code] for code in codes]


def make_org(*, member: bool = True, codes: tuple[str, ...] = (), **fields):
    organisation = OrganisationFactory(**fields)
    organisation.competences.set(competences(*codes))
    if member:
        MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def crafted(db):
    """Three members about lasers at different depths, an imaging lab, a metrology firm in
    Occitanie, and a non-member laser firm."""
    orgs = {
        "name": make_org(
            name="Laser Fibre Provence", slug="laser-fibre-provence", kind=OrgKind.SME,
            codes=("tech.lasers.fibre", "market.industry", "chain.components"),
            description_fr="Nous fabriquons des sources à fibre.",
            description_en="We build fibre sources.", website="https://lfp.example",
        ),
        "competence": make_org(
            name="Alpha Ultrabref", slug="alpha-ultrabref", kind=OrgKind.STARTUP,
            codes=("tech.lasers.ultrafast", "market.science"),
            description_fr="Usinage de précision.", description_en="Precision machining.",
        ),
        "description": make_org(
            name="Optique Azur", slug="optique-azur", kind=OrgKind.SME,
            codes=("tech.components.precision", "market.space"),
            description_fr="Conception d'optiques de précision pour le laser.",
            description_en="Design of precision optics for lasers.",
        ),
        "imaging": make_org(
            name="Vision Sud", slug="vision-sud", kind=OrgKind.LAB, college=College.RESEARCH,
            size_class=SizeClass.MEDIUM, codes=("tech.imaging.hyperspectral", "market.agrifood"),
            description_fr="Imagerie hyperspectrale pour l'agriculture.",
            description_en="Hyperspectral imaging for agriculture.",
        ),
        "metrology": make_org(
            name="Mesures Occitanes", slug="mesures-occitanes", kind=OrgKind.SME,
            region="FRJ2", city="Toulouse", codes=("tech.sensors.metrology",),
            description_fr="Métrologie optique et interférométrie.",
            description_en="Optical metrology and interferometry.",
        ),
        "non_member": make_org(
            name="Laser Hors Pôle", slug="laser-hors-pole", member=False,
            codes=("tech.lasers.diodes",), description_fr="Diodes laser.",
            description_en="Laser diodes.",
        ),
    }  # fmt: skip
    lapsed = orgs["non_member"]
    MembershipFactory(
        organisation=lapsed,
        year=timezone.localdate().year - 1,
        status=MembershipStatus.LAPSED,
        start=dt.date(timezone.localdate().year - 1, 1, 1),
        end=dt.date(timezone.localdate().year - 1, 12, 31),
    )
    organisation_reindex([o.pk for o in orgs.values()])
    return orgs
