"""Reads the API needs beyond the members' selectors: who may see which person, and the
pieces of an organisation's profile, each gated as on the profile page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from grappe.core.permissions import is_staff
from grappe.directory.permissions import can_view_profile
from grappe.members.models import (
    Affiliation,
    Competence,
    Consent,
    ConsentChannel,
    CreditNote,
    Invoice,
    Membership,
    Organisation,
    OrganisationFigures,
    Person,
)
from grappe.members.permissions import can_view_members_directory, is_organisation_contact
from grappe.members.selectors import (
    active_membership_q,
    affiliation_current_q,
    organisation_is_member,
    user_organisations,
)


def _today() -> dt.date:
    return timezone.localdate()


def directory_consent(person: str = "pk") -> Subquery:
    """The latest decision on the directory channel of the person in the outer query's field
    `person` (None when never asked)."""
    latest = Consent.objects.filter(
        person=OuterRef(person), channel=ConsentChannel.DIRECTORY
    ).order_by("-at", "-id")
    return Subquery(latest.values("granted")[:1])


def _member_organisation_ids(on: dt.date) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(active_membership_q(on)).values("organisation")


def people_visible_to(viewer: Any) -> QuerySet[Person]:
    """Staff: everyone. Members: the people currently with a member organisation who said
    yes to the directory. Anyone else: nobody. Current affiliations come prefetched, in
    `current_affiliations` (for members, only those to member organisations)."""
    today = _today()
    affiliations = Affiliation.objects.filter(affiliation_current_q(today)).select_related(
        "organisation"
    )
    if is_staff(viewer):
        people = Person.objects.all()
    elif can_view_members_directory(viewer):
        member_ids = _member_organisation_ids(today)
        affiliations = affiliations.filter(organisation__in=member_ids)
        people = Person.objects.annotate(directory_consent=directory_consent()).filter(
            Exists(
                Affiliation.objects.filter(
                    affiliation_current_q(today),
                    person=OuterRef("pk"),
                    organisation__in=member_ids,
                )
            ),
            directory_consent=True,
        )
    else:
        return Person.objects.none()
    return people.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=affiliations.order_by("organisation__name"),
            to_attr="current_affiliations",
        )
    ).order_by("last_name", "first_name", "pk")


def people_filter(
    people: QuerySet[Person], *, viewer: Any, q: str = "", organisation: str = ""
) -> QuerySet[Person]:
    """Narrow a visible list by name (staff also by e-mail) and by current organisation."""
    for word in q.split():
        match = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        if is_staff(viewer):
            match |= Q(email__icontains=word)
        people = people.filter(match)
    if organisation:
        people = people.filter(
            Exists(
                Affiliation.objects.filter(
                    affiliation_current_q(_today()),
                    person=OuterRef("pk"),
                    organisation__slug=organisation,
                )
            )
        )
    return people


def organisation_for_viewer(slug: str, viewer: Any) -> tuple[Organisation, bool]:
    """The profile behind `slug` and whether it is a member, under the profile page's rule
    (member organisations for everyone, the others for staff only): 404 otherwise."""
    organisation = Organisation.objects.select_related("parent_group").filter(slug=slug).first()
    if organisation is None:
        raise Http404
    is_member = organisation_is_member(organisation)
    if not can_view_profile(viewer, is_member=is_member):
        raise Http404
    return organisation, is_member


def organisation_competences(organisation: Organisation) -> list[Competence]:
    return list(
        organisation.competences.filter(is_active=True).order_by("facet", "position", "code")
    )


def organisation_latest_figures(organisation: Organisation) -> OrganisationFigures | None:
    return organisation.figures.order_by("-year").first()


def organisation_listed_contacts(organisation: Organisation, viewer: Any) -> list[Affiliation]:
    """Current contacts; outside staff and the organisation itself, only those who agreed to
    be listed in the directory."""
    contacts = (
        organisation.affiliations.filter(affiliation_current_q(_today()))
        .select_related("person")
        .order_by("-is_admin", "person__last_name", "person__first_name")
    )
    if not (is_staff(viewer) or is_organisation_contact(viewer, organisation)):
        contacts = contacts.annotate(directory_consent=directory_consent("person")).filter(
            directory_consent=True
        )
    return list(contacts)


def _invoice_organisations(viewer: Any) -> QuerySet[Organisation] | None:
    """Whose invoices `viewer` may list (None: everyone's), the list form of
    can_view_invoice: staff, all; an organisation's administrators, their organisations'."""
    if is_staff(viewer):
        return None
    return user_organisations(viewer, admin_only=True)


def invoices_visible_to(viewer: Any) -> QuerySet[Invoice]:
    invoices = Invoice.objects.select_related("organisation", "membership", "credit_note")
    organisations = _invoice_organisations(viewer)
    if organisations is None:
        return invoices
    return invoices.filter(organisation__in=organisations)


def credit_notes_visible_to(viewer: Any) -> QuerySet[CreditNote]:
    """The credit notes of the invoices `viewer` may see: the same rule as invoices."""
    notes = CreditNote.objects.select_related("invoice__organisation", "invoice__membership")
    organisations = _invoice_organisations(viewer)
    if organisations is None:
        return notes
    return notes.filter(invoice__organisation__in=organisations)
