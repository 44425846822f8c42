"""Trade missions: the call for participants, applications, the selection of the delegation.

A contact of an organisation (member or not: the call is published and open to all on the
same terms) applies with a motivation, target markets and customers, and products. Staff
select, put on the reserve list or do not select, with a reason sent to the applicant; no
more are selected than the call's places. At selection the cost share is frozen on the
application (full cost, co-funded part), so later edits of the call do not change it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import (
    Event,
    EventKind,
    EventStatus,
    Mission,
    MissionApplication,
    MissionApplicationStatus,
)
from grappe.events.services.events import _add, _clean, _raise
from grappe.members.models import Competence, Facet, Organisation
from grappe.members.selectors import user_person

M = MissionApplicationStatus
OPEN = (M.SUBMITTED, M.SELECTED, M.RESERVE)
MISSION_FIELDS = [
    "call_fr", "call_en", "application_deadline", "places", "cost_per_participant",
    "cofunded_share", "cofunder", "selection_criteria_fr", "selection_criteria_en",
]  # fmt: skip
APPLICATION_FIELDS = ["motivation", "target_markets", "products"]
# The selection as data: from each status, the decisions staff may take.
TRANSITIONS: dict[str, set[str]] = {
    M.SUBMITTED: {M.SELECTED, M.RESERVE, M.REFUSED},
    M.RESERVE: {M.SELECTED, M.REFUSED},
    M.SELECTED: {M.RESERVE, M.REFUSED},
    M.REFUSED: set(),
    M.WITHDRAWN: set(),
}


def _state_error(message: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [message]})


def _mail_applicant(application: MissionApplication, template: str) -> None:
    person = application.person
    mail_after_commit(
        to=[person.email],
        template=f"events_mission_{template}",
        context={"application": application, "mission": application.mission,
                 "event": application.mission.event},
        language=person.language,
    )  # fmt: skip


def _mail_staff(application: MissionApplication, what: str) -> None:
    for user in get_user_model().objects.filter(is_staff=True, is_active=True):
        mail_after_commit(
            to=[user.email],
            template="events_mission_staff",
            context={"application": application, "event": application.mission.event,
                     "what": what},
            language=getattr(user, "language", "fr") or "fr",
        )  # fmt: skip


def selected_count(mission: Mission, exclude_pk: int | None = None) -> int:
    selected = mission.applications.filter(status=M.SELECTED)
    if exclude_pk is not None:
        selected = selected.exclude(pk=exclude_pk)
    return selected.count()


def mission_save(*, actor: Any, event: Event, data: dict[str, Any]) -> Mission:
    """Write the call for participants of a trade mission (created the first time)."""
    require(permissions.can_decide_mission(actor))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.kind != EventKind.TRADE_MISSION:
            raise _state_error(_("Only a trade mission has a call for participants."))
        if event.status == EventStatus.CANCELLED:
            raise _state_error(_("This event was cancelled; it cannot change."))
        mission = Mission.objects.filter(event=event).first() or Mission(event=event)
        created = mission.pk is None
        before = {} if created else snapshot(mission)
        for field in MISSION_FIELDS:
            if field in data:
                setattr(mission, field, data[field])
        errors: dict[str, list[str]] = {}
        if not (mission.call_fr or "").strip():
            _add(errors, "call_fr", _("Write the call in French."))
        deadline = mission.application_deadline
        if deadline and deadline > event.starts_at:
            _add(errors, "application_deadline", _("Applications must close before departure."))
        if mission.places is not None and mission.places < 1:
            _add(errors, "places", _("Offer at least one place."))
        elif not created and mission.places is not None:
            taken = selected_count(mission)
            if taken > mission.places:
                _add(
                    errors,
                    "places",
                    _("%(count)s participants are already selected.") % {"count": taken},
                )
        markets = data.get("target_markets")
        if markets is not None:
            ids = {c.pk for c in markets}
            valid = Competence.objects.filter(
                pk__in=ids, version__is_current=True, is_active=True, facet=Facet.MARKET
            ).count()
            if valid != len(ids):
                _add(errors, "target_markets", _("Choose markets of the current taxonomy."))
        _clean(mission, errors, exclude=["event"])
        mission.save()
        if markets is not None:
            mission.target_markets.set(markets)
        action = "mission.create" if created else "mission.update"
        audit_record(actor=actor, obj=mission, action=action, before=before)
    return mission


def applications_open(mission: Mission, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        mission.event.status == EventStatus.PUBLISHED
        and mission.event.starts_at > now
        and mission.application_deadline > now
    )


def mission_apply(
    *,
    actor: Any,
    mission: Mission,
    organisation: Organisation,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> MissionApplication:
    """A contact of `organisation` applies to take part in the mission (themselves)."""
    require(permissions.can_apply_for_organisation(actor, organisation))
    person = user_person(actor)
    require(person is not None)
    with transaction.atomic():
        mission = Mission.objects.select_related("event").select_for_update().get(pk=mission.pk)
        if not applications_open(mission, now):
            raise _state_error(_("Applications for this mission are closed."))
        errors: dict[str, list[str]] = {}
        if mission.applications.filter(organisation=organisation, status__in=OPEN).exists():
            _add(errors, "organisation", _("This organisation has already applied."))
        application = MissionApplication(mission=mission, organisation=organisation, person=person)
        for field in APPLICATION_FIELDS:
            value = (data.get(field) or "").strip()
            setattr(application, field, value)
            if not value:
                _add(errors, field, _("This field is required."))
        _clean(application, errors, exclude=["mission", "organisation", "person"])
        application.save()
        audit_record(actor=actor, obj=application, action="mission.apply")
        _mail_applicant(application, "received")
        _mail_staff(application, "applied")
    return application


def _locked(application: MissionApplication) -> MissionApplication:
    return (
        MissionApplication.objects.select_for_update(of=("self",))
        .select_related("mission__event", "organisation", "person")
        .get(pk=application.pk)
    )


def mission_decide(
    *,
    actor: Any,
    application: MissionApplication,
    decision: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> MissionApplication:
    """Select, put on the reserve list or not select; the applicant is told why."""
    require(permissions.can_decide_mission(actor, application.mission))
    reason = (reason or "").strip()
    with transaction.atomic():
        # The mission's row lock makes concurrent selections count the places one at a time.
        mission = Mission.objects.select_for_update().get(pk=application.mission_id)
        application = _locked(application)
        if decision not in TRANSITIONS[application.status]:
            raise ValidationError(
                {"decision": [
                    _("An application cannot go from “%(from)s” to “%(to)s”.")
                    % {"from": application.get_status_display(), "to": M(decision).label}
                    if decision in M.values else _("Choose a decision.")
                ]}
            )  # fmt: skip
        errors: dict[str, list[str]] = {}
        if decision != M.SELECTED and not reason:
            _add(errors, "reason", _("Give the reason: it is sent to the applicant."))
        if decision == M.SELECTED and selected_count(mission, application.pk) >= mission.places:
            _add(
                errors,
                "decision",
                _("The %(places)s places are taken: put the application on the reserve list.")
                % {"places": mission.places},
            )
        _raise(errors)
        before = snapshot(application)
        application.status, application.decision_reason = decision, reason
        application.decided_at, application.decided_by = now or timezone.now(), actor
        if decision == M.SELECTED:
            application.cost = mission.cost_per_participant
            application.cofunded = mission.cofunded_part
        else:
            application.cost = application.cofunded = None
        application.save()
        audit_record(actor=actor, obj=application, action=f"mission.{decision}", before=before)
        _mail_applicant(application, decision)
    return application


def mission_withdraw(
    *, actor: Any, application: MissionApplication, now: dt.datetime | None = None
) -> MissionApplication:
    """The applicant withdraws before departure; a selected one frees a place."""
    require(permissions.can_withdraw_mission_application(actor, application))
    now = now or timezone.now()
    with transaction.atomic():
        application = _locked(application)
        if application.status not in OPEN:
            raise _state_error(_("This application is no longer open."))
        if application.mission.event.starts_at <= now:
            raise _state_error(_("The mission has started: ask the cluster's team."))
        before = snapshot(application)
        was_selected = application.status == M.SELECTED
        application.status = M.WITHDRAWN
        application.cost = application.cofunded = None
        application.save()
        audit_record(actor=actor, obj=application, action="mission.withdraw", before=before)
        _mail_applicant(application, "withdrawn")
        _mail_staff(application, "withdrawn_selected" if was_selected else "withdrawn")
    return application
