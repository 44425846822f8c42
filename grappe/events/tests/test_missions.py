"""Trade missions: the call, applications, selection with places and reasons, cost shares
frozen at selection, withdrawal, the delegation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grappe.core.audit import audit_for
from grappe.events.models import EventKind, Mission, MissionApplicationStatus
from grappe.events.selectors.staff import delegation, mission_application_list
from grappe.events.services import missions as services
from grappe.events.services.exports import delegation_rows
from grappe.events.tests.factories import (
    EventFactory,
    MissionApplicationFactory,
    MissionFactory,
)
from grappe.members.models import Competence, Facet, TaxonomyVersion
from grappe.members.selectors import competences_current
from grappe.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
M = MissionApplicationStatus


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def application_data():
    return {
        "motivation": "Trouver un distributeur.",
        "target_markets": "Intégrateurs de vision industrielle",
        "products": "Caméras infrarouges",
    }


def call_data(**overrides):
    data = {
        "call_fr": "Mission au Japon.", "application_deadline": timezone.now() + dt.timedelta(days=20),
        "places": 5, "cost_per_participant": Decimal("2800"), "cofunded_share": Decimal("40"),
        "cofunder": "Région Sud",
    }  # fmt: skip
    return {**data, **overrides}


# --- The call --------------------------------------------------------------------------------


def test_staff_write_the_call_of_a_trade_mission(staff):
    # given a trade mission event and two markets of the current taxonomy
    event = EventFactory(kind=EventKind.TRADE_MISSION, price_list=False)
    markets = list(competences_current(Facet.MARKET)[:2])
    # when staff write the call
    mission = services.mission_save(
        actor=staff, event=event, data=call_data(target_markets=markets)
    )
    # then it is saved with its markets and its split cost
    assert set(mission.target_markets.all()) == set(markets)
    assert (mission.cofunded_part, mission.participant_part) == (
        Decimal("1120.00"), Decimal("1680.00"),
    )  # fmt: skip
    assert audit_for(mission).get().action == "mission.create"


def test_call_refusals_name_their_field(staff):
    event = EventFactory(kind=EventKind.TRADE_MISSION, price_list=False)
    old = TaxonomyVersion.objects.create(code="2019.1")
    stale = Competence.objects.create(
        version=old, code="market.old", facet=Facet.MARKET, name_fr="Ancien", name_en="Old"
    )
    technology = competences_current(Facet.TECHNOLOGY).first()
    with pytest.raises(ValidationError) as refused:
        services.mission_save(
            actor=staff, event=event,
            data=call_data(call_fr=" ", places=0, target_markets=[stale, technology],
                           application_deadline=event.starts_at + dt.timedelta(hours=1),
                           cofunded_share=Decimal("120")),
        )  # fmt: skip
    assert refused.value.message_dict == {
        "call_fr": ["Write the call in French."],
        "application_deadline": ["Applications must close before departure."],
        "places": ["Offer at least one place."],
        "target_markets": ["Choose markets of the current taxonomy."],
        "cofunded_share": ["Ensure this value is less than or equal to 100."],
    }
    assert not Mission.objects.exists()


def test_only_a_trade_mission_has_a_call(staff):
    with pytest.raises(ValidationError) as refused:
        services.mission_save(actor=staff, event=EventFactory(), data=call_data())
    assert refused.value.messages == ["Only a trade mission has a call for participants."]


def test_places_cannot_drop_below_the_selected(staff):
    mission = MissionFactory()
    for _n in range(3):
        services.mission_decide(
            actor=staff, application=MissionApplicationFactory(mission=mission),
            decision=M.SELECTED,
        )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.mission_save(actor=staff, event=mission.event, data={"places": 2})
    assert refused.value.message_dict == {"places": ["3 participants are already selected."]}
    mission.refresh_from_db()
    assert mission.places == 4


# --- Applications ----------------------------------------------------------------------------


def test_a_contact_applies_and_is_told(
    member, member_org, staff, django_capture_on_commit_callbacks
):
    mission = MissionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.mission_apply(
            actor=member, mission=mission, organisation=member_org, data=application_data()
        )
    assert (application.status, application.person, application.cost) == (
        M.SUBMITTED, member.person, None,
    )  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.person.email, staff.email])
    assert audit_for(application).get().action == "mission.apply"


def test_application_refusals(member, member_org, other_member):
    mission = MissionFactory()
    with pytest.raises(PermissionDenied):
        services.mission_apply(
            actor=other_member, mission=mission, organisation=member_org, data=application_data()
        )
    services.mission_apply(
        actor=member, mission=mission, organisation=member_org, data=application_data()
    )
    with pytest.raises(ValidationError) as refused:
        services.mission_apply(
            actor=member, mission=mission, organisation=member_org,
            data={"motivation": "", "target_markets": "Japon", "products": " "},
        )  # fmt: skip
    assert refused.value.message_dict == {
        "organisation": ["This organisation has already applied."],
        "motivation": ["This field is required."],
        "products": ["This field is required."],
    }
    assert mission.applications.count() == 1


def test_applications_close_at_the_deadline(member, member_org):
    mission = MissionFactory(application_deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as refused:
        services.mission_apply(
            actor=member, mission=mission, organisation=member_org, data=application_data()
        )
    assert refused.value.messages == ["Applications for this mission are closed."]


# --- Selection -------------------------------------------------------------------------------


def test_selection_freezes_the_cost_share_and_tells_in_the_applicants_language(
    staff, django_capture_on_commit_callbacks
):
    # given an application by an English speaker to a mission at 3,000 €, half co-funded
    application = MissionApplicationFactory(person=PersonFactory(language="en"))
    mission = application.mission
    # when staff select it, then the call's cost changes
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_decide(actor=staff, application=application, decision=M.SELECTED)
    services.mission_save(
        actor=staff, event=mission.event, data={"cost_per_participant": Decimal("4000")}
    )
    # then the application keeps the cost share decided at selection
    application.refresh_from_db()
    assert (application.status, application.cost, application.cofunded) == (
        M.SELECTED, Decimal("3000.00"), Decimal("1500.00"),
    )  # fmt: skip
    assert application.participant_part == Decimal("1500.00")
    [message] = mail.outbox
    assert message.subject == f"You are selected for the mission {mission.event.title_en}"
    assert "Your part: 1,500.00 € excl. VAT" in message.body
    assert audit_for(application).get().action == "mission.selected"


def test_no_more_selected_than_places(staff, django_capture_on_commit_callbacks):
    mission = MissionFactory(places=1)
    first, second = MissionApplicationFactory.create_batch(2, mission=mission)
    services.mission_decide(actor=staff, application=first, decision=M.SELECTED)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        services.mission_decide(actor=staff, application=second, decision=M.SELECTED)
    assert refused.value.message_dict == {
        "decision": ["The 1 places are taken: put the application on the reserve list."]
    }
    second.refresh_from_db()
    assert second.status == M.SUBMITTED
    assert mail.outbox == []


def test_reserve_and_refusal_need_a_reason(staff, django_capture_on_commit_callbacks):
    application = MissionApplicationFactory()
    with pytest.raises(ValidationError) as refused:
        services.mission_decide(actor=staff, application=application, decision=M.RESERVE)
    assert refused.value.message_dict == {
        "reason": ["Give the reason: it is sent to the applicant."]
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_decide(
            actor=staff, application=application, decision=M.REFUSED,
            reason="Marché cible hors du périmètre.",
        )  # fmt: skip
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (
        M.REFUSED, "Marché cible hors du périmètre.",
    )  # fmt: skip
    [message] = mail.outbox
    assert "Marché cible hors du périmètre." in message.body


def test_a_reserve_is_selected_when_a_place_frees(staff, member, member_org):
    # given a one-place mission: a selected participant and one on the reserve list
    mission = MissionFactory(places=1)
    selected = services.mission_apply(
        actor=member, mission=mission, organisation=member_org, data=application_data()
    )
    services.mission_decide(actor=staff, application=selected, decision=M.SELECTED)
    reserve = MissionApplicationFactory(mission=mission)
    services.mission_decide(actor=staff, application=reserve, decision=M.RESERVE, reason="Complet")
    # when the selected one withdraws, the reserve is selected
    services.mission_withdraw(actor=member, application=selected)
    services.mission_decide(actor=staff, application=reserve, decision=M.SELECTED)
    # then the delegation is the former reserve, and the withdrawn one has no cost share
    selected.refresh_from_db()
    assert (selected.status, selected.cost) == (M.WITHDRAWN, None)
    assert delegation(mission) == [reserve]


def test_decisions_follow_the_transitions(staff):
    application = MissionApplicationFactory(status=M.REFUSED)
    with pytest.raises(ValidationError) as refused:
        services.mission_decide(actor=staff, application=application, decision=M.SELECTED)
    assert refused.value.message_dict == {
        "decision": ["An application cannot go from “Not selected” to “Selected”."]
    }


def test_a_member_cannot_decide(member):
    application = MissionApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.mission_decide(actor=member, application=application, decision=M.SELECTED)
    application.refresh_from_db()
    assert application.status == M.SUBMITTED


def test_only_the_applicant_or_their_admin_withdraws(member, org_admin, other_member, member_org):
    application = services.mission_apply(
        actor=member, mission=MissionFactory(), organisation=member_org, data=application_data()
    )
    with pytest.raises(PermissionDenied):
        services.mission_withdraw(actor=other_member, application=application)
    services.mission_withdraw(actor=org_admin, application=application)
    application.refresh_from_db()
    assert application.status == M.WITHDRAWN
    with pytest.raises(ValidationError) as again:
        services.mission_withdraw(actor=member, application=application)
    assert again.value.messages == ["This application is no longer open."]


# --- Lists -----------------------------------------------------------------------------------


def test_delegation_list_and_export(staff, django_assert_max_num_queries):
    # given a mission with two selected participants and one waiting for a decision
    mission = MissionFactory()
    for name in ["Zeta Optique", "Alpha Laser"]:
        services.mission_decide(
            actor=staff, decision=M.SELECTED,
            application=MissionApplicationFactory(mission=mission, organisation__name=name),
        )  # fmt: skip
    MissionApplicationFactory(mission=mission)
    # when the delegation is read
    with django_assert_max_num_queries(1):
        selected = delegation(mission)
    with django_assert_max_num_queries(1):
        listed = list(mission_application_list(mission))
    rows = delegation_rows(mission, selected)
    # then it is by organisation name, with the totals of the frozen cost shares
    assert [a.organisation.name for a in selected] == ["Alpha Laser", "Zeta Optique"]
    assert [a.status for a in listed] == [M.SUBMITTED, M.SELECTED, M.SELECTED]
    assert rows[-1] == [
        "Total", "", "", "", "", Decimal("6000.00"), Decimal("3000.00"), Decimal("3000.00"), "", "",
    ]  # fmt: skip
