"""The membership workflow: apply → approve → active → lapsed / resigned / excluded; renewal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.members import permissions
from grappe.members.models import (
    DecisionBody,
    Membership,
    MembershipStatus,
    Organisation,
)
from grappe.members.selectors import organisation_contacts
from grappe.members.services.dues import (
    DuesQuote,
    dues_quote,
    latest_figures,
    quote_with,
    schedule_for,
)
from grappe.members.services.invoices import invoice_issue

INVOICE_PDF = "grappe.members.services.invoices.invoice_pdf_by_id"

S = MembershipStatus
# The workflow as data: from each status, the statuses a service may move it to.
TRANSITIONS: dict[str, set[str]] = {
    S.APPLIED: {S.APPROVED, S.REFUSED},
    S.APPROVED: {S.ACTIVE, S.LAPSED, S.RESIGNED, S.EXCLUDED},
    S.ACTIVE: {S.LAPSED, S.RESIGNED, S.EXCLUDED},
    S.REFUSED: {S.APPLIED},
    S.LAPSED: set(),
    S.RESIGNED: set(),
    S.EXCLUDED: set(),
}
ENDINGS = {S.LAPSED, S.RESIGNED, S.EXCLUDED}


def _directory_reindex_after_commit(organisation_id: int) -> None:
    """The directory lists members: refresh its index once the status change is committed."""
    from grappe.directory.indexing import organisation_reindex

    transaction.on_commit(lambda: organisation_reindex([organisation_id]))


def _check_transition(membership: Membership, target: str) -> None:
    if target not in TRANSITIONS[membership.status]:
        raise ValidationError(
            {
                "status": _("A membership cannot go from “%(from)s” to “%(to)s”.")
                % {"from": membership.get_status_display(), "to": S(target).label}
            }
        )


def _admins_emails(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        (a.person.email, a.person.language)
        for a in organisation_contacts(organisation).filter(is_admin=True)
    ]


def _mail_admins(membership: Membership, template: str, **extra: Any) -> None:
    for email, language in _admins_emails(membership.organisation):
        mail_after_commit(
            to=[email],
            template=template,
            context={"membership": membership, **extra},
            language=language,
        )


def _mail_staff(membership: Membership, template: str) -> None:
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    for user in staff:
        mail_after_commit(
            to=[user.email],
            template=template,
            context={"membership": membership},
            language=user.language,
        )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def membership_apply(
    *,
    actor: Any,
    organisation: Organisation,
    year: int | None = None,
    start: dt.date | None = None,
    motivation: str = "",
    applied_at: dt.datetime | None = None,
) -> Membership:
    """An organisation applies for `year`; the dues shown before applying are kept.

    `applied_at` records an application received earlier (on paper, or in the demo's past)."""
    require(permissions.can_apply_for_membership(actor, organisation))
    start = start or timezone.localdate()
    year = year or start.year
    if start.year > year:
        raise ValidationError({"year": _("The membership year has already ended.")})
    start = max(start, dt.date(year, 1, 1))
    quote = dues_quote(organisation=organisation, year=year, start=start)
    with transaction.atomic():
        membership = Membership.objects.filter(organisation=organisation, year=year).first()
        before = snapshot(membership) if membership else {}
        if membership is not None:
            if membership.status != S.REFUSED:
                raise ValidationError(
                    {
                        "year": _("This organisation already has a membership for %(year)s.")
                        % {"year": year}
                    }
                )
        else:
            membership = Membership(organisation=organisation, year=year)
        membership.status = S.APPLIED
        membership.start, membership.end = start, dt.date(year, 12, 31)
        membership.applied_by = actor if actor.is_authenticated else None
        membership.applied_at = applied_at or timezone.now()
        membership.motivation = motivation
        membership.college, membership.band_label = quote.college, quote.band_label
        membership.fee_full, membership.fee, membership.months = (
            quote.full,
            quote.amount,
            quote.months,
        )
        membership.decided_at = membership.decided_by = None
        membership.decision_note = membership.decision_body = ""
        membership.save()
        audit_record(actor=actor, obj=membership, action="membership.apply", before=before)
        _mail_admins(membership, "membership_applied")
        _mail_staff(membership, "membership_to_decide")
    return membership


def membership_approve(
    *,
    actor: Any,
    membership: Membership,
    body: str = DecisionBody.STAFF,
    note: str = "",
    decided_at: dt.datetime | None = None,
    issued_on: dt.date | None = None,
) -> Membership:
    """Admit the organisation: the decision is kept and the invoice for the year is issued."""
    require(permissions.can_decide_membership(actor, membership))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_transition(membership, S.APPROVED)
        before = snapshot(membership)
        membership.status = S.APPROVED
        membership.decided_at = decided_at or timezone.now()
        membership.decided_by = actor
        membership.decision_body, membership.decision_note = body, note
        membership.save()
        audit_record(actor=actor, obj=membership, action="membership.approve", before=before)
        invoice = invoice_issue(actor=actor, membership=membership, issued_on=issued_on)
        for email, language in _admins_emails(membership.organisation):
            pdf = (INVOICE_PDF, {"invoice_id": invoice.pk, "language": language})
            mail_after_commit(
                to=[email],
                template="membership_approved",
                context={"membership": membership, "invoice": invoice},
                language=language,
                attachments=[(f"{invoice.number}.pdf", *pdf, "application/pdf")],
            )
    return membership


def membership_refuse(*, actor: Any, membership: Membership, note: str) -> Membership:
    require(permissions.can_decide_membership(actor, membership))
    if not note.strip():
        raise ValidationError({"note": _("Give the reason for the refusal: it is sent to them.")})
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_transition(membership, S.REFUSED)
        before = snapshot(membership)
        membership.status = S.REFUSED
        membership.decided_at, membership.decided_by = timezone.now(), actor
        membership.decision_note = note
        membership.save()
        audit_record(actor=actor, obj=membership, action="membership.refuse", before=before)
        _mail_admins(membership, "membership_refused")
    return membership


def membership_activate(*, actor: Any, membership: Membership) -> Membership:
    """Approved → active: done when the invoice is paid, or by staff directly."""
    require(permissions.can_decide_membership(actor, membership))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_transition(membership, S.ACTIVE)
        before = snapshot(membership)
        membership.status = S.ACTIVE
        membership.save()
        audit_record(actor=actor, obj=membership, action="membership.activate", before=before)
        _directory_reindex_after_commit(membership.organisation_id)
        _mail_admins(membership, "membership_active")
    return membership


def membership_end(
    *, actor: Any, membership: Membership, status: str, on: dt.date | None = None, reason: str = ""
) -> Membership:
    """End a membership: lapsed (unpaid, not renewed), resigned, or excluded by the board."""
    require(permissions.can_decide_membership(actor, membership))
    if status not in ENDINGS:
        raise ValidationError({"status": _("Choose lapsed, resigned or excluded.")})
    on = on or timezone.localdate()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_transition(membership, status)
        if not membership.start <= on <= membership.end:
            on = min(max(on, membership.start), membership.end)
        before = snapshot(membership)
        membership.status = status
        membership.ended_at, membership.end = on, on
        membership.end_reason = reason
        membership.save()
        audit_record(actor=actor, obj=membership, action=f"membership.{status}", before=before)
        _directory_reindex_after_commit(membership.organisation_id)
        _mail_admins(membership, "membership_ended")
    return membership


def membership_renew(
    *, actor: Any, membership: Membership, on: dt.date | None = None
) -> Membership:
    """Tacit renewal into the next year: a new active record and its invoice.

    `on` dates a renewal run in the past (decision and invoice); today by default."""
    require(permissions.can_decide_membership(actor, membership))
    if membership.status not in {S.ACTIVE, S.APPROVED}:
        raise ValidationError({"status": _("Only a current membership can be renewed.")})
    year = membership.year + 1
    organisation = membership.organisation
    if Membership.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": _("The next year's membership already exists.")})
    quote = dues_quote(organisation=organisation, year=year, start=dt.date(year, 1, 1))
    with transaction.atomic():
        renewal = Membership.objects.create(
            organisation=organisation,
            year=year,
            status=S.ACTIVE,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            decided_at=_start_of(on) if on else timezone.now(),
            decided_by=actor if actor.is_authenticated else None,
            decision_body=DecisionBody.STAFF,
            decision_note=_("Tacit renewal"),
            college=quote.college,
            band_label=quote.band_label,
            fee_full=quote.full,
            fee=quote.amount,
            months=12,
            renewal_of=membership,
        )
        audit_record(actor=actor, obj=renewal, action="membership.renew")
        _directory_reindex_after_commit(renewal.organisation_id)
        invoice_issue(actor=actor, membership=renewal, issued_on=on)
        _mail_admins(renewal, "membership_renewed")
    return renewal


@dataclass(frozen=True)
class RenewalPlanItem:
    membership: Membership
    quote: DuesQuote | None
    problem: str = ""


def memberships_renewal_plan(*, year: int) -> list[RenewalPlanItem]:
    """What renewing the current memberships of `year` into `year + 1` would do; no write.

    A membership without a quote for the next year (no schedule, no figures, no band) carries
    the reason instead; the staff's confirmation page shows both lists."""
    current = list(
        Membership.objects.filter(
            year=year, status__in=[S.ACTIVE, S.APPROVED], renewed_by__isnull=True
        )
        .exclude(organisation__in=Membership.objects.filter(year=year + 1).values("organisation"))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    try:
        schedule = schedule_for(year + 1)
    except ValidationError as exc:
        return [RenewalPlanItem(m, None, " ".join(exc.messages)) for m in current]
    figures = latest_figures([m.organisation for m in current], year + 1)
    plan = []
    for membership in current:
        try:
            quote = quote_with(
                schedule=schedule,
                organisation=membership.organisation,
                figures=figures.get(membership.organisation_id),
                year=year + 1,
                start=dt.date(year + 1, 1, 1),
            )
        except ValidationError as exc:
            plan.append(RenewalPlanItem(membership, None, " ".join(exc.messages)))
        else:
            plan.append(RenewalPlanItem(membership, quote))
    return plan


def memberships_renew_year(*, actor: Any, year: int) -> list[Membership]:
    """Renew every current membership of `year` that has no successor yet, in one transaction.

    Memberships that cannot be quoted for the next year are left as they are (see
    `memberships_renewal_plan` for the reason); any other failure renews none."""
    require(permissions.can_decide_membership(actor))
    with transaction.atomic():
        return [
            membership_renew(actor=actor, membership=item.membership)
            for item in memberships_renewal_plan(year=year)
            if item.quote is not None
        ]


def membership_send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily: remind members of the coming renewal (December) and of unpaid invoices."""
    from grappe.members.models import Invoice, InvoiceStatus

    today = today or timezone.localdate()
    counts = {"renewal": 0, "unpaid": 0}
    if today.month == 12 and today.day in {1, 15}:
        for membership in Membership.objects.filter(
            year=today.year, status=S.ACTIVE, renewed_by__isnull=True
        ).select_related("organisation"):
            _mail_admins(membership, "membership_renewal_reminder")
            counts["renewal"] += 1
    overdue = Invoice.objects.filter(status=InvoiceStatus.ISSUED, due_on__lt=today).select_related(
        "membership__organisation"
    )
    for invoice in overdue:
        if (today - invoice.due_on).days % 15 == 1:
            _mail_admins(invoice.membership, "invoice_reminder", invoice=invoice)
            counts["unpaid"] += 1
    return counts
