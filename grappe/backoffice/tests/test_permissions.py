"""The back office is the team's: staff, and only active staff."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from grappe.backoffice import permissions as p

pytestmark = pytest.mark.django_db
ROLES = ["visitor", "registered", "member", "org_admin", "expert", "staff", "superuser"]
RULES = [
    p.can_use_backoffice, p.can_edit_fee_schedule, p.can_edit_cluster_profile,
    p.can_edit_field_policy, p.can_set_expert, p.can_manage_users,
]  # fmt: skip


@pytest.fixture
def people(registered, member, org_admin, expert, staff):
    from grappe.members.tests.factories import UserFactory

    superuser = UserFactory(is_staff=True, is_superuser=True)
    return {
        "visitor": AnonymousUser(), "registered": registered, "member": member,
        "org_admin": org_admin, "expert": expert, "staff": staff, "superuser": superuser,
    }  # fmt: skip


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_staff_only_rules(people, rule):
    assert {role: rule(user) for role, user in people.items()} == {
        role: role in {"staff", "superuser"} for role in ROLES
    }


def test_only_a_superuser_grants_superuser_or_changes_one(people):
    superuser, staff = people["superuser"], people["staff"]
    assert {role: p.can_grant_superuser(u) for role, u in people.items()} == {
        role: role == "superuser" for role in ROLES
    }
    assert p.can_manage_users(staff, superuser) is False
    assert p.can_manage_users(superuser, staff) is True
    assert p.can_manage_users(staff, people["member"]) is True


def test_an_inactive_staff_login_is_refused(staff):
    staff.is_active = False
    assert [rule(staff) for rule in RULES] == [False] * len(RULES)
