"""Staff write to an event's registrants: one mail to each person, in their language, recorded."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record
from grappe.core.mail import mail_after_commit
from grappe.core.permissions import require
from grappe.events import permissions
from grappe.events.models import ACTIVE, Event, EventMailing, Registration, RegistrationStatus

S = RegistrationStatus
AUDIENCES: dict[str, Q] = {
    "confirmed": Q(status=S.CONFIRMED),
    # A person offered a freed seat is still waiting for it.
    "waitlisted": Q(status__in=[S.WAITLISTED, S.OFFERED]),
    "all": Q(status__in=ACTIVE),
    "checked_in": Q(checked_in_at__isnull=False),
}


def mailing_audience(event: Event, audience: str) -> QuerySet[Registration]:
    """The registrations a mail to `audience` goes to (those with an e-mail address)."""
    return (
        Registration.objects.filter(AUDIENCES[audience], event=event)
        .exclude(person__email="")
        .select_related("person")
        .order_by("pk")
    )


def mailing_send(
    *, actor: Any, event: Event, subject: str, body: str, audience: str
) -> EventMailing:
    """Send the message to each person of the audience separately (nobody sees the others'
    addresses) and keep it, with the number of recipients."""
    require(permissions.can_mail_attendees(actor, event))
    subject, body = (subject or "").strip(), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if audience not in AUDIENCES:
        errors["audience"] = [_("Choose who receives the mail.")]
    if not subject:
        errors["subject"] = [_("Give the mail a subject.")]
    elif len(subject) > 200:
        errors["subject"] = [_("The subject is limited to 200 characters.")]
    if not body:
        errors["body"] = [_("Write the message.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        registrations = list(mailing_audience(event, audience))
        seen: set[str] = set()
        recipients = []
        for registration in registrations:
            email = registration.person.email.lower()
            if email not in seen:
                seen.add(email)
                recipients.append(registration)
        if not recipients:
            raise ValidationError(
                {"audience": [_("Nobody in this audience has an e-mail address.")]}
            )
        mailing = EventMailing.objects.create(
            event=event,
            subject=subject,
            body=body,
            audience=audience,
            recipients=len(recipients),
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(actor=actor, obj=mailing, action="event.mailing")
        for registration in recipients:
            mail_after_commit(
                to=[registration.person.email],
                template="events_mailing",
                context={"event": event, "mailing": mailing, "person": registration.person},
                language=registration.language or registration.person.language,
            )
    return mailing
