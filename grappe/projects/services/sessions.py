"""Staff run the labelling sessions (calls): dates and schemes, the evaluation grid (with a
copy of the previous session's), the committee, and the schemes' eligibility rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.projects import permissions
from grappe.projects.models import (
    CommitteeMember,
    CommitteeRole,
    Criterion,
    EligibilityRule,
    FundingScheme,
    LabellingSession,
    ReviewScore,
    RuleCheck,
)

SESSION_FIELDS = (
    "slug", "name_fr", "name_en", "description_fr", "description_en", "schemes", "opens_at",
    "submission_deadline", "review_deadline", "committee_date", "experts_per_project",
    "threshold",
)  # fmt: skip
CRITERION_FIELDS = (
    "code", "name_fr", "name_en", "guidance_fr", "guidance_en", "weight", "eliminatory_below",
    "position",
)  # fmt: skip


def _staff(actor: Any) -> None:
    require(permissions.can_manage_sessions(actor), _("Only the cluster's staff may do this."))


def _session_errors(values: dict[str, Any], session: LabellingSession | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values.get("name_fr"):
        errors["name_fr"] = _("Give the session's name in French.")
    schemes = values.get("schemes") or []
    if not schemes:
        errors["schemes"] = _("Choose at least one funding scheme.")
    elif set(schemes) - set(FundingScheme.values):
        errors["schemes"] = _("Choose funding schemes from the list.")
    slug = values.get("slug") or ""
    if not slug:
        errors["slug"] = _("Give the session a short name for its address.")
    else:
        taken = LabellingSession.objects.filter(slug=slug)
        if session is not None:
            taken = taken.exclude(pk=session.pk)
        if taken.exists():
            errors["slug"] = _("Another session has this address.")
    opens, deadline = values.get("opens_at"), values.get("submission_deadline")
    reviews, committee = values.get("review_deadline"), values.get("committee_date")
    if opens and deadline and deadline < opens:
        errors["submission_deadline"] = _("The deadline comes after the opening.")
    if deadline and reviews and reviews < timezone.localtime(deadline).date():
        errors["review_deadline"] = _("Reviews are due after the submission deadline.")
    if reviews and committee and committee < reviews:
        errors["committee_date"] = _("The committee meets after the review deadline.")
    threshold = values.get("threshold")
    if threshold is not None and not Decimal(0) <= Decimal(threshold) <= Decimal(5):
        errors["threshold"] = _("The threshold is a score from 0 to 5.")
    experts = values.get("experts_per_project")
    if experts is not None and not 1 <= int(experts) <= 6:
        errors["experts_per_project"] = _("From 1 to 6 experts per file.")
    return errors


def session_save(
    *, actor: Any, data: dict[str, Any], session: LabellingSession | None = None
) -> LabellingSession:
    """Create a session, or change one (`session`)."""
    _staff(actor)
    values = {name: data[name] for name in SESSION_FIELDS if name in data}
    if session is not None:
        values = {**{n: getattr(session, n) for n in SESSION_FIELDS}, **values}
    for name in ("name_fr", "name_en", "description_fr", "description_en"):
        values[name] = (values.get(name) or "").strip()
    values["slug"] = slugify(values.get("slug") or values["name_fr"])[:80]
    values["schemes"] = list(dict.fromkeys(values.get("schemes") or []))
    missing = [
        n
        for n in ("opens_at", "submission_deadline", "review_deadline", "committee_date")
        if not values.get(n)
    ]
    errors = {name: _("This field is required.") for name in missing}
    errors.update(_session_errors(values, session))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(session) if session is not None else None
        if session is None:
            session = LabellingSession(created_by=actor)
        for name, value in values.items():
            setattr(session, name, value)
        session.save()
        audit_record(
            actor=actor,
            obj=session,
            action="session.update" if before else "session.create",
            before=before,
        )
    return session


def previous_session(session: LabellingSession) -> LabellingSession | None:
    """The latest other session before this one (by committee date) that has a grid."""
    return (
        LabellingSession.objects.exclude(pk=session.pk)
        .filter(committee_date__lte=session.committee_date, criteria__isnull=False)
        .order_by("-committee_date", "-pk")
        .distinct()
        .first()
    )


def grid_copy(
    *, actor: Any, session: LabellingSession, source: LabellingSession | None = None
) -> list[Criterion]:
    """Replace the session's grid by a copy of `source`'s (the previous session's by default).
    Refused once an expert has scored against the current grid."""
    _staff(actor)
    source = source or previous_session(session)
    if source is None or source.pk == session.pk:
        raise ValidationError({"source": _("There is no earlier session with a grid to copy.")})
    with transaction.atomic():
        if ReviewScore.objects.filter(criterion__session=session).exists():
            raise ValidationError(
                {"source": _("Experts have already scored against this grid: it stays.")}
            )
        Criterion.objects.filter(session=session).delete()
        copies = [
            Criterion(session=session, **{n: getattr(c, n) for n in CRITERION_FIELDS})
            for c in source.criteria.order_by("position", "id")
        ]
        Criterion.objects.bulk_create(copies)
        audit_record(
            actor=actor,
            obj=session,
            action="session.grid_copy",
            before={},
            after={"grid_copied_from": source.slug},
        )
    return list(session.criteria.order_by("position", "id"))


def criterion_save(
    *,
    actor: Any,
    session: LabellingSession,
    data: dict[str, Any],
    criterion: Criterion | None = None,
) -> Criterion:
    _staff(actor)
    values = {name: data.get(name, getattr(criterion, name, None)) for name in CRITERION_FIELDS}
    values["code"] = slugify(values["code"] or "")[:40]
    for name in ("name_fr", "name_en", "guidance_fr", "guidance_en"):
        values[name] = (values[name] or "").strip()
    errors: dict[str, str] = {}
    if not values["code"]:
        errors["code"] = _("Give the criterion a code.")
    else:
        same = Criterion.objects.filter(session=session, code=values["code"])
        if criterion is not None:
            same = same.exclude(pk=criterion.pk)
        if same.exists():
            errors["code"] = _("Another criterion of this grid has this code.")
    if not values["name_fr"]:
        errors["name_fr"] = _("Give the criterion's name in French.")
    weight = values["weight"]
    if weight is None or Decimal(weight) <= 0:
        errors["weight"] = _("The weight is a positive number.")
    below = values["eliminatory_below"]
    if below is not None and not 0 <= int(below) <= 5:
        errors["eliminatory_below"] = _("A score from 0 to 5, or empty.")
    values["position"] = values["position"] or 0
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(criterion) if criterion is not None else None
        if criterion is None:
            criterion = Criterion(session=session)
        for name, value in values.items():
            setattr(criterion, name, value)
        criterion.save()
        audit_record(
            actor=actor,
            obj=criterion,
            action="criterion.update" if before else "criterion.add",
            before=before,
        )
    return criterion


def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    _staff(actor)
    if ReviewScore.objects.filter(criterion=criterion).exists():
        raise ValidationError({"criterion": _("Experts have scored this criterion: it stays.")})
    with transaction.atomic():
        audit_record(actor=actor, obj=criterion, action="criterion.delete", after={})
        criterion.delete()


def committee_add(
    *, actor: Any, session: LabellingSession, email: str, role: str
) -> CommitteeMember:
    """Seat a registered user on the session's committee (one chair at most)."""
    _staff(actor)
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    errors: dict[str, str] = {}
    if user is None:
        errors["email"] = _("No registered user has this address.")
    elif CommitteeMember.objects.filter(session=session, user=user).exists():
        errors["email"] = _("This person already sits on the committee.")
    if role not in CommitteeRole.values:
        errors["role"] = _("Choose a role from the list.")
    elif (
        role == CommitteeRole.CHAIR
        and CommitteeMember.objects.filter(session=session, role=CommitteeRole.CHAIR).exists()
    ):
        errors["role"] = _("The committee already has a chair.")
    if errors:
        raise ValidationError(errors)
    assert user is not None
    with transaction.atomic():
        seat = CommitteeMember.objects.create(session=session, user=user, role=role)
        audit_record(actor=actor, obj=seat, action="committee.add")
    return seat


def committee_remove(*, actor: Any, seat: CommitteeMember) -> None:
    _staff(actor)
    with transaction.atomic():
        audit_record(actor=actor, obj=seat, action="committee.remove", after={})
        seat.delete()


# --- eligibility rules -----------------------------------------------------------------------

# The finding names each check may put in a message, besides its params.
FINDINGS: dict[str, set[str]] = {
    RuleCheck.MIN_COMPANIES: {"found"},
    RuleCheck.MIN_RESEARCH: {"found"},
    RuleCheck.LED_BY_COMPANY: {"coordinator", "kind"},
    RuleCheck.MAX_PARTNER_SHARE: {"partner", "share"},
    RuleCheck.MIN_TERRITORY_SHARE: {"share"},
    RuleCheck.MAX_PARTNERS: {"found"},
    RuleCheck.MIN_SME_OR_MIDSIZE: {"found"},
    RuleCheck.MIN_PARTNERS: {"found"},
    RuleCheck.MIN_MEMBER_PARTNERS: {"found"},
}


def _rule_errors(values: dict[str, Any]) -> dict[str, str]:
    from grappe.projects.services.eligibility import PARAMS, placeholders

    errors: dict[str, str] = {}
    if values["scheme"] not in FundingScheme.values:
        errors["scheme"] = _("Choose a funding scheme from the list.")
    if values["rule"] not in RuleCheck.values:
        errors["rule"] = _("Choose a check from the list.")
        return errors
    expected = PARAMS[values["rule"]]
    params = values["params"]
    if not isinstance(params, dict) or set(params) != set(expected):
        names = ", ".join(sorted(expected)) or _("none")
        errors["params"] = _("This check takes these parameters: %(names)s.") % {"names": names}
    else:
        for key, value in params.items():
            limit = 100 if key == "percent" else 1000
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
                errors["params"] = _("%(key)s is a whole number from 0 to %(limit)s.") % {
                    "key": key,
                    "limit": limit,
                }
    known = set(expected) | FINDINGS[values["rule"]]
    for field in ("message_fr", "message_en"):
        message = values[field]
        if not message:
            errors[field] = _("Write the message shown when the rule is broken.")
            continue
        try:
            unknown = placeholders(message) - known
        except ValueError:
            errors[field] = _("Unbalanced braces: write placeholders as {name}.")
            continue
        if unknown:
            errors[field] = _("Unknown placeholders: %(names)s. Available: %(known)s.") % {
                "names": ", ".join(sorted(unknown)),
                "known": ", ".join(sorted(known)),
            }
    return errors


def rule_save(
    *, actor: Any, data: dict[str, Any], rule: EligibilityRule | None = None
) -> EligibilityRule:
    """Create or change an eligibility rule; its messages may only use known placeholders."""
    require(permissions.can_edit_rules(actor), _("Only the cluster's staff may do this."))
    fields = ("scheme", "rule", "params", "message_fr", "message_en", "is_active", "position")
    values = {name: data.get(name, getattr(rule, name, None)) for name in fields}
    values["message_fr"] = (values["message_fr"] or "").strip()
    values["message_en"] = (values["message_en"] or "").strip()
    values["params"] = values["params"] if values["params"] is not None else {}
    values["is_active"] = bool(values["is_active"]) if values["is_active"] is not None else True
    values["position"] = values["position"] or 0
    errors = _rule_errors(values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(rule) if rule is not None else None
        if rule is None:
            rule = EligibilityRule()
        for name, value in values.items():
            setattr(rule, name, value)
        rule.save()
        audit_record(
            actor=actor,
            obj=rule,
            action="rule.update" if before else "rule.create",
            before=before,
        )
    return rule
