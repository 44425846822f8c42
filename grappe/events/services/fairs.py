"""Trade fairs: the cluster's shared pavilion, its booths and the exhibitors' applications.

An application is submitted by a contact of an organisation, member or not (the cluster's
activities are open to all on the same published terms, as the EU rules on cluster aid ask);
staff allocate it a booth or refuse it with a reason; the applicant may withdraw it. A booth
holds one exhibitor at a time (a database constraint says so). Mails go in the applicant's
language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record, snapshot
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import (
    Booth,
    Event,
    EventKind,
    EventStatus,
    ExhibitorApplication,
    ExhibitorStatus,
    Pavilion,
)
from grappe.events.services.events import _add, _clean, _raise
from grappe.members.models import Organisation
from grappe.members.selectors import user_person

X = ExhibitorStatus
OPEN = (X.SUBMITTED, X.ALLOCATED)
PAVILION_FIELDS = [
    "name", "hall", "total_area_m2", "application_deadline", "cluster_share", "terms_fr",
    "terms_en",
]  # fmt: skip
BOOTH_FIELDS = ["label", "area_m2", "pricing", "unit_price", "cluster_share", "corner"]
PRICE_FIELDS_OF_BOOTH = {"area_m2", "pricing", "unit_price", "cluster_share"}
APPLICATION_FIELDS = ["wanted_area_m2", "products", "message"]


def _state_error(message: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [message]})


def _mail_applicant(application: ExhibitorApplication, template: str) -> None:
    person = application.applicant
    mail_after_commit(
        to=[person.email],
        template=f"events_exhibitor_{template}",
        context={"application": application, "event": application.pavilion.event},
        language=person.language,
    )


def _mail_staff(application: ExhibitorApplication, what: str) -> None:
    for user in get_user_model().objects.filter(is_staff=True, is_active=True):
        mail_after_commit(
            to=[user.email],
            template="events_exhibitor_staff",
            context={"application": application, "event": application.pavilion.event, "what": what},
            language=getattr(user, "language", "fr") or "fr",
        )


# --- Pavilion and booths --------------------------------------------------------------------


def _area(value: Decimal) -> str:
    """An area as people write it: 18, 7.5 (SQLite and PostgreSQL sum it differently)."""
    return str(floatformat(value, "-2"))


def _booths_area(pavilion: Pavilion, exclude_pk: int | None = None) -> Decimal:
    booths = Booth.objects.filter(pavilion=pavilion)
    if exclude_pk is not None:
        booths = booths.exclude(pk=exclude_pk)
    total = booths.aggregate(total=Sum("area_m2"))["total"]
    return Decimal(str(total or 0))


def pavilion_save(*, actor: Any, event: Event, data: dict[str, Any]) -> Pavilion:
    """Describe the fair's shared pavilion (created the first time)."""
    require(permissions.can_decide_exhibitors(actor))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.kind != EventKind.TRADE_FAIR:
            raise _state_error(_("Only a trade fair has a pavilion."))
        if event.status == EventStatus.CANCELLED:
            raise _state_error(_("This event was cancelled; it cannot change."))
        pavilion = Pavilion.objects.filter(event=event).first() or Pavilion(event=event)
        created = pavilion.pk is None
        before = {} if created else snapshot(pavilion)
        for field in PAVILION_FIELDS:
            if field in data:
                setattr(pavilion, field, data[field])
        errors: dict[str, list[str]] = {}
        if pavilion.application_deadline and pavilion.application_deadline > event.starts_at:
            _add(errors, "application_deadline", _("Applications must close before the fair."))
        if not created and pavilion.total_area_m2 is not None:
            used = _booths_area(pavilion)
            if used > pavilion.total_area_m2:
                _add(
                    errors,
                    "total_area_m2",
                    _("The booths already take %(area)s m².") % {"area": _area(used)},
                )
        _clean(pavilion, errors, exclude=["event"])
        pavilion.save()
        action = "pavilion.create" if created else "pavilion.update"
        audit_record(actor=actor, obj=pavilion, action=action, before=before)
    return pavilion


def _allocated_to(booth: Booth) -> ExhibitorApplication | None:
    if booth.pk is None:
        return None
    return (
        ExhibitorApplication.objects.filter(booth=booth, status=X.ALLOCATED)
        .select_related("organisation")
        .first()
    )


def _save_booth(booth: Booth, data: dict[str, Any], before: dict[str, Any]) -> None:
    for field in BOOTH_FIELDS:
        if field in data:
            setattr(booth, field, data[field])
    errors: dict[str, list[str]] = {}
    pavilion = booth.pavilion
    if Booth.objects.filter(pavilion=pavilion, label=booth.label).exclude(pk=booth.pk).exists():
        _add(errors, "label", _("The pavilion already has a booth with this name."))
    if pavilion.total_area_m2 is not None and booth.area_m2 is not None:
        free = pavilion.total_area_m2 - _booths_area(pavilion, exclude_pk=booth.pk)
        if booth.area_m2 > free:
            _add(
                errors,
                "area_m2",
                _("Only %(free)s m² of the pavilion are left.") % {"free": _area(free)},
            )
    holder = _allocated_to(booth)
    if holder is not None:
        after = snapshot(booth, PRICE_FIELDS_OF_BOOTH)
        for field in sorted(f for f in PRICE_FIELDS_OF_BOOTH if after[f] != before.get(f)):
            _add(
                errors,
                field,
                _("The booth is allocated to %(organisation)s: its size and price stay.")
                % {"organisation": holder.organisation},
            )
    _clean(booth, errors, exclude=["pavilion"])
    booth.save()


def booth_create(*, actor: Any, pavilion: Pavilion, data: dict[str, Any]) -> Booth:
    require(permissions.can_decide_exhibitors(actor, pavilion))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=pavilion.event_id)
        booth = Booth(pavilion=pavilion)
        _save_booth(booth, data, {})
        audit_record(actor=actor, obj=booth, action="booth.create")
    return booth


def booth_update(*, actor: Any, booth: Booth, data: dict[str, Any]) -> Booth:
    """Change a booth; the size and price of an allocated booth stay (the exhibitor was told)."""
    require(permissions.can_decide_exhibitors(actor, booth.pavilion))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=booth.pavilion.event_id)
        booth = Booth.objects.select_related("pavilion").get(pk=booth.pk)
        before = snapshot(booth)
        _save_booth(booth, data, before)
        audit_record(actor=actor, obj=booth, action="booth.update", before=before)
    return booth


def booth_delete(*, actor: Any, booth: Booth) -> None:
    require(permissions.can_decide_exhibitors(actor, booth.pavilion))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=booth.pavilion.event_id)
        if ExhibitorApplication.objects.filter(booth=booth).exists():
            raise _state_error(_("The booth is allocated: it cannot be removed."))
        audit_record(actor=actor, obj=booth, action="booth.delete", after={})
        booth.delete()


# --- Applications ---------------------------------------------------------------------------


def applications_open(pavilion: Pavilion, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    event = pavilion.event
    return (
        event.status == EventStatus.PUBLISHED
        and event.starts_at > now
        and (pavilion.application_deadline is None or pavilion.application_deadline > now)
    )


def exhibitor_apply(
    *,
    actor: Any,
    pavilion: Pavilion,
    organisation: Organisation,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> ExhibitorApplication:
    """A contact of `organisation` applies for a booth on the pavilion's published terms."""
    require(permissions.can_apply_for_organisation(actor, organisation))
    person = user_person(actor)
    require(person is not None)
    with transaction.atomic():
        pavilion = Pavilion.objects.select_related("event").select_for_update().get(pk=pavilion.pk)
        if not applications_open(pavilion, now):
            raise _state_error(_("Applications for this pavilion are closed."))
        errors: dict[str, list[str]] = {}
        if ExhibitorApplication.objects.filter(
            pavilion=pavilion, organisation=organisation, status__in=OPEN
        ).exists():
            _add(errors, "organisation", _("This organisation has already applied."))
        area = data.get("wanted_area_m2")
        if area is not None and area <= 0:
            _add(errors, "wanted_area_m2", _("Give an area above zero, or leave it empty."))
        application = ExhibitorApplication(
            pavilion=pavilion, organisation=organisation, applicant=person
        )
        for field in APPLICATION_FIELDS:
            if field in data:
                setattr(application, field, data[field])
        if not (application.products or "").strip():
            _add(errors, "products", _("Say what you will show on the booth."))
        _clean(application, errors, exclude=["pavilion", "organisation", "applicant", "booth"])
        application.save()
        audit_record(actor=actor, obj=application, action="exhibitor.apply")
        _mail_applicant(application, "received")
        _mail_staff(application, "applied")
    return application


def _locked_application(application: ExhibitorApplication) -> ExhibitorApplication:
    return (
        ExhibitorApplication.objects.select_for_update(of=("self",))
        .select_related("pavilion__event", "organisation", "applicant", "booth")
        .get(pk=application.pk)
    )


def exhibitor_allocate(
    *, actor: Any, application: ExhibitorApplication, booth: Booth, now: dt.datetime | None = None
) -> ExhibitorApplication:
    """Give the applicant a booth (or move an exhibitor to another one); they are told."""
    require(permissions.can_decide_exhibitors(actor, application.pavilion))
    with transaction.atomic():
        application = _locked_application(application)
        if application.status not in OPEN:
            raise _state_error(_("Only a submitted application gets a booth."))
        errors: dict[str, list[str]] = {}
        if booth.pavilion_id != application.pavilion_id:
            _add(errors, "booth", _("Choose a booth of this pavilion."))
        else:
            holder = _allocated_to(booth)
            if holder is not None and holder.pk != application.pk:
                _add(
                    errors,
                    "booth",
                    _("Booth %(booth)s is already allocated to %(organisation)s.")
                    % {"booth": booth.label, "organisation": holder.organisation},
                )
        _raise(errors)
        before = snapshot(application)
        application.status, application.booth = X.ALLOCATED, booth
        application.decided_at, application.decided_by = now or timezone.now(), actor
        application.decision_reason = ""
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as error:  # another allocation of the same booth won the race
            raise ValidationError(
                {"booth": [_("Booth %(booth)s was just allocated.") % {"booth": booth.label}]}
            ) from error
        audit_record(actor=actor, obj=application, action="exhibitor.allocate", before=before)
        application.booth = Booth.objects.select_related("pavilion").get(pk=booth.pk)
        _mail_applicant(application, "allocated")
    return application


def exhibitor_refuse(
    *, actor: Any, application: ExhibitorApplication, reason: str, now: dt.datetime | None = None
) -> ExhibitorApplication:
    """Refuse an application (freeing its booth if it had one); the reason is sent."""
    require(permissions.can_decide_exhibitors(actor, application.pavilion))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason: it is sent to the applicant.")]})
    with transaction.atomic():
        application = _locked_application(application)
        if application.status not in OPEN:
            raise _state_error(_("This application is no longer open."))
        before = snapshot(application)
        application.status, application.booth = X.REFUSED, None
        application.decided_at, application.decided_by = now or timezone.now(), actor
        application.decision_reason = reason
        application.save()
        audit_record(actor=actor, obj=application, action="exhibitor.refuse", before=before)
        _mail_applicant(application, "refused")
    return application


def exhibitor_withdraw(
    *, actor: Any, application: ExhibitorApplication, now: dt.datetime | None = None
) -> ExhibitorApplication:
    """The applicant withdraws before the fair; the booth is freed and staff are told."""
    require(permissions.can_withdraw_exhibitor_application(actor, application))
    now = now or timezone.now()
    with transaction.atomic():
        application = _locked_application(application)
        if application.status not in OPEN:
            raise _state_error(_("This application is no longer open."))
        if application.pavilion.event.starts_at <= now:
            raise _state_error(_("The fair has started: ask the cluster's team."))
        before = snapshot(application)
        application.status, application.booth = X.WITHDRAWN, None
        application.save()
        audit_record(actor=actor, obj=application, action="exhibitor.withdraw", before=before)
        _mail_applicant(application, "withdrawn")
        _mail_staff(application, "withdrawn")
    return application
