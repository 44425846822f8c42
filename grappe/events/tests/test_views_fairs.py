"""The pavilion and mission pages, public and staff: wiring, refusals, fixed queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.events.models import (
    EventVisibility,
    ExhibitorApplication,
    ExhibitorStatus,
    MissionApplication,
    MissionApplicationStatus,
)
from grappe.events.services.fairs import exhibitor_allocate
from grappe.events.services.missions import mission_decide
from grappe.events.tests.factories import (
    BoothFactory,
    ExhibitorApplicationFactory,
    MissionApplicationFactory,
    MissionFactory,
    PavilionFactory,
)

pytestmark = pytest.mark.django_db
X = ExhibitorStatus
M = MissionApplicationStatus


def public(name, event, *args):
    return reverse(f"events:{name}", args=[event.slug, *args])


def staff_url(name, event, *args):
    return reverse(f"events_staff:{name}", args=[event.pk, *args])


@pytest.fixture
def floor(staff):
    """A pavilion with three booths, two allocated."""
    pavilion = PavilionFactory()
    for label, name in [("A1", "Photon Nice"), ("A2", "Laser Aix")]:
        booth = BoothFactory(pavilion=pavilion, label=label)
        application = ExhibitorApplicationFactory(pavilion=pavilion, organisation__name=name)
        exhibitor_allocate(actor=staff, application=application, booth=booth)
    BoothFactory(pavilion=pavilion, label="A3")
    return pavilion


def test_the_public_pavilion_page_lists_exhibitors(visitor, floor, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = visitor.get(public("pavilion", floor.event))
    page = response.content.decode()
    assert response.status_code == 200
    assert [a.organisation.name for a in response.context["floor"]] == ["Photon Nice", "Laser Aix"]
    assert [b.label for b in response.context["free_booths"]] == ["A3"]
    assert "Candidater pour un stand" in page


def test_a_members_only_fair_is_hidden_from_visitors(visitor):
    pavilion = PavilionFactory(event__visibility=EventVisibility.MEMBERS)
    assert visitor.get(public("pavilion", pavilion.event)).status_code == 404


def test_a_contact_applies_and_sees_the_application(login, member, member_org):
    pavilion = PavilionFactory()
    client = login(member)
    assert client.get(public("pavilion_apply", pavilion.event)).status_code == 200
    response = client.post(
        public("pavilion_apply", pavilion.event),
        {"organisation": member_org.pk, "products": "Lasers", "accept_terms": "on"},
    )
    assert response.status_code == 302
    application = ExhibitorApplication.objects.get()
    assert (application.organisation, application.applicant) == (member_org, member.person)
    page = client.get(public("pavilion", pavilion.event))
    assert page.context["mine"] == [application]


def test_the_terms_must_be_accepted(login, member, member_org):
    pavilion = PavilionFactory()
    response = login(member).post(
        public("pavilion_apply", pavilion.event),
        {"organisation": member_org.pk, "products": "Lasers"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["accept_terms"] == ["Ce champ est obligatoire."]
    assert ExhibitorApplication.objects.count() == 0


def test_a_visitor_is_sent_to_log_in_to_apply(visitor):
    pavilion = PavilionFactory()
    response = visitor.get(public("pavilion_apply", pavilion.event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_applicant_withdraws_from_the_page(login, member, member_org):
    application = ExhibitorApplicationFactory(organisation=member_org, applicant=member.person)
    client = login(member)
    response = client.post(public("exhibitor_withdraw", application.pavilion.event, application.pk))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == X.WITHDRAWN


def test_someone_else_cannot_withdraw(login, other_member):
    application = ExhibitorApplicationFactory()
    response = login(other_member).post(
        public("exhibitor_withdraw", application.pavilion.event, application.pk)
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == X.SUBMITTED


def test_staff_pavilion_page_shows_costs_with_fixed_queries(
    login, staff, floor, django_assert_max_num_queries
):
    ExhibitorApplicationFactory.create_batch(5, pavilion=floor)
    client = login(staff)
    with django_assert_max_num_queries(14):
        response = client.get(staff_url("pavilion", floor.event))
    totals = response.context["totals"]
    assert (totals.cost, totals.cluster_part, totals.exhibitor_part) == (
        Decimal("7200.00"), Decimal("3600.00"), Decimal("3600.00"),
    )  # fmt: skip
    assert len(response.context["applications"]) == 7


def test_staff_allocate_and_refuse_from_the_pages(login, staff):
    pavilion = PavilionFactory()
    booth = BoothFactory(pavilion=pavilion, label="B1")
    first, second = ExhibitorApplicationFactory.create_batch(2, pavilion=pavilion)
    client = login(staff)
    event = pavilion.event
    assert client.get(staff_url("exhibitor", event, first.pk)).status_code == 200
    allocated = client.post(staff_url("exhibitor_allocate", event, first.pk), {"booth": booth.pk})
    taken = client.post(staff_url("exhibitor_allocate", event, second.pk), {"booth": booth.pk})
    no_reason = client.post(staff_url("exhibitor_refuse", event, second.pk), {"reason": ""})
    refused = client.post(staff_url("exhibitor_refuse", event, second.pk), {"reason": "Complet"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (allocated.status_code, taken.status_code, no_reason.status_code) == (302, 400, 400)
    assert refused.status_code == 302
    assert (first.status, first.booth, second.status) == (X.ALLOCATED, booth, X.REFUSED)


def test_staff_describe_a_pavilion_and_a_booth(login, staff):
    from grappe.events.tests.factories import EventFactory

    event = EventFactory(kind="trade_fair", price_list=False)
    client = login(staff)
    client.post(staff_url("pavilion", event), {"name": "Pavillon Sud", "cluster_share": "30"})
    client.post(
        staff_url("booth_create", event),
        {"label": "C1", "area_m2": "12", "pricing": "per_m2", "unit_price": "350"},
    )
    assert event.pavilion.name == "Pavillon Sud"
    assert [(b.label, b.cost) for b in event.pavilion.booths.all()] == [("C1", Decimal("4200.00"))]


# --- Missions --------------------------------------------------------------------------------


def test_the_delegation_is_public_once_applications_close(visitor, staff):
    mission = MissionFactory()
    application = MissionApplicationFactory(mission=mission, organisation__name="Photon Nice")
    mission_decide(actor=staff, application=application, decision=M.SELECTED)
    before = visitor.get(public("mission", mission.event))
    mission.application_deadline = timezone.now() - dt.timedelta(hours=1)
    mission.save()
    after = visitor.get(public("mission", mission.event))
    assert before.context["delegation"] == []
    assert [a.organisation.name for a in after.context["delegation"]] == ["Photon Nice"]
    assert "Photon Nice" in after.content.decode()


def test_a_contact_applies_to_a_mission(login, member, member_org):
    mission = MissionFactory()
    response = login(member).post(
        public("mission_apply", mission.event),
        {"organisation": member_org.pk, "motivation": "Export", "target_markets": "Japon",
         "products": "Caméras", "accept_terms": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert MissionApplication.objects.get().person == member.person


def test_staff_decide_from_the_application_page(login, staff):
    application = MissionApplicationFactory()
    event = application.mission.event
    client = login(staff)
    no_reason = client.post(staff_url("mission_application", event, application.pk),
                            {"decision": "reserve"})  # fmt: skip
    selected = client.post(staff_url("mission_application", event, application.pk),
                           {"decision": "selected"})  # fmt: skip
    application.refresh_from_db()
    assert no_reason.status_code == 400
    assert no_reason.context["form"].errors["reason"] == [
        "Donnez le motif : il est envoyé au candidat."
    ]
    assert selected.status_code == 302
    assert (application.status, application.cost) == (M.SELECTED, Decimal("3000.00"))


def test_staff_mission_page_with_fixed_queries(login, staff, django_assert_max_num_queries):
    mission = MissionFactory()
    for _n in range(6):
        mission_decide(actor=staff, application=MissionApplicationFactory(mission=mission),
                       decision=M.RESERVE, reason="Attente")  # fmt: skip
    client = login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(staff_url("mission", mission.event))
    assert len(response.context["applications"]) == 6


def test_my_open_applications_for_my_space(member, member_org, staff):
    from grappe.events.selectors.staff import my_open_applications

    mine = ExhibitorApplicationFactory(organisation=member_org)
    ExhibitorApplicationFactory()  # another organisation's
    selected = MissionApplicationFactory(organisation=member_org)
    mission_decide(actor=staff, application=selected, decision=M.SELECTED)
    MissionApplicationFactory(organisation=member_org, status=M.WITHDRAWN)
    assert my_open_applications(member) == {"exhibitor": [mine], "mission": [selected]}


def test_a_trade_fair_page_leads_to_its_pavilion_instead_of_a_ticket(client, db):
    # given a published trade fair with the cluster's pavilion and no ticket
    from grappe.events.models import Pavilion
    from grappe.events.tests.factories import EventFactory

    event = EventFactory(kind="trade_fair", price_list=False)
    Pavilion.objects.create(event=event, name="Pavillon du pôle")
    # when a visitor opens the event's page
    response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    # then it links to the pavilion's page and offers no registration
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/events/{event.slug}/pavilion/"' in page
    assert f'href="/events/{event.slug}/register/"' not in page


@pytest.mark.parametrize(
    ("language", "country"), [("en", "· Singapore, Singapore"), ("fr", "· Singapour, Singapore")]
)
def test_the_mission_page_names_the_destination_in_the_readers_language(visitor, language, country):
    # given a mission to Singapore
    mission = MissionFactory(event__country="SG", event__city="Singapore")
    # when a visitor reads its page in French or in English
    page = visitor.get(public("mission", mission.event), HTTP_ACCEPT_LANGUAGE=language)
    # then the country is named in that language
    assert page.status_code == 200
    assert country in page.content.decode()
