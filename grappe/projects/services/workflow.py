"""One service per move of the labelling workflow (`grappe.projects.workflow`).

Each service locks the file, checks that the actor holds one of the roles the table gives
for the move (PermissionDenied with the reason otherwise) and that the file's status allows
it (ValidationError on `status`), validates its own fields (ValidationError naming them),
writes, records an audit row and mails the consortium's contacts in their language once the
transaction has committed. A refused move changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import is_staff, require
from grappe.projects import permissions, workflow
from grappe.projects.models import (
    AssignmentStatus,
    Decision,
    LabellingRequest,
    Partner,
    PartnerRole,
    ProjectContact,
    RequestStatus,
    ReviewStatus,
)

S = RequestStatus


# --- shared steps ----------------------------------------------------------------------------


def mail_contacts(
    request: LabellingRequest,
    template: str,
    *,
    attachments: Callable[[str], list[tuple[str, str, dict[str, Any], str]]] | None = None,
    **context: Any,
) -> None:
    """Mail every contact of the file in their own language (after commit)."""
    contacts = ProjectContact.objects.filter(request=request).select_related("user")
    for contact in contacts:
        user = contact.user
        if not user.is_active:
            continue
        language = user.language or "fr"
        mail_after_commit(
            to=[user.email],
            template=template,
            context={"file": request, "recipient": user, **context},
            language=language,
            attachments=attachments(language) if attachments else None,
        )


def _locked(request: LabellingRequest) -> LabellingRequest:
    return (
        LabellingRequest.objects.select_for_update()
        .select_related("project", "session")
        .get(pk=request.pk)
    )


def _check_move(actor: Any, request: LabellingRequest, target: str, service: str) -> None:
    """Permission first (403 with the reason), then the status (a ValidationError)."""
    roles = workflow.roles_for(target, request.status)
    require(permissions.may_act_as(actor, request, roles), permissions.role_refusal(roles))
    row = workflow.transition_for(request.status, target)
    if row is None or row.service != service:
        raise ValidationError(
            {
                "status": _("A file cannot go from “%(from)s” to “%(to)s”.")
                % {"from": S(request.status).label, "to": S(target).label}
            }
        )


def _apply(
    *,
    actor: Any,
    request: LabellingRequest,
    target: str,
    action: str,
    fields: Mapping[str, Any],
    template: str,
    **mail_context: Any,
) -> LabellingRequest:
    before = snapshot(request)
    request.status = target
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    audit_record(actor=actor, obj=request, action=f"request.{action}", before=before)
    mail_contacts(request, template, **mail_context)
    return request


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- submission --------------------------------------------------------------------------------


def submission_errors(request: LabellingRequest, now: dt.datetime) -> dict[str, list[str]]:
    """Everything that stops the file from being submitted, by field; eligibility rules of the
    scheme under NON_FIELD_ERRORS (all of them, in the current language)."""
    from grappe.projects.services.eligibility import eligibility_check

    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    session = request.session
    if now < session.opens_at:
        add("session", _("The session is not open for submissions yet."))
    if now > session.submission_deadline:
        add("session", _("The session's submission deadline has passed."))
    if request.scheme not in (session.schemes or []):
        add("scheme", _("This session does not target the scheme chosen for the file."))
    if not request.title.strip():
        add("title", _("Give the project's title."))
    if not request.summary_public.strip():
        add("summary_public", _("Give the public summary of the project."))
    if not request.description.strip():
        add("description", _("Give the confidential description of the project."))
    partners = list(request.partners.all())
    coordinators = [p for p in partners if p.role == PartnerRole.COORDINATOR]
    if not partners:
        add("partners", _("Add the partners of the consortium."))
    elif len(coordinators) != 1:
        add("partners", _("The consortium needs exactly one coordinator."))
    total = sum((p.budget for p in partners), Decimal(0))
    if request.total_budget <= 0:
        add("total_budget", _("Give the total budget of the project."))
    elif request.total_budget != total:
        add(
            "total_budget",
            _(
                "The total budget (%(total)s €) must equal the sum of the partners' budgets "
                "(%(sum)s €)."
            )
            % {"total": request.total_budget, "sum": total},
        )
    for partner in partners:
        if partner.requested_aid > partner.budget:
            add(
                "partners",
                _("%(partner)s requests more aid than its budget.") % {"partner": partner.name},
            )
    for message in eligibility_check(request):
        add(NON_FIELD_ERRORS, message)
    return errors


def request_submit(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """A contact submits the draft: every check must pass; the file is then locked."""
    now = _now(now)
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.SUBMITTED, "request_submit")
        errors = submission_errors(request, now)
        if errors:
            raise ValidationError(errors)
        return _apply(
            actor=actor,
            request=request,
            target=S.SUBMITTED,
            action="submit",
            fields={"submitted_at": now, "submitted_by": actor},
            template="projects_request_submitted",
        )


def request_reopen(
    *, actor: Any, request: LabellingRequest, reason: str, now: dt.datetime | None = None
) -> LabellingRequest:
    """Staff return a submitted file to its consortium for corrections (it is a draft again)."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.DRAFT, "request_reopen")
        reason = _required(reason, "reason", _("Say what the consortium must correct."))
        return _apply(
            actor=actor,
            request=request,
            target=S.DRAFT,
            action="reopen",
            fields={"submitted_at": None, "submitted_by": None},
            template="projects_request_reopened",
            reason=reason,
        )


# --- admissibility and review --------------------------------------------------------------


def request_declare_inadmissible(
    *, actor: Any, request: LabellingRequest, reason: str, now: dt.datetime | None = None
) -> LabellingRequest:
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.INADMISSIBLE, "request_declare_inadmissible")
        reason = _required(reason, "reason", _("Say why the file is inadmissible."))
        return _apply(
            actor=actor,
            request=request,
            target=S.INADMISSIBLE,
            action="inadmissible",
            fields={"inadmissible_reason": reason},
            template="projects_request_inadmissible",
        )


def request_start_review(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """Staff find the file admissible: the experts may review it."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.UNDER_REVIEW, "request_start_review")
        return _apply(
            actor=actor,
            request=request,
            target=S.UNDER_REVIEW,
            action="start_review",
            fields={},
            template="projects_request_review",
        )


def request_mark_reviews_complete(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """Every accepted review is in: called by the review service after the last one, by the
    expert who submitted it; staff may also close the review round once one review is in."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.REVIEWS_COMPLETE, "request_mark_reviews_complete")
        accepted = request.assignments.filter(status=AssignmentStatus.ACCEPTED)
        submitted = accepted.filter(review__status=ReviewStatus.SUBMITTED).count()
        if submitted == 0:
            raise ValidationError({"status": _("No review of this file has been submitted yet.")})
        if not is_staff(actor) and submitted < accepted.count():
            raise ValidationError({"status": _("Some accepted reviews are not submitted yet.")})
        return _apply(
            actor=actor,
            request=request,
            target=S.REVIEWS_COMPLETE,
            action="reviews_complete",
            fields={},
            template="projects_request_reviews_complete",
        )


def request_to_committee(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    """Put the file on the committee's agenda (again, for a deferred file)."""
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.COMMITTEE, "request_to_committee")
        return _apply(
            actor=actor,
            request=request,
            target=S.COMMITTEE,
            action="to_committee",
            fields={"decision": "", "decided_at": None},
            template="projects_request_committee",
        )


# --- decision ------------------------------------------------------------------------------


def request_decide(
    *,
    actor: Any,
    request: LabellingRequest,
    decision: str,
    reservations: str = "",
    decision_text: str = "",
    now: dt.datetime | None = None,
) -> LabellingRequest:
    """Record the committee's decision (staff or the committee's chair)."""
    now = _now(now)
    if decision not in Decision.values:
        raise ValidationError(
            {
                "decision": _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(str(label) for label in Decision.labels)}
            }
        )
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, decision, "request_decide")
        reservations = (reservations or "").strip()
        decision_text = (decision_text or "").strip()
        errors: dict[str, str] = {}
        if decision == Decision.LABELLED_RESERVATIONS and not reservations:
            errors["reservations"] = _("State the reservations that go with the label.")
        if decision != Decision.LABELLED_RESERVATIONS and reservations:
            errors["reservations"] = _("Reservations only go with a label with reservations.")
        if decision in (Decision.DEFERRED, Decision.REJECTED) and not decision_text:
            errors["decision_text"] = _("Explain the decision to the applicant.")
        if errors:
            raise ValidationError(errors)
        return _apply(
            actor=actor,
            request=request,
            target=decision,
            action="decide",
            fields={
                "decision": decision,
                "decided_at": now,
                "reservations": reservations,
                "decision_text": decision_text,
            },
            template="projects_request_decided",
        )


# --- certificate and funding -----------------------------------------------------------------


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


# --- the end -----------------------------------------------------------------------------------


def request_close(
    *, actor: Any, request: LabellingRequest, now: dt.datetime | None = None
) -> LabellingRequest:
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.CLOSED, "request_close")
        return _apply(
            actor=actor,
            request=request,
            target=S.CLOSED,
            action="close",
            fields={},
            template="projects_request_closed",
        )


def request_withdraw(
    *, actor: Any, request: LabellingRequest, reason: str, now: dt.datetime | None = None
) -> LabellingRequest:
    """The consortium withdraws its file before the committee's decision."""
    now = _now(now)
    with transaction.atomic():
        request = _locked(request)
        _check_move(actor, request, S.WITHDRAWN, "request_withdraw")
        reason = _required(reason, "reason", _("Say why the file is withdrawn."))
        return _apply(
            actor=actor,
            request=request,
            target=S.WITHDRAWN,
            action="withdraw",
            fields={"withdrawn_at": now, "withdraw_reason": reason},
            template="projects_request_withdrawn",
        )


# The service of each kind of move, by name (the workflow table refers to them by name).
SERVICES: dict[str, Callable[..., LabellingRequest]] = {
    "request_submit": request_submit,
    "request_reopen": request_reopen,
    "request_declare_inadmissible": request_declare_inadmissible,
    "request_start_review": request_start_review,
    "request_mark_reviews_complete": request_mark_reviews_complete,
    "request_to_committee": request_to_committee,
    "request_decide": request_decide,
    "request_issue_certificate": request_issue_certificate,
    "request_submitted_to_funder": request_submitted_to_funder,
    "request_record_outcome": request_record_outcome,
    "request_close": request_close,
    "request_withdraw": request_withdraw,
}
