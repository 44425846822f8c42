"""Memberships through the API: the same services, rules and messages as the back office."""

from __future__ import annotations

from django.utils import timezone

from grappe.core.models import AuditEntry
from grappe.members.models import Invoice, Membership, MembershipStatus
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory


def test_staff_approve_an_application_and_the_invoice_is_issued(login, world, staff):
    # when staff approve the application, as decided by the board
    response = login(staff).post(
        f"/api/v1/memberships/{world.applied.pk}/approve",
        {"body": "board", "note": "Board of 3 March"},
        content_type="application/json",
    )

    # then the membership is approved, audited, and its invoice issued
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["decision_body"], data["decision_note"]) == (
        "approved", "board", "Board of 3 March",
    )  # fmt: skip
    invoice = Invoice.objects.get(membership=world.applied)
    assert data["invoice"] == {
        "number": invoice.number,
        "status": "issued",
        "amount_gross": "1320.00",
    }
    assert AuditEntry.objects.filter(action="membership.approve", actor=staff).count() == 1


def test_staff_refuse_with_the_reason(login, world, staff):
    response = login(staff).post(
        f"/api/v1/memberships/{world.applied.pk}/refuse",
        {"note": "Outside the cluster's field"},
        content_type="application/json",
    )

    assert response.status_code == 200
    world.applied.refresh_from_db()
    assert world.applied.status == MembershipStatus.REFUSED
    assert world.applied.decision_note == "Outside the cluster's field"


def test_staff_activate_an_approved_membership(login, world, staff):
    response = login(staff).post(f"/api/v1/memberships/{world.approved.pk}/activate")

    assert response.status_code == 200
    assert Membership.objects.get(pk=world.approved.pk).status == MembershipStatus.ACTIVE


def test_staff_end_a_membership(login, world, staff):
    # when staff record a resignation on 30 June
    year = timezone.localdate().year
    response = login(staff).post(
        f"/api/v1/memberships/{world.active.pk}/end",
        {"status": "resigned", "on": f"{year}-06-30", "reason": "Letter of 2 June"},
        content_type="application/json",
    )

    # then the membership ends that day
    assert response.status_code == 200
    assert response.json()["status"] == "resigned"
    assert response.json()["end"] == f"{year}-06-30"
    assert response.json()["end_reason"] == "Letter of 2 June"


def test_a_refused_action_changes_nothing(login, world, member, mailoutbox):
    # when a member tries to approve an application
    response = login(member).post(
        f"/api/v1/memberships/{world.applied.pk}/approve", {}, content_type="application/json"
    )

    # then it is refused, and nothing was written nor sent
    assert response.status_code == 403
    assert Membership.objects.get(pk=world.applied.pk).status == MembershipStatus.APPLIED
    assert not Invoice.objects.filter(membership=world.applied).exists()
    assert mailoutbox == []


def test_staff_filter_memberships(login, world, staff):
    client = login(staff)

    by_status = client.get("/api/v1/memberships?status=applied").json()
    by_org = client.get("/api/v1/memberships?organisation=lumiere-marseille").json()
    by_year = client.get("/api/v1/memberships?year=1999").json()

    assert [m["organisation_slug"] for m in by_status["items"]] == ["candidat-optique"]
    assert [m["id"] for m in by_org["items"]] == [world.active.pk]
    assert by_org["items"][0]["invoice"]["number"] == world.invoice.number
    assert by_year["total"] == 0


def test_an_administrator_reads_their_organisations_memberships(login, world, org_admin):
    # given last year's membership too
    MembershipFactory(organisation=world.member_org, year=world.active.year - 1)

    # when the organisation's administrator asks for them
    data = login(org_admin).get("/api/v1/organisations/lumiere-marseille/memberships").json()

    # then both years come, newest first
    assert [m["year"] for m in data["items"]] == [world.active.year, world.active.year - 1]


def test_the_membership_list_takes_a_fixed_number_of_queries(
    login, world, staff, django_assert_max_num_queries
):
    # given many memberships
    for _ in range(40):
        MembershipFactory(organisation=OrganisationFactory())
    client = login(staff)

    # when staff list 5 then 100 a page
    for per_page in (5, 100):
        with django_assert_max_num_queries(6):
            response = client.get(f"/api/v1/memberships?per_page={per_page}")
        assert response.status_code == 200
    assert response.json()["total"] == 43
    assert response.json()["pages"] == 1
