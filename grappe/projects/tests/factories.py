"""Factories for labelling: sessions with their grid, projects and requests, partners, experts,
assignments. Extend them here; tests elsewhere import them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from grappe.members.models import OrgKind, SizeClass
from grappe.members.tests.factories import OrganisationFactory, UserFactory
from grappe.projects.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Criterion,
    ExpertKind,
    ExpertProfile,
    FundingScheme,
    LabellingRequest,
    LabellingSession,
    Partner,
    PartnerRole,
    Project,
    ProjectContact,
    RequestStatus,
)

GRID = [
    # code, French, English, weight, eliminatory below
    ("roadmap", "Adéquation à la feuille de route", "Fit with the cluster's roadmap", "1", None),
    ("innovation", "Innovation et qualité technique", "Innovation and technical quality", "2", 2),
    ("consortium", "Qualité du consortium", "Consortium quality", "1", None),
    ("market", "Impact économique et marché", "Market and economic impact", "2", 2),
    ("feasibility", "Faisabilité et management", "Feasibility and management", "1", None),
    ("territory", "Retombées sur le territoire", "Territorial benefits", "1", None),
    ("environment", "Dimension environnementale", "Environmental dimension", "1", None),
]


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabellingSession
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"session-{n}")
    name_fr = factory.Sequence(lambda n: f"Session de labellisation {n}")
    name_en = factory.Sequence(lambda n: f"Labelling session {n}")
    schemes = factory.LazyFunction(lambda: [s.value for s in FundingScheme])
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    review_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=50))
    committee_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))

    @factory.post_generation
    def grid(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            for position, (code, fr, en, weight, below) in enumerate(GRID):
                Criterion.objects.create(
                    session=self, code=code, name_fr=fr, name_en=en, weight=Decimal(weight),
                    eliminatory_below=below, position=position,
                )  # fmt: skip


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"PHOTON{n}")
    slug = factory.Sequence(lambda n: f"photon{n}")
    lead = factory.SubFactory(OrganisationFactory, kind=OrgKind.SME)


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabellingRequest

    project = factory.SubFactory(ProjectFactory)
    session = factory.SubFactory(SessionFactory)
    scheme = FundingScheme.PSPC
    status = RequestStatus.DRAFT
    title = factory.Sequence(lambda n: f"Imagerie hyperspectrale embarquée {n}")
    summary_public = "Un imageur hyperspectral compact pour les drones d'inspection."
    description = "Description confidentielle : architecture du capteur, verrous, plan de travail."
    total_budget = Decimal("1500000.00")
    duration_months = 36
    trl_start = 3
    trl_target = 6


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    request = factory.SubFactory(RequestFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=OrgKind.SME)
    name = factory.LazyAttribute(lambda p: p.organisation.name if p.organisation else "Partner")
    kind = factory.LazyAttribute(lambda p: p.organisation.kind if p.organisation else OrgKind.SME)
    size_class = SizeClass.SMALL
    role = PartnerRole.PARTNER
    in_territory = True
    budget = Decimal("500000.00")
    requested_aid = Decimal("225000.00")


class ExpertFactory(factory.django.DjangoModelFactory):
    """An expert with a login, the agreement accepted, no employer unless given."""

    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory, is_expert=True)
    kind = ExpertKind.EXTERNAL
    load_limit = 4
    nda_accepted_at = factory.LazyFunction(timezone.now)
    nda_version = "2026-1"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    request = factory.SubFactory(RequestFactory)
    expert = factory.SubFactory(ExpertFactory)
    status = AssignmentStatus.ACCEPTED
    source = AssignmentSource.MANUAL


def contact_add(request: LabellingRequest, user, partner: Partner | None = None) -> ProjectContact:
    return ProjectContact.objects.create(request=request, user=user, partner=partner)


def pdf_bytes(text: str = "Grappe") -> bytes:
    """A small, well-formed one-page PDF (header, objects, cross-reference table, trailer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- experts' side (p2) ------------------------------------------------------------------------


def competences(*codes: str) -> list:
    """Competences of the current (shipped) taxonomy by code, in the order given."""
    from grappe.members.models import Competence

    found = {c.code: c for c in Competence.objects.filter(version__is_current=True, code__in=codes)}
    return [found[code] for code in codes]


def tag(obj, *codes: str):
    """Give a request or an expert profile these competences; return it."""
    obj.competences.set(competences(*codes))
    return obj


class ReviewFactory(factory.django.DjangoModelFactory):
    """A submitted review scoring every criterion of the session's grid with `score`."""

    class Meta:
        model = "projects.Review"
        skip_postgeneration_save = True

    assignment = factory.SubFactory(AssignmentFactory)
    status = "submitted"
    recommendation = "labelled"
    text_to_applicant = "Un projet solide ; préciser le plan d'exploitation."
    note_to_committee = "Consortium équilibré."
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def score(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create or extracted is False:
            return
        from grappe.projects.models import ReviewScore
        from grappe.projects.services.reviews import weighted_score

        criteria = list(self.assignment.request.session.criteria.all())
        value = int(extracted) if isinstance(extracted, int) else 4
        ReviewScore.objects.bulk_create(
            ReviewScore(review=self, criterion=c, score=value, comment="") for c in criteria
        )
        self.weighted_score = weighted_score(criteria, {c.pk: value for c in criteria})
        self.save(update_fields=["weighted_score"])
