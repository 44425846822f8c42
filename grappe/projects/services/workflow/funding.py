"""After a label: the certificate, the submission to the funder and the funding outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.projects import workflow
from grappe.projects.models import LabellingRequest, Partner
from grappe.projects.services.workflow.common import (
    S,
    _apply,
    _check_move,
    _locked,
    _now,
    mail_contacts,
)


def request_issue_certificate(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """Number the certificate (label, support letter or opinion) and send it to the consortium."""
    from grappe.projects.services.certificates import CERTIFICATE_PDF, certificate_create

    now = _now(now)
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.CERTIFICATE_ISSUED, "request_issue_certificate")
        certificate = certificate_create(actor=actor, request=request, now=now)

        def attachments(language: str) -> list[tuple[str, str, dict[str, Any], str]]:
            kwargs = {"certificate_id": certificate.pk, "language": language}
            return [(f"{certificate.number}.pdf", CERTIFICATE_PDF, kwargs, "application/pdf")]

        before = snapshot(request)
        request.status = S.CERTIFICATE_ISSUED
        request.save()
        audit_record(actor=actor, obj=request, action="request.certificate", before=before)
        mail_contacts(
            request,
            "projects_certificate_issued",
            attachments=attachments,
            certificate=certificate,
        )
        return request


def request_submitted_to_funder(
    *,
    actor: Any,
    request: LabellingRequest,
    reference: str,
    submitted_on: dt.date | None,
    now: dt.datetime | None = None,
) -> LabellingRequest:
    """The consortium (or staff) records its submission to the funder with its reference."""
    today = timezone.localdate(_now(now))
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.SUBMITTED_TO_FUNDER, "request_submitted_to_funder")
        errors: dict[str, str] = {}
        reference = (reference or "").strip()
        if not reference:
            errors["reference"] = _("Give the reference the funder gave to the application.")
        elif len(reference) > 100:
            errors["reference"] = _("The reference is limited to 100 characters.")
        if submitted_on is None:
            errors["submitted_on"] = _("Give the date of the submission to the funder.")
        elif submitted_on > today:
            errors["submitted_on"] = _("This date is in the future.")
        if errors:
            raise ValidationError(errors)
        return _apply(
            actor=actor,
            request=request,
            target=S.SUBMITTED_TO_FUNDER,
            action="submitted_to_funder",
            fields={"funder_reference": reference, "submitted_to_funder_on": submitted_on},
            template="projects_request_funder",
        )


def _amounts(
    partners: list[Partner], obtained: Mapping[int, Any] | None
) -> tuple[dict[int, Decimal], dict[str, str]]:
    """Each partner's aid obtained, from a mapping partner id → amount; errors by field."""
    amounts: dict[int, Decimal] = {}
    errors: dict[str, str] = {}
    obtained = obtained or {}
    for partner in partners:
        field = f"aid_{partner.pk}"
        raw = obtained.get(partner.pk)
        try:
            amount = Decimal(str(raw)) if raw not in (None, "") else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            errors[field] = _("Give the aid obtained by %(partner)s (0 if none).") % {
                "partner": partner.name
            }
        elif amount < 0:
            errors[field] = _("An amount cannot be negative.")
        elif amount > partner.budget:
            errors[field] = _("The aid obtained by %(partner)s exceeds its budget.") % {
                "partner": partner.name
            }
        else:
            amounts[partner.pk] = amount.quantize(Decimal("0.01"))
    unknown = set(obtained) - {p.pk for p in partners}
    if unknown:
        errors["obtained"] = _("Some amounts are for organisations outside the consortium.")
    return amounts, errors


def request_record_outcome(
    *,
    actor: Any,
    request: LabellingRequest,
    outcome: str,
    obtained: Mapping[int, Any] | None = None,
    outcome_on: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> LabellingRequest:
    """Funded (with the aid obtained by each partner), not funded, or withdrawn."""
    today = timezone.localdate(_now(now))
    outcome_on = outcome_on or today
    if outcome not in workflow.OUTCOMES:
        raise ValidationError({"outcome": _("Choose funded, not funded or withdrawn.")})
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, outcome, "request_record_outcome")
        partners = list(request.partners.order_by("position", "id"))
        errors: dict[str, str] = {}
        amounts: dict[int, Decimal] = {}
        if outcome == S.FUNDED:
            amounts, errors = _amounts(partners, obtained)
            if not errors and not any(amounts.values()):
                errors["obtained"] = _("A funded project obtained some aid: give the amounts.")
        elif obtained:
            errors["obtained"] = _("Amounts obtained are only recorded for a funded project.")
        if outcome_on > today:
            errors["outcome_on"] = _("This date is in the future.")
        if errors:
            raise ValidationError(errors)
        for partner in partners:
            before = snapshot(partner)
            partner.obtained_aid = amounts.get(partner.pk)
            partner.save(update_fields=["obtained_aid"])
            audit_record(actor=actor, obj=partner, action="partner.outcome", before=before)
        return _apply(
            actor=actor,
            request=request,
            target=outcome,
            action="outcome",
            fields={
                "outcome": outcome,
                "outcome_on": outcome_on,
                "outcome_note": (note or "").strip(),
            },
            template="projects_request_outcome",
            obtained_total=sum(amounts.values(), Decimal(0)),
        )
