"""Certificates: numbered without gaps per year, the PDF and what it prints, the public page
where a funder checks it, and revocation."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.members.models import OrgKind
from grappe.projects.models import (
    Certificate,
    CertificateCounter,
    Decision,
    LabellingRequest,
    PartnerRole,
    RequestStatus,
    Stage,
)
from grappe.projects.services.certificates import (
    certificate_html,
    certificate_pdf,
    certificate_revoke,
    next_certificate_number,
)
from grappe.projects.services.workflow import request_issue_certificate
from grappe.projects.storage import pdf_problem
from grappe.projects.tests.factories import PartnerFactory, RequestFactory, contact_add

S = RequestStatus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def decided(decision=Decision.LABELLED, **extra) -> LabellingRequest:
    request = RequestFactory(status=decision, decision=decision, decided_at=timezone.now(), **extra)
    PartnerFactory(request=request, role=PartnerRole.COORDINATOR, name="Alpha Optique")
    PartnerFactory(request=request, name="Institut Fresnel", kind=OrgKind.LAB, country="FR")
    PartnerFactory(request=request, organisation=None, name="Fraunhofer IOF", country="DE")
    return request


def test_numbers_follow_each_other_without_gaps_within_a_year(db, staff):
    # given three decided files
    files = [decided() for _ in range(3)]
    # when their certificates are issued
    for request in files:
        request_issue_certificate(actor=staff, request=request)
    # then they are numbered 1, 2, 3 of the year
    year = timezone.localdate().year
    assert list(Certificate.objects.order_by("pk").values_list("number", flat=True)) == [
        f"LAB-{year}-0001", f"LAB-{year}-0002", f"LAB-{year}-0003",
    ]  # fmt: skip
    assert CertificateCounter.objects.get(year=year).last == 3


def test_a_failed_issue_gives_its_number_back(db, staff):
    # given a certificate issue that fails after taking its number
    year = timezone.localdate().year
    with pytest.raises(RuntimeError), transaction.atomic():
        next_certificate_number(year)
        raise RuntimeError("the mail server is on fire")
    # when the next one is issued
    request_issue_certificate(actor=staff, request=decided())
    # then it takes the number the failed one did not keep
    assert Certificate.objects.get().number == f"LAB-{year}-0001"


def test_each_year_starts_again_at_one(db, staff):
    request_issue_certificate(actor=staff, request=decided())
    next_year = timezone.now() + dt.timedelta(days=366)
    request_issue_certificate(actor=staff, request=decided(), now=next_year)
    numbers = list(Certificate.objects.order_by("pk").values_list("number", flat=True))
    assert numbers[1] == f"LAB-{timezone.localtime(next_year).year}-0001"


@pytest.mark.parametrize(
    ("decision", "stage", "kind"),
    [
        (Decision.LABELLED, Stage.FULL, "label"),
        (Decision.LABELLED_RESERVATIONS, Stage.FULL, "label"),
        (Decision.SUPPORT_LETTER, Stage.FULL, "support_letter"),
        (Decision.LABELLED, Stage.PRE_PROPOSAL, "opinion"),
    ],
)
def test_the_kind_follows_the_decision_and_stage(db, staff, decision, stage, kind):
    request = decided(decision, stage=stage, reservations="R" if "reservations" in decision else "")
    request_issue_certificate(actor=staff, request=request)
    assert Certificate.objects.get().kind == kind


def test_the_certificate_names_the_project_call_partners_date_and_reservations(db, staff):
    # given a file labelled with reservations
    request = decided(
        Decision.LABELLED_RESERVATIONS, reservations="Signer l'accord de consortium avant le dépôt."
    )
    request_issue_certificate(actor=staff, request=request)
    certificate = Certificate.objects.get()
    # when its certificate is laid out
    html = certificate_html(certificate, "en")
    # then it names what a funder needs, with the address and QR code to check it
    assert request.project.acronym in html
    assert request.title in html
    assert request.session.name_en in html
    for partner in ("Alpha Optique", "Institut Fresnel", "Fraunhofer IOF"):
        assert partner in html
    assert certificate.number in html
    assert "Signer l&#x27;accord de consortium avant le dépôt." in html
    assert f"/projects/verify/{certificate.token}/" in html
    assert "<svg" in html
    assert timezone.localtime(certificate.issued_at).strftime("%Y") in html
    # and nothing confidential
    assert request.description not in html


def test_the_certificate_renders_as_a_pdf(db, staff):
    request = decided()
    request_issue_certificate(actor=staff, request=request)
    certificate = Certificate.objects.get()
    # when it is rendered (once)
    pdf = certificate_pdf(certificate, "fr")
    # then it is a well-formed PDF; its text says what it certifies
    assert pdf.startswith(b"%PDF-")
    assert pdf_problem(pdf) == ""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(  # noqa: S603
            [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert certificate.number in text
        assert request.project.acronym in text


def test_staff_revoke_a_certificate_with_a_reason(
    lworld, staff, django_capture_on_commit_callbacks
):
    request = lworld.request
    LabellingRequest.objects.filter(pk=request.pk).update(
        status=S.CERTIFICATE_ISSUED, decision=Decision.LABELLED, decided_at=timezone.now()
    )
    certificate = Certificate.objects.create(
        request=request, number="LAB-2026-0042", kind="label", issued_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(actor=staff, certificate=certificate, reason="Consortium modifié")
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Consortium modifié"
    assert certificate.revoked_at is not None
    assert audit_for(certificate).first().action == "certificate.revoke"
    (message,) = mail.outbox
    assert message.to == [lworld.users["consortium_contact"].email]


def test_revocation_is_refused_without_reason_twice_or_to_others(lworld, staff, member):
    certificate = Certificate.objects.create(
        request=lworld.request, number="LAB-2026-0043", kind="label", issued_at=timezone.now()
    )
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=member, certificate=certificate, reason="Je préfère pas")
    with pytest.raises(ValidationError) as refusal:
        certificate_revoke(actor=staff, certificate=certificate, reason=" ")
    assert refusal.value.message_dict == {"reason": ["Say why the certificate is revoked."]}
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    certificate_revoke(actor=staff, certificate=certificate, reason="Erreur")
    with pytest.raises(ValidationError) as refusal:
        certificate_revoke(actor=staff, certificate=certificate, reason="Encore")
    assert refusal.value.message_dict == {"status": ["This certificate is already revoked."]}


# --- the public verification page --------------------------------------------------------------


@pytest.fixture
def certified(db, staff, member):
    request = decided(
        publish_consent=False, description="Procédé secret de dépôt de couches minces."
    )
    contact_add(request, member)
    request_issue_certificate(actor=staff, request=request)
    return request


def test_a_funder_checks_a_valid_certificate(client, certified):
    certificate = certified.certificate
    url = reverse("projects:verify", kwargs={"token": certificate.token})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Valid</strong>" in content
    for fact in (
        certificate.number, certified.project.acronym, certified.title,
        certified.session.name_en, "Alpha Optique", "Fraunhofer IOF",
    ):  # fmt: skip
        assert fact in content
    # nothing confidential: no description, no budget
    for secret in ("Procédé secret", "500000", "500 000", "500,000", "1500000"):
        assert secret not in content


def test_a_revoked_certificate_says_so(client, certified, staff):
    certificate = certified.certificate
    certificate_revoke(actor=staff, certificate=certificate, reason="Partenaire en liquidation")
    url = reverse("projects:verify", kwargs={"token": certificate.token})
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>Revoked</strong>" in content
    assert "no longer valid" in content
    assert "Partenaire en liquidation" not in content  # the reason stays between the parties


def test_an_unknown_token_is_not_found(client, db):
    response = client.get(
        reverse("projects:verify", kwargs={"token": "00000000-0000-0000-0000-000000000000"})
    )
    assert response.status_code == 404
