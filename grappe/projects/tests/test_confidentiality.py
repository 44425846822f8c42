"""Who reads a file's confidential content: its contacts, staff and its cleared experts
(assignment accepted, the agreement in force signed, no conflict) — nobody else, whatever rows
exist. The public reads only the summary of labelled projects whose consortium agreed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from grappe.projects import permissions
from grappe.projects.models import (
    AssignmentStatus,
    Certificate,
    CommitteeMember,
    CommitteeRole,
    Decision,
    ExpertExclusion,
    ExpertProfile,
    LabellingRequest,
    RequestStatus,
    Stage,
)
from grappe.projects.tests.conftest import PROJECT_ROLES
from grappe.projects.tests.factories import AssignmentFactory, ExpertFactory

SECRET = "Description confidentielle"  # the factories' description starts so


def matrix(*values: bool) -> dict[str, bool]:
    return dict(zip(PROJECT_ROLES, values, strict=True))


#                       visitor, unrelated, contact, assigned, conflicted, unassigned, staff
EXPECTED = {
    "can_view_request": matrix(False, False, True, True, False, False, True),
    "can_view_confidential": matrix(False, False, True, True, False, False, True),
    "can_view_exclusions": matrix(False, False, True, False, False, False, True),
    "can_view_history": matrix(False, False, True, False, False, False, True),
    "can_edit_request": matrix(False, False, False, False, False, False, False),  # submitted
    "can_manage_contacts": matrix(False, False, True, False, False, False, True),
    "can_resubmit_request": matrix(False, False, False, False, False, False, False),
}
CASES = [
    pytest.param(name, role, expected[role], id=f"{name} as {role}")
    for name, expected in EXPECTED.items()
    for role in PROJECT_ROLES
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES)
def test_each_role_reads_what_it_may_and_nothing_more(lworld, name, role, expected):
    user = lworld.users[role]
    assert getattr(permissions, name)(user, lworld.request) is expected


def test_the_draft_is_edited_by_its_contacts_only(lworld):
    allowed = {
        role
        for role in PROJECT_ROLES
        if permissions.can_edit_request(lworld.users[role], lworld.draft)
    }
    assert allowed == {"consortium_contact"}


def test_an_expert_with_a_conflict_sees_nothing_even_with_an_accepted_assignment(lworld):
    # given the expert who works for the partner lab has an accepted assignment row
    conflicted = ExpertProfile.objects.get(user=lworld.users["conflicted_expert"])
    AssignmentFactory(request=lworld.request, expert=conflicted, status=AssignmentStatus.ACCEPTED)
    user = lworld.users["conflicted_expert"]
    # then they still see nothing
    assert not permissions.can_view_request(user, lworld.request)
    assert not permissions.can_view_confidential(user, lworld.request)


def test_an_exclusion_asked_by_the_applicant_is_a_conflict(lworld):
    # given the assigned expert is excluded by the applicant afterwards
    expert = ExpertProfile.objects.get(user=lworld.users["assigned_expert"])
    ExpertExclusion.objects.create(request=lworld.request, expert=expert, reason="Concurrent")
    # then they lose access
    assert not permissions.can_view_confidential(expert.user, lworld.request)


@pytest.mark.parametrize(
    "change",
    [
        {"nda_accepted_at": None},
        {"nda_version": "2019-1"},
    ],
)
def test_an_expert_without_the_agreement_in_force_sees_nothing(lworld, change):
    ExpertProfile.objects.filter(user=lworld.users["assigned_expert"]).update(**change)
    assert not permissions.can_view_confidential(lworld.users["assigned_expert"], lworld.request)


@pytest.mark.parametrize(
    "status", [AssignmentStatus.PROPOSED, AssignmentStatus.INVITED, AssignmentStatus.DECLINED]
)
def test_an_expert_who_has_not_accepted_sees_nothing(lworld, status):
    lworld.request.assignments.update(status=status)
    assert not permissions.can_view_request(lworld.users["assigned_expert"], lworld.request)


def test_an_expert_assigned_to_one_file_sees_no_other(lworld):
    assert not permissions.can_view_request(lworld.users["assigned_expert"], lworld.draft)


def test_a_committee_member_sees_the_file_but_not_its_confidential_content(lworld):
    from grappe.members.tests.factories import UserFactory

    member = UserFactory()
    CommitteeMember.objects.create(session=lworld.session, user=member, role=CommitteeRole.MEMBER)
    assert permissions.can_view_request(member, lworld.request)
    assert not permissions.can_view_confidential(member, lworld.request)
    assert not permissions.can_view_exclusions(member, lworld.request)


def test_an_inactive_contact_loses_access(lworld):
    member = lworld.users["consortium_contact"]
    member.is_active = False
    member.save()
    assert not permissions.can_view_request(member, lworld.request)


# --- what the pages show -----------------------------------------------------------------------


def test_the_file_page_shows_the_confidential_part_only_to_those_allowed(lworld, as_project_role):
    expected = {"consortium_contact": True, "assigned_expert": True, "staff": True}
    for role in ("consortium_contact", "assigned_expert", "staff"):
        client = as_project_role(role)
        content = client.get(reverse("projects:request", kwargs={"pk": lworld.request.pk}))
        assert (SECRET in content.content.decode()) is expected[role]
        client.logout()


def test_a_committee_member_reads_the_page_without_the_confidential_part(lworld, client):
    from grappe.members.tests.factories import UserFactory

    member = UserFactory()
    CommitteeMember.objects.create(session=lworld.session, user=member, role=CommitteeRole.MEMBER)
    client.force_login(member)
    response = client.get(reverse("projects:request", kwargs={"pk": lworld.request.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    assert escape(lworld.request.summary_public) in content
    assert SECRET not in content
    assert "500" not in content.split('id="h-partners"')[1].split("</table>")[0]


def test_an_expert_does_not_see_who_the_applicant_excluded(lworld, as_project_role):
    other = ExpertFactory(user__first_name="Zoé", user__last_name="Écartée")
    ExpertExclusion.objects.create(request=lworld.request, expert=other, reason="Concurrent")
    content = (
        as_project_role("assigned_expert")
        .get(reverse("projects:request", kwargs={"pk": lworld.request.pk}))
        .content.decode()
    )
    assert "Écartée" not in content
    assert "Concurrent" not in content


# --- the public ----------------------------------------------------------------------------


def _labelled(request: LabellingRequest, **extra) -> None:
    values = {"status": RequestStatus.CERTIFICATE_ISSUED, "decision": Decision.LABELLED,
              "decided_at": timezone.now()} | extra  # fmt: skip
    LabellingRequest.objects.filter(pk=request.pk).update(**values)
    request.refresh_from_db()


@pytest.mark.parametrize(
    ("extra", "public"),
    [
        ({"publish_consent": True}, True),
        ({"publish_consent": False}, False),
        ({"publish_consent": True, "stage": Stage.PRE_PROPOSAL}, False),
        ({"publish_consent": True, "decision": Decision.REJECTED}, False),
        ({"publish_consent": True, "decision": Decision.SUPPORT_LETTER}, False),
    ],
)
def test_the_public_sees_labelled_projects_with_consent_only(lworld, client, extra, public):
    _labelled(lworld.request, **extra)
    assert permissions.is_public_request(lworld.request) is public
    content = client.get(reverse("projects:public_list")).content.decode()
    assert (lworld.request.title in content) is public
    assert SECRET not in content


def test_a_revoked_certificate_takes_the_project_off_the_public_list(lworld, client):
    _labelled(lworld.request, publish_consent=True)
    Certificate.objects.create(
        request=lworld.request, number="LAB-2026-0001", kind="label",
        issued_at=timezone.now(), revoked_at=timezone.now(), revoke_reason="Erreur",
    )  # fmt: skip
    assert not permissions.is_public_request(lworld.request)
    assert lworld.request.title not in client.get(reverse("projects:public_list")).content.decode()


def test_the_public_list_shows_no_budget_or_description(lworld, client):
    _labelled(lworld.request, publish_consent=True)
    content = client.get(reverse("projects:public_list")).content.decode()
    assert escape(lworld.request.summary_public) in content
    for secret in (SECRET, "1500000", "1 500 000", "500 000", "225 000"):
        assert secret not in content
