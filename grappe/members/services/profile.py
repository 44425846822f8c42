"""Writes behind the member-facing pages: one's own profile and consents, contacts added by an
organisation's administrators, a join request withdrawn by the person who made it, a contact
leaving their organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import is_authenticated, is_staff, require
from grappe.members import permissions
from grappe.members.models import (
    Affiliation,
    AffiliationRole,
    AffiliationStatus,
    Competence,
    ConsentChannel,
    ConsentSource,
    Facet,
    Organisation,
    Person,
)
from grappe.members.selectors import (
    affiliation_current_q,
    competences_current,
    user_person,
)
from grappe.members.services.people import (
    PERSON_FIELDS,
    admins_staying,
    affiliation_create,
    affiliation_end,
    consent_record,
    keep_one_admin,
    person_create,
    person_update,
)


def consents_in_force(person: Person | None) -> dict[str, bool | None]:
    """The latest decision per channel (None: never asked)."""
    current: dict[str, bool | None] = dict.fromkeys(ConsentChannel.values)
    if person is None or person.pk is None:
        return current
    for consent in person.consents.order_by("channel", "-at", "-id"):
        if current.get(consent.channel) is None:
            current[consent.channel] = consent.granted
    return current


# The facets a person tags themselves with (value chain and TRL describe organisations).
PERSON_FACETS = [Facet.TECHNOLOGY, Facet.MARKET]


def person_competence_choices() -> QuerySet[Competence]:
    """What a person may tick: active competences of the current taxonomy, in PERSON_FACETS."""
    return competences_current().filter(facet__in=PERSON_FACETS)


def my_profile_update(
    *,
    actor: Any,
    data: dict[str, Any],
    consents: dict[str, bool] | None = None,
    competences: list[Competence] | None = None,
) -> Person:
    """A person edits their own record, consents and competences; the login's name and
    language follow.

    `competences` replaces the person's choice among `person_competence_choices()`; tags
    outside it (a competence since deactivated) are kept. A login without a person (an account
    made with `createsuperuser`) gets one here."""
    require(is_authenticated(actor))
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    consents = consents or {}
    if set(consents) - set(ConsentChannel.values):
        raise ValidationError({"channel": _("Unknown consent channel.")})
    if competences is not None:
        offered = set(
            person_competence_choices()
            .filter(pk__in=[c.pk for c in competences])
            .values_list("pk", flat=True)
        )
        if any(c.pk not in offered for c in competences):
            raise ValidationError(
                {"competences": _("Choose technologies and markets of the current taxonomy.")}
            )
    with transaction.atomic():
        person = user_person(actor)
        if person is None:
            person = Person(
                user=actor,
                email=actor.email,
                first_name=data.get("first_name") or actor.first_name,
                last_name=data.get("last_name") or actor.last_name,
                language=str(data.get("language") or getattr(actor, "language", "fr")),
            )
            person.full_clean()
            person.save()
            audit_record(actor=actor, obj=person, action="person.create")
        person = person_update(actor=actor, person=person, data=data)
        if competences is not None:
            _set_competences(actor, person, competences)
        _sync_login(actor, person)
        current = consents_in_force(person)
        for channel, granted in consents.items():
            if current.get(channel) is not granted:
                consent_record(
                    person=person, channel=channel, granted=granted, source=ConsentSource.PROFILE
                )
    return person


def _set_competences(actor: Any, person: Person, competences: list[Competence]) -> None:
    offered = set(person_competence_choices().values_list("pk", flat=True))
    current = list(person.competences.all())
    kept = [c for c in current if c.pk not in offered]
    wanted = {c.pk: c for c in [*kept, *competences]}
    if set(wanted) == {c.pk for c in current}:
        return
    person.competences.set(list(wanted.values()))
    audit_record(
        actor=actor,
        obj=person,
        action="person.competences",
        before={"competences": sorted(c.code for c in current)},
        after={"competences": sorted(c.code for c in wanted.values())},
    )


def _sync_login(user: Any, person: Person) -> None:
    values = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "language": person.language,
    }
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    if changed:
        for field in changed:
            setattr(user, field, values[field])
        user.save(update_fields=changed)


def contact_add(
    *,
    actor: Any,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    role: str = AffiliationRole.OTHER,
    is_admin: bool = False,
) -> Affiliation:
    """An administrator adds a colleague: the person known under that e-mail address is reused,
    otherwise created; they are told by mail and may later sign up with that address."""
    require(permissions.can_manage_contacts(actor, organisation))
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Give the contact's e-mail address.")})
    if role not in AffiliationRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    person = (
        Person.objects.filter(email__iexact=email)
        .order_by(F("user_id").asc(nulls_last=True), "-pk")
        .first()
    )
    if person is not None and (
        Affiliation.objects.filter(person=person, organisation=organisation)
        .filter(affiliation_current_q(timezone.localdate()) | Q(status=AffiliationStatus.PENDING))
        .exists()
    ):
        raise ValidationError(
            {"email": _("%(email)s is already a contact of this organisation.") % {"email": email}}
        )
    with transaction.atomic():
        if person is None:
            person = person_create(
                actor=actor,
                data={
                    "first_name": first_name.strip(),
                    "last_name": last_name.strip(),
                    "email": email,
                    "job_title": job_title.strip(),
                    "language": getattr(actor, "language", "fr") or "fr",
                },
            )
        affiliation = affiliation_create(
            actor=actor, person=person, organisation=organisation, role=role, is_admin=is_admin
        )
        mail_after_commit(
            to=[person.email],
            template="contact_added",
            context={"affiliation": affiliation, "added_by": user_person(actor)},
            language=person.language,
        )
    return affiliation


def contact_end(*, actor: Any, affiliation: Affiliation) -> Affiliation:
    """End a contact's affiliation today; an administrator cannot leave their organisation
    without another administrator (staff can)."""
    require(permissions.can_manage_contacts(actor, affiliation.organisation))
    if affiliation.is_admin and not is_staff(actor):
        keep_one_admin(affiliation, field="is_admin")
    return affiliation_end(actor=actor, affiliation=affiliation)


def affiliation_withdraw(*, actor: Any, affiliation: Affiliation) -> None:
    """The person who asked to join an organisation takes the request back before an answer."""
    person = user_person(actor)
    require(person is not None and affiliation.person_id == person.pk)
    if affiliation.status != AffiliationStatus.PENDING:
        raise ValidationError({"status": _("This request has already been answered.")})
    with transaction.atomic():
        before = snapshot(affiliation)
        audit_record(
            actor=actor,
            obj=affiliation,
            action="affiliation.withdraw",
            before=before,
            after={"status": "withdrawn"},
        )
        affiliation.delete()


def affiliation_leave(*, actor: Any, affiliation: Affiliation) -> Affiliation:
    """A contact leaves their organisation: the affiliation ends today and the administrators
    who stay are told, each in their language. What was done for the organisation stays. Its
    last administrator names another one first (staff may still end the contact)."""
    with transaction.atomic():
        # Two administrators leaving at once must not each count on the other one staying.
        organisation = Organisation.objects.select_for_update().get(pk=affiliation.organisation_id)
        affiliation.refresh_from_db()
        require(permissions.can_leave_organisation(actor, affiliation))
        today = timezone.localdate()
        staying = list(admins_staying(affiliation, today))
        if affiliation.is_admin and not staying:
            raise ValidationError(
                {
                    "is_admin": _("Name another administrator of %(organisation)s before leaving.")
                    % {"organisation": organisation.name}
                }
            )
        before = snapshot(affiliation)
        affiliation.end = today
        affiliation.save()
        audit_record(actor=actor, obj=affiliation, action="affiliation.leave", before=before)
        for admin in staying:
            mail_after_commit(
                to=[admin.person.email],
                template="affiliation_left",
                context={"affiliation": affiliation, "admin": admin.person},
                language=admin.person.language,
            )
    return affiliation
