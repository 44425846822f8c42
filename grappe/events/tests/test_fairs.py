"""Trade fairs: the pavilion, its booths, exhibitor applications, allocation, refusal,
withdrawal, the floor list and its costs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.events.models import BoothPricing, EventKind, ExhibitorApplication, ExhibitorStatus
from grappe.events.selectors.staff import booth_list, floor_list, floor_totals
from grappe.events.services import fairs as services
from grappe.events.tests.factories import (
    BoothFactory,
    EventFactory,
    ExhibitorApplicationFactory,
    PavilionFactory,
)
from grappe.members.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
X = ExhibitorStatus


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def contact_of(organisation, user):
    AffiliationFactory(person=user.person, organisation=organisation)
    return user


def products():
    return {"products": "Lasers à fibre", "wanted_area_m2": Decimal("9"), "message": ""}


# --- Pavilion and booths ---------------------------------------------------------------------


def test_staff_describe_the_pavilion_of_a_trade_fair(staff):
    # given a trade fair without pavilion
    event = EventFactory(kind=EventKind.TRADE_FAIR, price_list=False)
    # when staff describe it
    pavilion = services.pavilion_save(
        actor=staff, event=event,
        data={"name": "Pavillon Sud", "cluster_share": Decimal("40"),
              "total_area_m2": Decimal("60"), "terms_fr": "Stand équipé."},
    )  # fmt: skip
    # then it exists, audited; saving again updates it
    assert (pavilion.name, pavilion.cluster_share) == ("Pavillon Sud", Decimal("40"))
    services.pavilion_save(actor=staff, event=event, data={"hall": "Hall 4"})
    pavilion.refresh_from_db()
    assert pavilion.hall == "Hall 4"
    assert list(audit_for(pavilion).values_list("action", flat=True)) == [
        "pavilion.update", "pavilion.create",
    ]  # fmt: skip


def test_only_a_trade_fair_has_a_pavilion(staff):
    event = EventFactory()
    with pytest.raises(ValidationError) as refused:
        services.pavilion_save(actor=staff, event=event, data={"name": "Pavillon"})
    assert refused.value.messages == ["Only a trade fair has a pavilion."]
    assert not hasattr(event, "pavilion")


def test_pavilion_refusals_name_their_field(staff):
    # given a pavilion whose booths take 18 m²
    pavilion = PavilionFactory()
    BoothFactory.create_batch(2, pavilion=pavilion)
    event = pavilion.event
    # when staff shrink it and close applications after the fair has started
    with pytest.raises(ValidationError) as refused:
        services.pavilion_save(
            actor=staff, event=event,
            data={"total_area_m2": Decimal("10"),
                  "application_deadline": event.starts_at + dt.timedelta(hours=1)},
        )  # fmt: skip
    assert refused.value.message_dict == {
        "application_deadline": ["Applications must close before the fair."],
        "total_area_m2": ["The booths already take 18 m²."],
    }
    pavilion.refresh_from_db()
    assert pavilion.total_area_m2 == Decimal("120.00")


def test_member_cannot_edit_a_pavilion(member):
    event = EventFactory(kind=EventKind.TRADE_FAIR, price_list=False)
    with pytest.raises(PermissionDenied):
        services.pavilion_save(actor=member, event=event, data={"name": "Pavillon"})


def test_booths_fit_in_the_pavilion_and_have_unique_names(staff):
    pavilion = PavilionFactory(total_area_m2=Decimal("20"))
    BoothFactory(pavilion=pavilion, label="A1", area_m2=Decimal("12"))
    with pytest.raises(ValidationError) as refused:
        services.booth_create(
            actor=staff, pavilion=pavilion,
            data={"label": "A1", "area_m2": Decimal("9"), "unit_price": Decimal("300")},
        )  # fmt: skip
    assert refused.value.message_dict == {
        "label": ["The pavilion already has a booth with this name."],
        "area_m2": ["Only 8 m² of the pavilion are left."],
    }
    booth = services.booth_create(
        actor=staff, pavilion=pavilion,
        data={"label": "A2", "area_m2": Decimal("8"), "unit_price": Decimal("2500"),
              "pricing": BoothPricing.FLAT, "corner": True},
    )  # fmt: skip
    assert (booth.cost, booth.corner) == (Decimal("2500"), True)
    assert audit_for(booth).get().action == "booth.create"


def test_booth_costs_split_between_cluster_and_exhibitor():
    # given a 9 m² booth at 400 €/m² on a pavilion where the cluster pays 50 %
    booth = BoothFactory()
    # then the cost and its split are exact; a booth's own share wins over the pavilion's
    assert (booth.cost, booth.cluster_part, booth.exhibitor_part) == (
        Decimal("3600.00"), Decimal("1800.00"), Decimal("1800.00"),
    )  # fmt: skip
    corner = BoothFactory(pavilion=booth.pavilion, cluster_share=Decimal("25"))
    assert (corner.cluster_part, corner.exhibitor_part) == (Decimal("900.00"), Decimal("2700.00"))


def test_an_allocated_booth_keeps_its_size_and_price(staff):
    # given a booth allocated to an exhibitor
    application = ExhibitorApplicationFactory()
    booth = BoothFactory(pavilion=application.pavilion, label="C3")
    ExhibitorApplication.objects.filter(pk=application.pk).update(status=X.ALLOCATED, booth=booth)
    # when staff change its price, then its corner flag
    with pytest.raises(ValidationError) as refused:
        services.booth_update(actor=staff, booth=booth, data={"unit_price": Decimal("500")})
    services.booth_update(
        actor=staff, booth=booth, data={"corner": True, "unit_price": Decimal("400")}
    )
    # then the price stays, the flag changes; and the booth cannot be removed
    name = application.organisation.name
    assert refused.value.message_dict == {
        "unit_price": [f"The booth is allocated to {name}: its size and price stay."]
    }
    booth.refresh_from_db()
    assert (booth.unit_price, booth.corner) == (Decimal("400.00"), True)
    with pytest.raises(ValidationError) as removed:
        services.booth_delete(actor=staff, booth=booth)
    assert removed.value.messages == ["The booth is allocated: it cannot be removed."]


def test_a_free_booth_is_removed(staff):
    booth = BoothFactory()
    services.booth_delete(actor=staff, booth=booth)
    assert booth.pavilion.booths.count() == 0


# --- Applications ----------------------------------------------------------------------------


def test_a_contact_of_a_member_applies(
    member, member_org, staff, django_capture_on_commit_callbacks
):
    # given the pavilion of a published fair, open for applications
    pavilion = PavilionFactory()
    # when a contact of a member organisation applies
    with django_capture_on_commit_callbacks(execute=True):
        application = services.exhibitor_apply(
            actor=member, pavilion=pavilion, organisation=member_org, data=products()
        )
    # then the application is submitted in their name; they and staff are told
    assert application.status == X.SUBMITTED
    assert application.applicant == member.person
    assert application.wanted_area_m2 == Decimal("9")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        member.person.email: f"Votre candidature pour le pavillon {pavilion.name}",
        staff.email: f"Nouvelle candidature d'exposant : {member_org.name} ({pavilion.name})",
    }
    assert audit_for(application).get().action == "exhibitor.apply"


def test_a_non_member_organisation_applies_on_the_same_terms(registered):
    # given a contact of an organisation that is not a member
    prospect = OrganisationFactory(name="Prospect Optique")
    contact_of(prospect, registered)
    pavilion = PavilionFactory()
    # when they apply
    application = services.exhibitor_apply(
        actor=registered, pavilion=pavilion, organisation=prospect, data=products()
    )
    # then the application is taken like any other
    assert application.status == X.SUBMITTED


def test_only_a_contact_applies_for_an_organisation(member, other_member, member_org):
    pavilion = PavilionFactory()
    with pytest.raises(PermissionDenied):
        services.exhibitor_apply(
            actor=other_member, pavilion=pavilion, organisation=member_org, data=products()
        )
    assert pavilion.applications.count() == 0


def test_applications_close_at_the_deadline(member, member_org, django_capture_on_commit_callbacks):
    pavilion = PavilionFactory(application_deadline=timezone.now() - dt.timedelta(minutes=1))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        services.exhibitor_apply(
            actor=member, pavilion=pavilion, organisation=member_org, data=products()
        )
    assert refused.value.messages == ["Applications for this pavilion are closed."]
    assert pavilion.applications.count() == 0
    assert mail.outbox == []


def test_an_organisation_applies_once_and_says_what_it_shows(member, member_org):
    pavilion = PavilionFactory()
    services.exhibitor_apply(
        actor=member, pavilion=pavilion, organisation=member_org, data=products()
    )
    with pytest.raises(ValidationError) as refused:
        services.exhibitor_apply(
            actor=member, pavilion=pavilion, organisation=member_org,
            data={"products": " ", "wanted_area_m2": Decimal("0")},
        )  # fmt: skip
    assert refused.value.message_dict == {
        "organisation": ["This organisation has already applied."],
        "wanted_area_m2": ["Give an area above zero, or leave it empty."],
        "products": ["Say what you will show on the booth."],
    }
    assert pavilion.applications.count() == 1


# --- Decisions -------------------------------------------------------------------------------


def test_staff_allocate_a_booth_and_tell_the_applicant_in_their_language(
    staff, django_capture_on_commit_callbacks
):
    # given an application by an English-speaking person, and a free booth
    applicant = PersonFactory(language="en", first_name="Ann")
    application = ExhibitorApplicationFactory(applicant=applicant)
    booth = BoothFactory(pavilion=application.pavilion, label="B7")
    # when staff allocate the booth
    with django_capture_on_commit_callbacks(execute=True):
        services.exhibitor_allocate(actor=staff, application=application, booth=booth)
    # then the application holds it; the mail in English gives the costs
    application.refresh_from_db()
    assert (application.status, application.booth, application.decided_by) == (
        X.ALLOCATED, booth, staff,
    )  # fmt: skip
    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert message.subject == f"Pavilion {application.pavilion.name}: booth B7 is yours"
    assert "Full cost: 3,600.00 € excl. VAT" in message.body
    assert "Your part: 1,800.00 € excl. VAT" in message.body
    assert audit_for(application).get().action == "exhibitor.allocate"


def test_a_booth_holds_one_exhibitor(staff, django_capture_on_commit_callbacks):
    # given a booth allocated to one organisation
    first = ExhibitorApplicationFactory()
    booth = BoothFactory(pavilion=first.pavilion, label="A1")
    services.exhibitor_allocate(actor=staff, application=first, booth=booth)
    second = ExhibitorApplicationFactory(pavilion=first.pavilion)
    # when staff give the same booth to another
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        services.exhibitor_allocate(actor=staff, application=second, booth=booth)
    # then it is refused, naming who has it
    assert refused.value.message_dict == {
        "booth": [f"Booth A1 is already allocated to {first.organisation.name}."]
    }
    second.refresh_from_db()
    assert (second.status, second.booth) == (X.SUBMITTED, None)
    assert mail.outbox == []


def test_a_booth_of_another_pavilion_is_refused(staff):
    application = ExhibitorApplicationFactory()
    elsewhere = BoothFactory()
    with pytest.raises(ValidationError) as refused:
        services.exhibitor_allocate(actor=staff, application=application, booth=elsewhere)
    assert refused.value.message_dict == {"booth": ["Choose a booth of this pavilion."]}


def test_an_exhibitor_moves_to_another_booth(staff):
    application = ExhibitorApplicationFactory()
    first = BoothFactory(pavilion=application.pavilion, label="A1")
    second = BoothFactory(pavilion=application.pavilion, label="A2")
    services.exhibitor_allocate(actor=staff, application=application, booth=first)
    services.exhibitor_allocate(actor=staff, application=application, booth=second)
    application.refresh_from_db()
    assert application.booth == second
    assert [b.exhibitor for b in booth_list(application.pavilion)] == [None, application]


def test_staff_refuse_with_a_reason_and_free_the_booth(staff, django_capture_on_commit_callbacks):
    application = ExhibitorApplicationFactory()
    booth = BoothFactory(pavilion=application.pavilion)
    services.exhibitor_allocate(actor=staff, application=application, booth=booth)
    # when staff refuse without a reason, then with one
    with pytest.raises(ValidationError) as refused:
        services.exhibitor_refuse(actor=staff, application=application, reason=" ")
    assert refused.value.message_dict == {
        "reason": ["Give the reason: it is sent to the applicant."]
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.exhibitor_refuse(actor=staff, application=application, reason="Stand complet.")
    # then the application is refused, its booth free, and the reason sent
    application.refresh_from_db()
    assert (application.status, application.booth, application.decision_reason) == (
        X.REFUSED, None, "Stand complet.",
    )  # fmt: skip
    [message] = mail.outbox
    assert "Stand complet." in message.body
    with pytest.raises(ValidationError) as again:
        services.exhibitor_refuse(actor=staff, application=application, reason="Encore")
    assert again.value.messages == ["This application is no longer open."]


def test_the_applicant_withdraws_and_staff_are_told(
    member, member_org, staff, django_capture_on_commit_callbacks
):
    pavilion = PavilionFactory()
    application = services.exhibitor_apply(
        actor=member, pavilion=pavilion, organisation=member_org, data=products()
    )
    booth = BoothFactory(pavilion=pavilion)
    services.exhibitor_allocate(actor=staff, application=application, booth=booth)
    with django_capture_on_commit_callbacks(execute=True):
        services.exhibitor_withdraw(actor=member, application=application)
    application.refresh_from_db()
    assert (application.status, application.booth) == (X.WITHDRAWN, None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.person.email, staff.email])


def test_the_organisation_admin_may_withdraw_others_may_not(
    member, org_admin, member_org, other_member
):
    application = services.exhibitor_apply(
        actor=member, pavilion=PavilionFactory(), organisation=member_org, data=products()
    )
    with pytest.raises(PermissionDenied):
        services.exhibitor_withdraw(actor=other_member, application=application)
    application.refresh_from_db()
    assert application.status == X.SUBMITTED
    services.exhibitor_withdraw(actor=org_admin, application=application)
    application.refresh_from_db()
    assert application.status == X.WITHDRAWN


def test_no_withdrawal_once_the_fair_has_started(member, member_org):
    application = services.exhibitor_apply(
        actor=member, pavilion=PavilionFactory(), organisation=member_org, data=products()
    )
    later = application.pavilion.event.starts_at + dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        services.exhibitor_withdraw(actor=member, application=application, now=later)
    assert refused.value.messages == ["The fair has started: ask the cluster's team."]


# --- The floor list --------------------------------------------------------------------------


def test_floor_list_and_totals(staff, django_assert_max_num_queries):
    # given three exhibitors on a pavilion where the cluster pays 50 %, one booth flat
    pavilion = PavilionFactory()
    for label, pricing, price in [
        ("B2", "per_m2", "400"),
        ("A1", "flat", "2000"),
        ("C3", "per_m2", "300"),
    ]:  # noqa: E501
        booth = BoothFactory(
            pavilion=pavilion, label=label, pricing=pricing, unit_price=Decimal(price)
        )
        services.exhibitor_allocate(
            actor=staff, application=ExhibitorApplicationFactory(pavilion=pavilion), booth=booth
        )
    ExhibitorApplicationFactory(pavilion=pavilion)  # not allocated
    # when the floor list is read
    with django_assert_max_num_queries(1):
        floor = floor_list(pavilion)
        totals = floor_totals(floor)
    # then it lists the booths in order with their exact costs
    assert [a.booth.label for a in floor] == ["A1", "B2", "C3"]
    assert (totals.area, totals.cost, totals.cluster_part, totals.exhibitor_part) == (
        Decimal("27.00"), Decimal("8300.00"), Decimal("4150.00"), Decimal("4150.00"),
    )  # fmt: skip
