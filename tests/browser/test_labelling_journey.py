"""Issue 4's journey through the pages: a member submits a project, staff start its review and
assign an expert, the expert reviews it, the committee labels it, staff issue the certificate,
and anyone checks the certificate at its public address."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grappe.members.models import OrgKind
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory
from grappe.projects.models import (
    Assignment,
    AssignmentStatus,
    Certificate,
    CertificateKind,
    Decision,
    FundingScheme,
    RequestStatus,
    ReviewStatus,
)
from grappe.projects.services import files
from grappe.projects.tests.factories import GRID, ExpertFactory, SessionFactory, competences, tag
from tests.browser.helpers import log_in

S = RequestStatus
TAGS = ("tech.imaging.hyperspectral", "market.space")


@pytest.fixture
def as_role(new_context, live_server):
    """A fresh browser (its own cookies) for each role, logged in as `user`, or a visitor."""

    def _open(user=None, *, totp_secret: str | None = None):
        page = new_context().new_page()
        page.set_default_timeout(15_000)
        page.base = live_server.url
        if user is not None:
            log_in(page, user, totp_secret=totp_secret)
        return page

    return _open


def _member_org(name: str, slug: str, kind: str = OrgKind.SME):
    organisation = OrganisationFactory(name=name, slug=slug, kind=kind)
    MembershipFactory(organisation=organisation)
    return organisation


def _complete_draft(member, member_org, session):
    """The member's draft through the services: 2 independent companies and 1 lab, led by the
    member's company, no partner above 70 % of the budget, all of it in the territory."""
    photonics = _member_org("Photonique Azur", "photonique-azur")
    lab = _member_org("Institut Fresnel", "institut-fresnel", OrgKind.LAB)
    draft = files.request_create(
        actor=member,
        session=session,
        lead=member_org,
        acronym="HYPERDRONE",
        title="Imagerie hyperspectrale embarquée sur drone",
        scheme=FundingScheme.PSPC,
        summary_public="Un imageur hyperspectral compact pour l'inspection par drone.",
    )
    files.request_update(
        actor=member,
        request=draft,
        changes={
            "description": "Architecture du capteur, verrous technologiques, plan de travail.",
            "total_budget": "1500000.00",
            "duration_months": 36,
            "trl_start": 3,
            "trl_target": 6,
        },
        competences=competences(*TAGS),
    )
    files.partner_save(
        actor=member,
        request=draft,
        partner=draft.partners.get(),  # the coordinator, added with the file
        data={"in_territory": True, "budget": "600000.00", "requested_aid": "270000.00"},
    )
    for organisation, budget, aid in (
        (photonics, "500000.00", "225000.00"),
        (lab, "400000.00", "400000.00"),
    ):
        data = {"organisation": organisation, "role": "partner", "in_territory": True}
        files.partner_save(
            actor=member,
            request=draft,
            data={**data, "budget": budget, "requested_aid": aid},
        )
    return draft


def test_a_project_is_submitted_reviewed_labelled_and_its_certificate_verified(
    as_role, member, member_org, expert, staff, mailoutbox
):
    # given an open session asking one expert per file, an expert of the file's field who
    # has accepted the agreement, and the member's complete draft
    session = SessionFactory(experts_per_project=1)
    profile = tag(ExpertFactory(user=expert), *TAGS)
    draft = _complete_draft(member, member_org, session)

    # when the member checks and submits the file from its page
    contact = as_role(member)
    contact.goto(contact.base + draft.get_absolute_url())
    contact.get_by_role("link", name="Vérifier et déposer").first.click()
    contact.get_by_role("button", name="Déposer le dossier").click()
    # then the file's page says it is submitted
    expect(contact.locator(".message.success")).to_have_text(
        "Le dossier est déposé : vous serez informé de la suite."
    )
    expect(contact.locator(".file-head .badge")).to_have_text("Déposé")
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED

    # when staff find it admissible, then let the optimiser propose the expert and invite them
    team = as_role(staff, totp_secret=staff.totp_secret)
    team.goto(team.base + draft.get_absolute_url())
    team.get_by_role("button", name="Recevable : lancer l'expertise").click()
    expect(team.locator(".file-head .badge")).to_have_text("En expertise")
    team.goto(team.base + f"/projects/staff/sessions/{session.slug}/assignments/")
    team.get_by_role("button", name="Proposer des experts (optimiseur)").click()
    team.get_by_role("button", name="Confirmer 1 proposition et inviter").click()
    expect(team.locator(".message.success")).to_be_visible()
    # then the expert is invited by mail
    assignment = Assignment.objects.get(request=draft)
    assert (assignment.expert, assignment.status) == (profile, AssignmentStatus.INVITED)
    assert [m.to for m in mailoutbox if expert.email in m.to] == [[expert.email]]

    # when the expert accepts the file and submits a review
    reviewer = as_role(expert)
    reviewer.goto(reviewer.base + f"/projects/assignments/{assignment.pk}/")
    reviewer.get_by_role("button", name="Accepter le dossier").click()
    reviewer.get_by_role("link", name="Mon expertise").click()
    for code, *_names in GRID:
        reviewer.locator(f"select[name=score_{code}]").select_option("4")
    reviewer.get_by_label("Votre recommandation au comité").select_option(Decision.LABELLED)
    reviewer.get_by_label("Texte destiné au porteur").fill(
        "Un projet solide ; préciser le plan d'exploitation."
    )
    reviewer.get_by_role("button", name="Soumettre l'expertise").click()
    # then the review is locked and the file's reviews are complete
    expect(reviewer.locator(".message.success")).to_have_text("Votre expertise est soumise. Merci.")
    assignment.refresh_from_db()
    review = assignment.review
    assert (assignment.status, review.status, review.weighted_score) == (
        AssignmentStatus.ACCEPTED,
        ReviewStatus.SUBMITTED,
        Decimal("4.00"),
    )
    draft.refresh_from_db()
    assert draft.status == S.REVIEWS_COMPLETE

    # when staff put it on the committee's agenda, the committee labels it on its page, and
    # staff issue the certificate from the file's page
    team.goto(team.base + draft.get_absolute_url())
    team.get_by_role("button", name="Inscrire à l'ordre du jour du comité").click()
    expect(team.locator(".message.success")).to_be_visible()
    team.goto(team.base + f"/projects/committee/{session.slug}/")
    decision = team.get_by_role("form", name="Décision sur HYPERDRONE")
    decision.get_by_label("Décision", exact=True).select_option(Decision.LABELLED)
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(team.locator(".message.success")).to_be_visible()
    draft.refresh_from_db()
    assert (draft.status, draft.decision) == (S.LABELLED, Decision.LABELLED)
    team.goto(team.base + draft.get_absolute_url())
    team.get_by_role("button", name="Délivrer et envoyer l'attestation").click()
    expect(team.locator(".message.success")).to_be_visible()
    # then the file has its numbered certificate
    draft.refresh_from_db()
    certificate = Certificate.objects.get(request=draft)
    assert draft.status == S.CERTIFICATE_ISSUED
    assert re.fullmatch(r"LAB-\d{4}-0001", certificate.number)
    assert certificate.number == f"LAB-{timezone.localtime(certificate.issued_at).year}-0001"
    assert (certificate.kind, certificate.revoked_at) == (CertificateKind.LABEL, None)
    (sent,) = [m for m in mailoutbox if m.attachments and member.email in m.to]
    assert [(name, kind) for name, _content, kind in sent.attachments] == [
        (f"{certificate.number}.pdf", "application/pdf")
    ]

    # when a visitor opens the certificate's public address
    visitor = as_role()
    visitor.goto(visitor.base + certificate.get_absolute_url())
    # then it is valid, with its number and the project's acronym
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        f"Attestation {certificate.number}"
    )
    expect(visitor.get_by_role("status")).to_contain_text("Valide")
    expect(visitor.locator("dl.fields")).to_contain_text(certificate.number)
    expect(visitor.locator("dl.fields")).to_contain_text(
        "HYPERDRONE — Imagerie hyperspectrale embarquée sur drone"
    )
