"""Who may see events and register, cancel, confirm or check in: one place decides, for the
pages, the API, the templates and the services alike."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from grappe.core.permissions import is_authenticated, is_staff
from grappe.events.models import Event, EventStatus, EventVisibility, Registration
from grappe.members.models import Affiliation, Organisation, Person
from grappe.members.selectors import affiliation_current_q, user_organisations, user_roles


def can_view_event(user: Any, event: Event) -> bool:
    """Drafts: staff only. Members-only events: members and staff. Published and cancelled
    public events: everyone."""
    if is_staff(user):
        return True
    if event.status == EventStatus.DRAFT:
        return False
    if event.visibility == EventVisibility.MEMBERS:
        return user_roles(user).member
    return True


def can_see_members_events(user: Any) -> bool:
    """Whether members-only events are listed to this viewer."""
    return is_staff(user) or user_roles(user).member


def can_register(user: Any, event: Event) -> bool:
    """Register for an event: a logged-in person who may see it. Whether registration is
    open (published, in its window, not cancelled) is the service's to say, with a reason."""
    return is_authenticated(user) and can_view_event(user, event)


def can_register_person(
    user: Any, event: Event, person: Person, organisation: Organisation | None
) -> bool:
    """Oneself; a colleague who is a current contact of the same organisation as the user;
    anyone for staff."""
    if not can_register(user, event):
        return False
    if is_staff(user) or (person.user_id is not None and person.user_id == user.pk):
        return True
    if organisation is None:
        return False
    mine = user_organisations(user).filter(pk=organisation.pk).exists()
    theirs = Affiliation.objects.filter(
        affiliation_current_q(timezone.localdate()), person=person, organisation=organisation
    ).exists()
    return mine and theirs


def can_add_colleague(user: Any, organisation: Organisation) -> bool:
    """Register a new colleague (creating the person): the organisation's administrators."""
    return is_staff(user) or (
        is_authenticated(user)
        and user_organisations(user, admin_only=True).filter(pk=organisation.pk).exists()
    )


def _own(user: Any, registration: Registration) -> bool:
    """The registrant, or whoever registered them."""
    if not is_authenticated(user):
        return False
    person_user = registration.person.user_id
    return (person_user is not None and person_user == user.pk) or (
        registration.registered_by_id is not None and registration.registered_by_id == user.pk
    )


def can_view_registration(user: Any, registration: Registration) -> bool:
    """The ticket page: the registrant, who registered them, staff."""
    return is_staff(user) or _own(user, registration)


def can_cancel_registration(user: Any, registration: Registration) -> bool:
    """The registrant or who registered them (until the deadline: the service checks it),
    staff at any time."""
    return is_staff(user) or _own(user, registration)


def can_answer_offer(user: Any, registration: Registration) -> bool:
    """Confirm or decline a seat offered from the waitlist."""
    return is_staff(user) or _own(user, registration)


def can_manage_registrations(user: Any, event: Event | None = None) -> bool:
    """Staff see the attendee list and cancel anyone at any time."""
    return is_staff(user)


def can_check_in(user: Any, event: Event | None = None) -> bool:
    return is_staff(user)


def can_cancel_event(user: Any, event: Event | None = None) -> bool:
    return is_staff(user)


# --- staff, fairs and missions (e2) ---
# (e1 overwrote this file by accident while e2 was creating it; this function is put back as
# e2's services call it. e2 owns everything below the line above.)


def can_manage_events(user: Any, event: Event | None = None) -> bool:
    """Create, edit and publish events, their price lists and questions: staff."""
    return is_staff(user)


def can_manage_attendees(user: Any, event: Event | None = None) -> bool:
    """See the attendee list, export it, register or cancel someone, print badges."""
    return is_staff(user)


def can_mail_attendees(user: Any, event: Event | None = None) -> bool:
    return is_staff(user)


def can_view_event_statistics(user: Any) -> bool:
    return is_staff(user)


def can_decide_exhibitors(user: Any, pavilion: Any = None) -> bool:
    """Edit the pavilion and its booths, allocate booths and refuse applications."""
    return is_staff(user)


def can_decide_mission(user: Any, mission: Any = None) -> bool:
    """Edit the call for participants and select the delegation."""
    return is_staff(user)


def can_apply_for_organisation(user: Any, organisation: Organisation) -> bool:
    """A current contact of the organisation applies for a booth or a trade mission in its
    name. Member or not: the cluster's activities are open to all on published terms."""
    return is_authenticated(user) and user_organisations(user).filter(pk=organisation.pk).exists()


def _applicant_or_admin(user: Any, person: Person, organisation: Organisation) -> bool:
    if not is_authenticated(user):
        return False
    return person.user_id == user.pk or (
        user_organisations(user, admin_only=True).filter(pk=organisation.pk).exists()
    )


def can_withdraw_exhibitor_application(user: Any, application: Any) -> bool:
    """The applicant, or an administrator of the applying organisation."""
    return _applicant_or_admin(user, application.applicant, application.organisation)


def can_withdraw_mission_application(user: Any, application: Any) -> bool:
    """The participant named in the application, or an administrator of the organisation."""
    return _applicant_or_admin(user, application.person, application.organisation)
