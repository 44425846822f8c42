"""Certificates: numbered without gaps per year, a PDF with a QR code of the public address
where a funder checks them, and revocation by staff with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import is_staff, require
from grappe.core.qr import qr_svg
from grappe.projects.models import (
    Certificate,
    CertificateCounter,
    CertificateKind,
    Decision,
    LabellingRequest,
    Stage,
)

CERTIFICATE_PDF = "grappe.projects.services.certificates.certificate_pdf_by_id"
PREFIX = "LAB"


def next_certificate_number(year: int) -> str:
    """Take the next number of `year` under a row lock: concurrent issues wait, none is lost,
    and a rolled-back issue gives its number back (the counter rolls back with it)."""
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIX}-{year}-{counter.last:04d}"


def certificate_kind_for(request: LabellingRequest) -> str:
    """A support letter (Horizon Europe), an opinion (a pre-proposal), else a label."""
    if request.decision == Decision.SUPPORT_LETTER:
        return CertificateKind.SUPPORT_LETTER
    if request.stage == Stage.PRE_PROPOSAL:
        return CertificateKind.OPINION
    return CertificateKind.LABEL


def certificate_create(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> Certificate:
    """Inside `request_issue_certificate`'s transaction: the numbered row and its audit."""
    now = now or timezone.now()
    if Certificate.objects.filter(request=request).exists():
        raise ValidationError({"status": _("This file already has a certificate.")})
    certificate = Certificate.objects.create(
        request=request,
        number=next_certificate_number(timezone.localtime(now).year),
        kind=certificate_kind_for(request),
        issued_at=now,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor, obj=certificate, action="certificate.issue", after=_snapshot(certificate)
    )
    return certificate


def _snapshot(certificate: Certificate) -> dict[str, Any]:
    """The audit snapshot, with the token as text (the audit log stores JSON)."""
    values = snapshot(certificate)
    values["token"] = str(certificate.token)
    return values


def certificate_revoke(
    *, actor: Any, certificate: Certificate, reason: str, now: dt.datetime | None = None
) -> Certificate:
    """Staff revoke a certificate: its public page says so from now on."""
    from grappe.projects.services.workflow import mail_contacts

    require(is_staff(actor), _("Only the cluster's staff may do this."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("request__project", "request__session")
            .get(pk=certificate.pk)
        )
        if certificate.revoked_at is not None:
            raise ValidationError({"status": _("This certificate is already revoked.")})
        before = _snapshot(certificate)
        certificate.revoked_at = now or timezone.now()
        certificate.revoke_reason = reason
        certificate.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=actor,
            obj=certificate,
            action="certificate.revoke",
            before=before,
            after=_snapshot(certificate),
        )
        mail_contacts(certificate.request, "projects_certificate_revoked", certificate=certificate)
    return certificate


def verify_url(certificate: Certificate) -> str:
    """The public address where anyone checks the certificate."""
    path = reverse("projects:verify", kwargs={"token": certificate.token})
    return settings.GRAPPE_SITE_URL.rstrip("/") + path


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    request = certificate.request
    partners = list(request.partners.select_related("organisation").order_by("position", "id"))
    url = verify_url(certificate)
    return {
        "certificate": certificate,
        "file": request,
        "project": request.project,
        "session": request.session,
        "partners": partners,
        "verify_url": url,
        "qr_svg": qr_svg(url, box_size=8),
        "CLUSTER_NAME": settings.GRAPPE_CLUSTER_NAME,
    }


def certificate_html(certificate: Certificate, language: str = "fr") -> str:
    """The certificate's HTML, as the PDF prints it."""
    with translation.override(language):
        context = certificate_context(certificate)
        return render_to_string("projects/certificate_pdf.html", {**context, "language": language})


def certificate_pdf(certificate: Certificate, language: str = "fr") -> bytes:
    """The certificate as a PDF (WeasyPrint), in `language`."""
    from weasyprint import HTML

    return HTML(string=certificate_html(certificate, language)).write_pdf()  # type: ignore[no-any-return]


def certificate_pdf_by_id(*, certificate_id: int, language: str = "fr") -> bytes:
    """For mail attachments rendered by the background worker."""
    certificate = Certificate.objects.select_related("request__project", "request__session").get(
        pk=certificate_id
    )
    return certificate_pdf(certificate, language)
