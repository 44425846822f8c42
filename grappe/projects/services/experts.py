"""The expert pool: profiles (staff add and edit them; experts keep their competences,
relationships and availability up to date), the confidentiality agreement, and the conflicts
experts declare. A change that creates a conflict ends the expert's assignments at once
(`grappe.projects.services.assignments.withdraw_conflicted`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.permissions import require
from grappe.members.models import Competence, Facet, Organisation
from grappe.projects import permissions
from grappe.projects.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ExpertKind,
    ExpertProfile,
    ExpertRelationship,
    RelationshipKind,
)
from grappe.projects.models.experts import NDA_VERSION
from grappe.projects.services.assignments import withdraw_conflicted

# Competences an expert may claim: expertise, not a value-chain position or a TRL.
EXPERT_FACETS = (Facet.TECHNOLOGY, Facet.MARKET)
MAX_LOAD = 50
# Fields the expert may change; staff change the kind and the employer as well.
OWN_FIELDS = ("competences", "load_limit", "bio", "is_active")
STAFF_FIELDS = ("kind", "employer", *OWN_FIELDS)
_UNSET: Any = object()


def _competences(values: Iterable[Competence | int]) -> list[Competence]:
    ids = {getattr(value, "pk", value) for value in values}
    found = list(
        Competence.objects.filter(
            pk__in=ids, version__is_current=True, is_active=True, facet__in=EXPERT_FACETS
        )
    )
    if len(found) != len(ids):
        raise ValidationError(
            {
                "competences": _(
                    "Choose technologies and markets of the current taxonomy of competences."
                )
            }
        )
    return found


def _validate(kind: str | None, load_limit: int | None) -> None:
    errors = {}
    if kind is not None and kind not in ExpertKind.values:
        errors["kind"] = _("Choose a kind of expert from the list.")
    if load_limit is not None and not 0 <= load_limit <= MAX_LOAD:
        errors["load_limit"] = _("Give a number of files from 0 to %(max)d.") % {"max": MAX_LOAD}
    if errors:
        raise ValidationError(errors)


def expert_profile_create(
    *,
    actor: Any,
    user: Any,
    kind: str,
    employer: Organisation | None = None,
    competences: Iterable[Competence | int] = (),
    load_limit: int = 4,
    bio: str = "",
    is_active: bool = True,
) -> ExpertProfile:
    """Staff add a person with a login to the pool; the login becomes an expert's."""
    with transaction.atomic():
        require(permissions.can_manage_experts(actor), _("Only the cluster's staff may do this."))
        if ExpertProfile.objects.filter(user=user).exists():
            raise ValidationError({"user": _("This person is already in the pool of experts.")})
        if not user.is_active:
            raise ValidationError({"user": _("This login is deactivated.")})
        _validate(kind, load_limit)
        chosen = _competences(competences)
        profile = ExpertProfile.objects.create(
            user=user,
            kind=kind,
            employer=employer,
            load_limit=load_limit,
            bio=(bio or "").strip(),
            is_active=is_active,
        )
        profile.competences.set(chosen)
        audit_record(
            actor=actor,
            obj=profile,
            action="expert.create",
            after={**snapshot(profile), "competences": sorted(c.code for c in chosen)},
        )
        if not user.is_expert:
            before = snapshot(user, ["is_expert"])
            user.is_expert = True
            user.save(update_fields=["is_expert"])
            audit_record(
                actor=actor,
                obj=user,
                action="user.set_expert",
                before=before,
                after=snapshot(user, ["is_expert"]),
            )
    return profile


def expert_profile_update(
    *,
    actor: Any,
    profile: ExpertProfile,
    kind: str | None = None,
    employer: Organisation | None = _UNSET,
    competences: Iterable[Competence | int] | None = None,
    load_limit: int | None = None,
    bio: str | None = None,
    is_active: bool | None = None,
    now: dt.datetime | None = None,
) -> ExpertProfile:
    """Change a profile: the expert their competences, load limit, expertise and availability;
    staff also the kind and the employer. A new employer in conflict with a file ends the
    assignment at once."""
    with transaction.atomic():
        require(
            permissions.can_edit_expert_profile(actor, profile),
            _("Only the expert or the cluster's staff may change this profile."),
        )
        staff_only = {"kind": kind is not None, "employer": employer is not _UNSET}
        if not permissions.can_manage_experts(actor):
            for name, given in staff_only.items():
                if given:
                    raise ValidationError(
                        {name: _("Only the cluster's staff change this; write to the team.")}
                    )
        _validate(kind, load_limit)
        profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        before = {**snapshot(profile), "competences": _codes(profile)}
        if kind is not None:
            profile.kind = kind
        if employer is not _UNSET:
            profile.employer = employer
        if load_limit is not None:
            profile.load_limit = load_limit
        if bio is not None:
            profile.bio = bio.strip()
        if is_active is not None:
            profile.is_active = is_active
        profile.save()
        if competences is not None:
            profile.competences.set(_competences(competences))
        after = {**snapshot(profile), "competences": _codes(profile)}
        audit_record(actor=actor, obj=profile, action="expert.update", before=before, after=after)
        if before["employer"] != after["employer"]:
            withdraw_conflicted(actor=actor, expert=profile, now=now)
    return profile


def _codes(profile: ExpertProfile) -> list[str]:
    return sorted(profile.competences.values_list("code", flat=True))


def expert_agreement_accept(
    *, actor: Any, profile: ExpertProfile, version: str, now: dt.datetime | None = None
) -> ExpertProfile:
    """The expert accepts the confidentiality agreement (its current version) on the site."""
    now = now or timezone.now()
    with transaction.atomic():
        require(
            bool(getattr(actor, "is_authenticated", False)) and profile.user_id == actor.pk,
            _("Only the expert accepts their own agreement."),
        )
        if version != NDA_VERSION:
            raise ValidationError(
                {
                    "version": _(
                        "The agreement has changed: read the current version (%(version)s) "
                        "and accept it."
                    )
                    % {"version": NDA_VERSION}
                }
            )
        profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        if permissions.has_current_agreement(profile):
            return profile
        before = snapshot(profile, ["nda_accepted_at", "nda_version"])
        profile.nda_accepted_at = now
        profile.nda_version = version
        profile.save(update_fields=["nda_accepted_at", "nda_version", "updated_at"])
        audit_record(
            actor=actor,
            obj=profile,
            action="expert.accept_agreement",
            before=before,
            after=snapshot(profile, ["nda_accepted_at", "nda_version"]),
        )
        if hasattr(actor, "_grappe_expert_profile"):
            del actor._grappe_expert_profile
    return profile


def expert_relationship_add(
    *,
    actor: Any,
    profile: ExpertProfile,
    organisation: Organisation | None,
    kind: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> ExpertRelationship:
    """Declare a tie with an organisation; assignments now in conflict end at once."""
    with transaction.atomic():
        require(
            permissions.can_edit_expert_profile(actor, profile),
            _("Only the expert or the cluster's staff may change this profile."),
        )
        errors = {}
        if organisation is None:
            errors["organisation"] = _("Choose the organisation.")
        if kind not in RelationshipKind.values:
            errors["kind"] = _("Choose a kind of relationship from the list.")
        if errors or organisation is None:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                relationship = ExpertRelationship.objects.create(
                    expert=profile, organisation=organisation, kind=kind, note=(note or "").strip()
                )
        except IntegrityError:
            raise ValidationError(
                {"organisation": _("This relationship is already declared.")}
            ) from None
        audit_record(actor=actor, obj=relationship, action="expert.relationship_add")
        withdraw_conflicted(actor=actor, expert=profile, now=now)
    return relationship


def expert_relationship_remove(*, actor: Any, relationship: ExpertRelationship) -> None:
    with transaction.atomic():
        require(
            permissions.can_edit_expert_profile(actor, relationship.expert),
            _("Only the expert or the cluster's staff may change this profile."),
        )
        audit_record(
            actor=actor,
            obj=relationship,
            action="expert.relationship_remove",
            before=snapshot(relationship),
            after={},
        )
        relationship.delete()


def conflict_declare(
    *, actor: Any, assignment: Assignment, reason: str, now: dt.datetime | None = None
) -> ConflictDeclaration:
    """The expert declares a conflict with a file they were invited to or accepted: the
    assignment is withdrawn at once, staff are told and a replacement is proposed."""
    reason = (reason or "").strip()
    with transaction.atomic():
        require(
            permissions.can_view_assignment(actor, assignment),
            _("Only the invited expert may declare a conflict with this file."),
        )
        if assignment.status not in (AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED):
            raise ValidationError({"status": _("You are no longer assigned to this file.")})
        if not reason:
            raise ValidationError({"reason": _("Describe the conflict, for the cluster's team.")})
        declaration, created = ConflictDeclaration.objects.get_or_create(
            request=assignment.request, expert=assignment.expert, defaults={"reason": reason[:300]}
        )
        if created:
            audit_record(actor=actor, obj=declaration, action="expert.declare_conflict")
        withdraw_conflicted(
            actor=actor, expert=assignment.expert, request=assignment.request, now=now
        )
    return declaration
