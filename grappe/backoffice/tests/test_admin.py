"""The Django admin: every model is there for staff, and changes go through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from grappe.accounts.models import User
from grappe.core.models import AuditEntry
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    Consent,
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    Membership,
    MembershipStatus,
    Organisation,
)
from grappe.members.tests.factories import (
    AffiliationFactory,
    FiguresFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    fee_schedule,
)

pytestmark = pytest.mark.django_db
S = MembershipStatus
OURS = ("members", "accounts", "core")
MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in OURS
)


def test_every_model_of_members_accounts_and_core_is_registered():
    from django.apps import apps

    wanted = {
        (m._meta.app_label, m._meta.model_name)
        for label in OURS
        for m in apps.get_app_config(label).get_models()
    }
    assert wanted == set(MODELS)


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_staff_open_every_list_and_its_search(login, staff, member_org, app, model):
    client = login(staff)
    url = reverse(f"admin:{app}_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "lumi"}).status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_nothing_is_deleted_from_the_admin(login, staff, app, model):
    model_admin = admin.site._registry[next(
        m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app, model)
    )]  # fmt: skip
    request = type("R", (), {"user": staff})()
    assert model_admin.has_delete_permission(request) is False


def test_people_who_are_not_staff_do_not_get_in(login, org_admin):
    response = login(org_admin).get(reverse("admin:members_membership_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_audit_trail_is_read_only(login, staff, member_org):
    from grappe.members.services import organisation_update

    organisation_update(actor=staff, organisation=member_org, data={"city": "Nice"})
    entry = AuditEntry.objects.get()
    client = login(staff)
    assert client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    response = client.post(
        reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "forged"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "organisation.update"


def test_a_membership_is_read_only_in_the_admin(login, staff, member_org):
    membership = Membership.objects.get(organisation=member_org)
    client = login(staff)
    url = reverse("admin:members_membership_change", args=[membership.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"status": "excluded"})
    membership.refresh_from_db()
    assert membership.status == S.ACTIVE
    assert client.get(reverse("admin:members_membership_add")).status_code == 403


def _action(client, model: str, action: str, pks: list[int], **data):
    return client.post(
        reverse(f"admin:members_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **data},
    )


def _application():
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation)
    fee_schedule(timezone.localdate().year)
    return MembershipFactory(organisation=organisation, status=S.APPLIED)


def test_staff_admit_applications_by_an_admin_action(login, staff):
    # given two applications
    first, second = _application(), _application()
    client = login(staff)
    # when staff choose the action, then its page asks for the decision's details
    response = _action(client, "membership", "approve_memberships", [first.pk, second.pk], index=0)
    assert response.status_code == 200
    assert "body" in response.context["form"].fields
    # when they confirm, then both are approved through the service: invoices and audit rows
    today = timezone.localdate().isoformat()
    response = _action(
        client, "membership", "approve_memberships", [first.pk, second.pk],
        apply="1", body="board", decided_on=today, note="Board #3",
    )  # fmt: skip
    assert response.status_code == 302
    assert set(Membership.objects.values_list("status", flat=True)) == {S.APPROVED}
    assert Invoice.objects.count() == 2
    assert AuditEntry.objects.filter(action="membership.approve").count() == 2


def test_a_refused_admin_action_is_reported_by_name(login, staff, member_org):
    active = Membership.objects.get(organisation=member_org)
    response = _action(login(staff), "membership", "activate_memberships", [active.pk], index=0)
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.status == S.ACTIVE


def test_staff_end_and_renew_memberships_by_admin_actions(login, staff):
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2025)
    ending = MembershipFactory(year=2025)
    renewing = MembershipFactory(organisation=organisation, year=2025)
    fee_schedule(2026)
    client = login(staff)
    _action(
        client, "membership", "end_memberships", [ending.pk], apply="1", status="lapsed",
        on="2025-06-30", reason="Unpaid",
    )  # fmt: skip
    ending.refresh_from_db()
    assert (ending.status, ending.end) == (S.LAPSED, dt.date(2025, 6, 30))
    _action(client, "membership", "renew_memberships", [renewing.pk], index=0)
    assert Membership.objects.get(organisation=organisation, year=2026).renewal_of == renewing


def test_staff_record_payments_by_an_admin_action(login, staff):
    membership = MembershipFactory(status=S.APPROVED)
    invoice = Invoice.objects.create(
        number="2026-00001", membership=membership, organisation=membership.organisation,
        issued_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 2, 1), label="2026|12|",
        amount_net=Decimal("100"), vat_rate=Decimal("20"), vat_amount=Decimal("20"),
        amount_gross=Decimal("120"),
    )  # fmt: skip
    _action(login(staff), "invoice", "mark_invoices_paid", [invoice.pk], apply="1",
            paid_on="2026-01-20", reference="CHQ 12")  # fmt: skip
    invoice.refresh_from_db()
    assert (invoice.status, invoice.payment_reference) == (InvoiceStatus.PAID, "CHQ 12")
    assert invoice.membership.status == S.ACTIVE


def test_an_invoice_cannot_be_edited(login, staff):
    membership = MembershipFactory(status=S.APPROVED)
    invoice = Invoice.objects.create(
        number="2026-00001", membership=membership, organisation=membership.organisation,
        issued_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 2, 1), label="2026|12|",
        amount_net=Decimal("100"), vat_rate=Decimal("20"), vat_amount=Decimal("20"),
        amount_gross=Decimal("120"),
    )  # fmt: skip
    client = login(staff)
    url = reverse("admin:members_invoice_change", args=[invoice.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"amount_net": "1"}).status_code == 403


def test_an_organisation_changed_in_the_admin_is_audited(login, staff, member_org):
    client = login(staff)
    url = reverse("admin:members_organisation_change", args=[member_org.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value for name, value in form.initial.items()
        if name in form.fields and value is not None and name not in {"competences", "logo"}
    }  # fmt: skip
    data.update({
        "city": "Toulouse", "figures-TOTAL_FORMS": "0", "figures-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member_org.refresh_from_db()
    assert member_org.city == "Toulouse"
    assert AuditEntry.objects.get(action="organisation.update").changes == {
        "city": ["Marseille", "Toulouse"]
    }


def test_an_organisation_added_in_the_admin_goes_through_the_service(login, staff):
    response = login(staff).post(
        reverse("admin:members_organisation_add"),
        {"legal_name": "Nova SAS", "name": "Nova", "kind": "startup", "country": "FR",
         "figures-TOTAL_FORMS": "0", "figures-INITIAL_FORMS": "0",
         "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Nova")
    assert (organisation.slug, organisation.college) == ("nova", "sme")
    assert AuditEntry.objects.filter(action="organisation.create").count() == 1


def test_a_consent_recorded_by_staff_is_kept_with_its_source(login, staff):
    person = PersonFactory()
    login(staff).post(
        reverse("admin:members_consent_add"),
        {"person": person.pk, "channel": "newsletter", "granted": "on"},
    )
    consent = Consent.objects.get(person=person)
    assert (consent.granted, consent.source) == (True, "staff")


def test_an_affiliation_confirmed_by_an_admin_action(login, staff, member_org):
    request = AffiliationFactory(organisation=member_org, status=AffiliationStatus.PENDING)
    _action(login(staff), "affiliation", "confirm_affiliations", [request.pk], index=0)
    request.refresh_from_db()
    assert request.status == AffiliationStatus.CONFIRMED


def test_a_schedule_made_and_copied_in_the_admin(login, staff):
    client = login(staff)
    client.post(
        reverse("admin:members_feeschedule_add"),
        {"year": "2030", "vat_rate": "20", "bands-TOTAL_FORMS": "0", "bands-INITIAL_FORMS": "0"},
    )
    schedule = FeeSchedule.objects.get(year=2030)
    _action(client, "feeschedule", "copy_schedules", [schedule.pk], index=0)
    assert FeeSchedule.objects.filter(year=2031).exists()
    assert AuditEntry.objects.filter(action="fee_schedule.create").count() == 1


def test_a_login_is_created_by_email_and_audited(login, staff):
    response = login(staff).post(
        reverse("admin:accounts_user_add"),
        {"email": "Claire@Pole.example", "first_name": "Claire", "last_name": "Martin",
         "language": "fr", "usable_password": "true", "password1": "a long passphrase 42",
         "password2": "a long passphrase 42"},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(email="claire@pole.example")
    assert user.check_password("a long passphrase 42")
    assert AuditEntry.objects.get(action="user.create").actor == staff


def test_staff_name_experts_from_the_user_list(login, staff, registered):
    login(staff).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_experts", ACTION_CHECKBOX_NAME: [str(registered.pk)], "index": 0},
    )
    registered.refresh_from_db()
    assert registered.is_expert is True


def test_a_user_change_in_the_admin_is_audited(login, staff, registered):
    client = login(staff)
    url = reverse("admin:accounts_user_change", args=[registered.pk])
    response = client.post(url, {
        "email": registered.email, "first_name": "Renamed", "last_name": registered.last_name,
        "language": "en", "is_active": "on", "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    })  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    registered.refresh_from_db()
    assert (registered.first_name, registered.language) == ("Renamed", "en")
    changes = AuditEntry.objects.get(action="user.update").changes
    assert changes["first_name"][1] == "Renamed"
    assert changes["language"] == ["fr", "en"]
    assert Affiliation.objects.count() == 0
