"""Who may see and do what with organisations, people, memberships and invoices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from grappe.core.permissions import is_authenticated, is_staff
from grappe.members.models import (
    VISIBILITY_RANK,
    Affiliation,
    AffiliationStatus,
    FieldPolicy,
    Invoice,
    Membership,
    Organisation,
    Visibility,
)

# Profile fields whose visibility an organisation chooses: (default, most open allowed).
# Staff can tighten or loosen these limits with FieldPolicy rows.
ORGANISATION_FIELDS: dict[str, tuple[str, str]] = {
    "address": (Visibility.PUBLIC, Visibility.PUBLIC),
    "identifiers": (Visibility.PUBLIC, Visibility.PUBLIC),
    "email": (Visibility.MEMBERS, Visibility.PUBLIC),
    "phone": (Visibility.MEMBERS, Visibility.PUBLIC),
    "contacts": (Visibility.MEMBERS, Visibility.PUBLIC),
    "headcount": (Visibility.MEMBERS, Visibility.PUBLIC),
    "turnover": (Visibility.STAFF, Visibility.MEMBERS),
    "founded_year": (Visibility.PUBLIC, Visibility.PUBLIC),
}


def field_limits() -> dict[str, tuple[str, str]]:
    limits = dict(ORGANISATION_FIELDS)
    for policy in FieldPolicy.objects.all():
        if policy.field in limits:
            limits[policy.field] = (policy.default, policy.most_open)
    return limits


def allowed_levels(field: str, limits: dict[str, tuple[str, str]] | None = None) -> list[str]:
    _default, most_open = (limits or field_limits())[field]
    return [v for v in Visibility.values if VISIBILITY_RANK[v] >= VISIBILITY_RANK[most_open]]


def effective_visibility(
    organisation: Organisation, limits: dict[str, tuple[str, str]] | None = None
) -> dict[str, str]:
    """Each configurable field's level: the organisation's choice when allowed, else default."""
    limits = limits or field_limits()
    result = {}
    for field, (default, most_open) in limits.items():
        chosen = (organisation.visibility or {}).get(field, default)
        if chosen not in VISIBILITY_RANK or VISIBILITY_RANK[chosen] < VISIBILITY_RANK[most_open]:
            chosen = default
        result[field] = chosen
    return result


def is_organisation_admin(user: Any, organisation: Organisation) -> bool:
    from grappe.members.selectors import user_organisations

    return is_authenticated(user) and (
        user_organisations(user, admin_only=True).filter(pk=organisation.pk).exists()
    )


def is_organisation_contact(user: Any, organisation: Organisation) -> bool:
    from grappe.members.selectors import user_organisations

    return is_authenticated(user) and user_organisations(user).filter(pk=organisation.pk).exists()


def viewer_level(user: Any, organisation: Organisation | None = None) -> str:
    """The widest visibility level `user` may read (on `organisation`'s profile)."""
    if is_staff(user):
        return Visibility.STAFF
    if organisation is not None and is_organisation_contact(user, organisation):
        return Visibility.STAFF  # an organisation sees all of its own profile
    return _base_level(user)


def _base_level(user: Any) -> str:
    from grappe.members.selectors import user_roles

    if is_staff(user):
        return Visibility.STAFF
    if user_roles(user).member:
        return Visibility.MEMBERS
    return Visibility.PUBLIC


def visible_fields_many(user: Any, organisations: Iterable[Organisation]) -> dict[int, set[str]]:
    """The profile fields `user` may read, for each organisation, with a fixed number of
    queries: the viewer's level, raised to staff on the viewer's own organisations."""
    from grappe.members.selectors import user_organisations

    organisations = list(organisations)
    if not organisations:
        return {}
    limits = field_limits()
    base = _base_level(user)
    own: set[int] = set()
    if is_authenticated(user) and base != Visibility.STAFF:
        own = set(user_organisations(user).values_list("pk", flat=True))
    result = {}
    for organisation in organisations:
        level = VISIBILITY_RANK[Visibility.STAFF if organisation.pk in own else base]
        result[organisation.pk] = {
            field
            for field, needed in effective_visibility(organisation, limits).items()
            if VISIBILITY_RANK[needed] <= level
        }
    return result


def visible_fields(user: Any, organisation: Organisation) -> set[str]:
    return visible_fields_many(user, [organisation])[organisation.pk]


def can_view_members_directory(user: Any) -> bool:
    """The richer directory (more fields and filters): members and staff."""
    from grappe.members.selectors import user_roles

    return is_staff(user) or user_roles(user).member


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return is_staff(user) or is_organisation_admin(user, organisation)


def can_override_college(user: Any) -> bool:
    return is_staff(user)


def can_declare_organisation(user: Any) -> bool:
    return is_authenticated(user)


def can_request_affiliation(user: Any, organisation: Organisation) -> bool:
    return is_authenticated(user) and not is_organisation_contact(user, organisation)


def can_decide_affiliation(user: Any, affiliation: Affiliation) -> bool:
    return is_staff(user) or is_organisation_admin(user, affiliation.organisation)


def can_manage_contacts(user: Any, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def can_leave_organisation(user: Any, affiliation: Affiliation) -> bool:
    """A person ends, themselves, their own confirmed affiliation while it is current: started,
    and not ended or ending later than today (an end today has already been decided)."""
    from grappe.members.selectors import user_person

    person = user_person(user)
    today = timezone.localdate()
    return (
        person is not None
        and affiliation.person_id == person.pk
        and affiliation.status == AffiliationStatus.CONFIRMED
        and affiliation.start <= today
        and (affiliation.end is None or affiliation.end > today)
    )


def can_apply_for_membership(user: Any, organisation: Organisation) -> bool:
    return is_staff(user) or is_organisation_admin(user, organisation)


def can_view_memberships(user: Any, organisation: Organisation) -> bool:
    return is_staff(user) or is_organisation_admin(user, organisation)


def can_decide_membership(user: Any, membership: Membership | None = None) -> bool:
    return is_staff(user)


def can_view_invoice(user: Any, invoice: Invoice) -> bool:
    return is_staff(user) or is_organisation_admin(user, invoice.organisation)


def can_mark_invoice_paid(user: Any, invoice: Invoice | None = None) -> bool:
    return is_staff(user)


def can_cancel_invoice(user: Any, invoice: Invoice | None = None) -> bool:
    return is_staff(user)


def can_view_people(user: Any) -> bool:
    return is_staff(user)


def can_import_export(user: Any) -> bool:
    return is_staff(user)


def can_edit_fee_schedule(user: Any) -> bool:
    return is_staff(user)


def can_edit_taxonomy(user: Any) -> bool:
    return is_staff(user)
