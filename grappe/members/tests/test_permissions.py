"""Who may do what with organisations, people, memberships and invoices: one table per rule,
one column per kind of person."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from grappe.members import permissions as p
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    FieldPolicy,
    Invoice,
    Membership,
    Visibility,
)
from grappe.members.tests.factories import AffiliationFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "registered", "member", "org_admin", "other_member", "expert", "staff"]


@pytest.fixture
def people(member, org_admin, other_member, registered, expert, staff):
    """Everyone at once; `member` and `org_admin` belong to the same member organisation."""
    return {
        "visitor": AnonymousUser(), "registered": registered, "member": member,
        "org_admin": org_admin, "other_member": other_member, "expert": expert, "staff": staff,
    }  # fmt: skip


@pytest.fixture
def invoice(member_org):
    membership = Membership.objects.get(organisation=member_org)
    return Invoice.objects.create(
        number="2026-00001", membership=membership, organisation=member_org,
        issued_on="2026-01-10", due_on="2026-02-10", label="2026|12|",
        amount_net=Decimal("1100.00"), vat_rate=Decimal("20.00"), vat_amount=Decimal("220.00"),
        amount_gross=Decimal("1320.00"),
    )  # fmt: skip


def _row(*allowed: str) -> dict[str, bool]:
    return {role: role in allowed for role in ROLES}


ANYONE_LOGGED_IN = ("registered", "member", "org_admin", "other_member", "expert", "staff")
MEMBERS = ("member", "org_admin", "other_member", "staff")

# Rules that take the member organisation (or nothing): (rule, expected per role).
ORGANISATION_RULES = [
    (p.can_edit_organisation, _row("org_admin", "staff")),
    (p.can_manage_contacts, _row("org_admin", "staff")),
    (p.can_apply_for_membership, _row("org_admin", "staff")),
    (p.can_view_memberships, _row("org_admin", "staff")),
    (p.can_request_affiliation, _row("registered", "other_member", "expert", "staff")),
    (p.is_organisation_admin, _row("org_admin")),
    (p.is_organisation_contact, _row("member", "org_admin")),
]
GLOBAL_RULES = [
    (p.can_view_members_directory, _row(*MEMBERS)),
    (p.can_override_college, _row("staff")),
    (p.can_declare_organisation, _row(*ANYONE_LOGGED_IN)),
    (p.can_decide_membership, _row("staff")),
    (p.can_mark_invoice_paid, _row("staff")),
    (p.can_view_people, _row("staff")),
    (p.can_import_export, _row("staff")),
    (p.can_edit_fee_schedule, _row("staff")),
]


@pytest.mark.parametrize(
    ("rule", "expected"), ORGANISATION_RULES, ids=lambda v: getattr(v, "__name__", "")
)
def test_rules_on_an_organisation(people, member_org, rule, expected):
    assert {role: rule(user, member_org) for role, user in people.items()} == expected


@pytest.mark.parametrize(
    ("rule", "expected"), GLOBAL_RULES, ids=lambda v: getattr(v, "__name__", "")
)
def test_rules_without_an_object(people, rule, expected):
    assert {role: rule(user) for role, user in people.items()} == expected


def test_who_answers_a_request_to_join(people, member_org):
    affiliation = AffiliationFactory(organisation=member_org, status=AffiliationStatus.PENDING)
    allowed = {role: p.can_decide_affiliation(user, affiliation) for role, user in people.items()}
    assert allowed == _row("org_admin", "staff")


def test_who_sees_an_invoice(people, invoice):
    allowed = {role: p.can_view_invoice(user, invoice) for role, user in people.items()}
    assert allowed == _row("org_admin", "staff")


def test_an_inactive_staff_login_has_no_rights(staff, member_org):
    staff.is_active = False
    assert p.can_edit_organisation(staff, member_org) is False
    assert p.can_decide_membership(staff) is False
    assert p.viewer_level(staff) == Visibility.PUBLIC


def test_an_organisations_former_contact_loses_its_rights(member_org, org_admin):
    Affiliation.objects.filter(person__user=org_admin).update(
        end=timezone.localdate() - dt.timedelta(days=1)
    )
    assert p.can_edit_organisation(org_admin, member_org) is False


def test_viewer_levels(people, member_org):
    levels = {role: p.viewer_level(user, member_org) for role, user in people.items()}
    assert levels == {
        "visitor": "public", "registered": "public", "member": "staff", "org_admin": "staff",
        "other_member": "members", "expert": "public", "staff": "staff",
    }  # fmt: skip


def test_visible_fields_follow_the_organisations_choices(people, member_org):
    # given an organisation showing its e-mail to everyone and its turnover to members
    member_org.visibility = {"email": "public", "turnover": "members", "phone": "staff"}
    member_org.save()
    visible = {role: p.visible_fields(user, member_org) for role, user in people.items()}
    public = {"address", "identifiers", "email", "founded_year"}
    assert visible["visitor"] == public
    assert visible["other_member"] == public | {"contacts", "headcount", "turnover"}
    assert visible["staff"] == set(p.ORGANISATION_FIELDS)
    assert visible["member"] == set(p.ORGANISATION_FIELDS)  # an organisation sees itself


def test_a_choice_beyond_the_staff_limit_falls_back_to_the_default(member_org):
    FieldPolicy.objects.create(field="email", default="members", most_open="members")
    member_org.visibility = {"email": "public"}
    assert p.effective_visibility(member_org)["email"] == "members"
    assert p.allowed_levels("email") == ["members", "staff"]
    assert p.allowed_levels("address") == ["public", "members", "staff"]
