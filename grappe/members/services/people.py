"""Writes on people, their affiliations and their consents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import is_staff, require
from grappe.members import permissions
from grappe.members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    Consent,
    ConsentChannel,
    ConsentSource,
    Organisation,
    Person,
)
from grappe.members.selectors import affiliation_current_q, organisation_contacts, user_person

PERSON_FIELDS = ["first_name", "last_name", "email", "phone", "job_title", "language"]


def consent_record(
    *, person: Person, channel: str, granted: bool, source: str, at: dt.datetime | None = None
) -> Consent:
    """Keep the decision with its date and source; the latest per channel is in force."""
    if channel not in ConsentChannel.values:
        raise ValidationError({"channel": _("Unknown consent channel.")})
    return Consent.objects.create(
        person=person, channel=channel, granted=granted, source=source, at=at or timezone.now()
    )


def person_create_for_user(
    *, user: Any, first_name: str, last_name: str, language: str, newsletter: bool = False
) -> Person:
    """The person behind a new login (called at sign-up)."""
    with transaction.atomic():
        user.first_name, user.last_name, user.language = first_name, last_name, language
        user.save(update_fields=["first_name", "last_name", "language"])
        person = Person.objects.filter(user__isnull=True, email__iexact=user.email).first()
        if person is None:
            person = Person(email=user.email)
        person.first_name, person.last_name = first_name, last_name
        person.language, person.user = language, user
        person.full_clean()
        person.save()
        consent_record(
            person=person,
            channel=ConsentChannel.NEWSLETTER,
            granted=newsletter,
            source=ConsentSource.SIGNUP,
        )
        audit_record(actor=user, obj=person, action="person.signup")
    return person


def person_create(*, actor: Any, data: dict[str, Any]) -> Person:
    require(is_staff(actor) or bool(getattr(actor, "is_authenticated", False)))
    with transaction.atomic():
        person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
        person.full_clean()
        person.save()
        audit_record(actor=actor, obj=person, action="person.create")
    return person


def person_update(*, actor: Any, person: Person, data: dict[str, Any]) -> Person:
    own = getattr(actor, "is_authenticated", False) and person.user_id == actor.pk
    require(own or is_staff(actor))
    with transaction.atomic():
        before = snapshot(person)
        for field in PERSON_FIELDS:
            if field in data:
                setattr(person, field, data[field])
        person.full_clean()
        person.save()
        audit_record(actor=actor, obj=person, action="person.update", before=before)
    return person


def affiliation_create(
    *,
    actor: Any,
    person: Person,
    organisation: Organisation,
    role: str = AffiliationRole.OTHER,
    is_admin: bool = False,
    start: dt.date | None = None,
    check_permission: bool = True,
) -> Affiliation:
    """Staff or the organisation's administrators add a confirmed contact."""
    if check_permission:
        require(permissions.can_manage_contacts(actor, organisation))
    with transaction.atomic():
        affiliation = Affiliation(
            person=person,
            organisation=organisation,
            role=role,
            is_admin=is_admin,
            status=AffiliationStatus.CONFIRMED,
            start=start or timezone.localdate(),
        )
        affiliation.full_clean()
        affiliation.save()
        audit_record(actor=actor, obj=affiliation, action="affiliation.create")
    return affiliation


def affiliation_request(
    *, actor: Any, organisation: Organisation, role: str = AffiliationRole.OTHER
) -> Affiliation:
    """A registered person asks to join an existing organisation; its administrators confirm."""
    require(permissions.can_request_affiliation(actor, organisation))
    person = user_person(actor)
    if person is None:
        raise ValidationError(
            {"person": _("Complete your profile (first and last name) before asking to join.")}
        )
    if Affiliation.objects.filter(
        person=person, organisation=organisation, status=AffiliationStatus.PENDING
    ).exists():
        raise ValidationError({"organisation": _("You have already asked to join it.")})
    with transaction.atomic():
        affiliation = Affiliation.objects.create(
            person=person,
            organisation=organisation,
            role=role,
            status=AffiliationStatus.PENDING,
            start=timezone.localdate(),
        )
        audit_record(actor=actor, obj=affiliation, action="affiliation.request")
        for admin in organisation_contacts(organisation).filter(is_admin=True):
            mail_after_commit(
                to=[admin.person.email],
                template="affiliation_requested",
                context={"affiliation": affiliation, "admin": admin.person},
                language=admin.person.language,
            )
    return affiliation


def _affiliation_decide(
    *, actor: Any, affiliation: Affiliation, status: str, action: str
) -> Affiliation:
    require(permissions.can_decide_affiliation(actor, affiliation))
    if affiliation.status != AffiliationStatus.PENDING:
        raise ValidationError({"status": _("This request has already been answered.")})
    with transaction.atomic():
        before = snapshot(affiliation)
        affiliation.status = status
        affiliation.start = timezone.localdate()
        affiliation.save()
        audit_record(actor=actor, obj=affiliation, action=action, before=before)
        mail_after_commit(
            to=[affiliation.person.email],
            template=action.replace(".", "_"),
            context={"affiliation": affiliation},
            language=affiliation.person.language,
        )
    return affiliation


def affiliation_confirm(*, actor: Any, affiliation: Affiliation) -> Affiliation:
    return _affiliation_decide(
        actor=actor,
        affiliation=affiliation,
        status=AffiliationStatus.CONFIRMED,
        action="affiliation.confirm",
    )


def affiliation_refuse(*, actor: Any, affiliation: Affiliation) -> Affiliation:
    return _affiliation_decide(
        actor=actor,
        affiliation=affiliation,
        status=AffiliationStatus.REFUSED,
        action="affiliation.refuse",
    )


def affiliation_end(
    *, actor: Any, affiliation: Affiliation, end: dt.date | None = None
) -> Affiliation:
    require(permissions.can_manage_contacts(actor, affiliation.organisation))
    end = end or timezone.localdate()
    if affiliation.status != AffiliationStatus.CONFIRMED:
        raise ValidationError({"status": _("Only a confirmed affiliation can be ended.")})
    if end < affiliation.start:
        raise ValidationError({"end": _("The end date is before the start date.")})
    if affiliation.is_admin and not is_staff(actor):
        keep_one_admin(affiliation, after=end)
    with transaction.atomic():
        before = snapshot(affiliation)
        affiliation.end = end
        affiliation.save()
        audit_record(actor=actor, obj=affiliation, action="affiliation.end", before=before)
    return affiliation


def admins_staying(affiliation: Affiliation, after: dt.date) -> QuerySet[Affiliation]:
    """The organisation's other administrators, current today, who still act for it after
    `after`: an affiliation ending on that day is current until the evening, but its holder
    is leaving."""
    return (
        Affiliation.objects.filter(
            affiliation_current_q(timezone.localdate()),
            Q(end__isnull=True) | Q(end__gt=after),
            organisation_id=affiliation.organisation_id,
            is_admin=True,
        )
        .exclude(person_id=affiliation.person_id)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def keep_one_admin(
    affiliation: Affiliation, field: str = "end", after: dt.date | None = None
) -> None:
    """Members cannot remove their organisation's last administrator (staff can)."""
    if not admins_staying(affiliation, after or timezone.localdate()).exists():
        raise ValidationError({field: _("An organisation keeps at least one administrator.")})


def affiliation_set_admin(*, actor: Any, affiliation: Affiliation, is_admin: bool) -> Affiliation:
    require(permissions.can_manage_contacts(actor, affiliation.organisation))
    if is_admin and affiliation.status != AffiliationStatus.CONFIRMED:
        raise ValidationError({"is_admin": _("Only a confirmed contact can be an administrator.")})
    if affiliation.is_admin and not is_admin and not is_staff(actor):
        keep_one_admin(affiliation, field="is_admin")
    with transaction.atomic():
        before = snapshot(affiliation)
        affiliation.is_admin = is_admin
        affiliation.save()
        audit_record(actor=actor, obj=affiliation, action="affiliation.admin", before=before)
    return affiliation
