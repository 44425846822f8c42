"""Staff exports: the attendee list (CSV, XLSX) with answers and member status on the event
date, the floor list and the delegation."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from grappe.events.models import Question, QuestionKind, RegistrationStatus
from grappe.events.services.exports import attendee_rows
from grappe.events.tests.factories import (
    BoothFactory,
    EventFactory,
    ExhibitorApplicationFactory,
    MissionApplicationFactory,
    RegistrationFactory,
)
from grappe.members.models import MembershipStatus
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """An event on 10 June 2031 with two questions and two registrations: one for a member
    organisation whose membership covers the date, one for an organisation whose does not."""
    start = timezone.make_aware(dt.datetime(2031, 6, 10, 9))
    event = EventFactory(
        slug="journee-lasers-2031", starts_at=start, ends_at=start + dt.timedelta(hours=8),
        registration_closes_at=None, cancellation_deadline=None,
    )  # fmt: skip
    diet = Question.objects.create(event=event, label_fr="Régime", label_en="Diet", kind="text")
    workshops = Question.objects.create(
        event=event, label_fr="Ateliers", label_en="Workshops", kind=QuestionKind.CHOICES,
        choices_fr="Matin\nSoir", position=1,
    )  # fmt: skip
    member = OrganisationFactory(name="Lumière Marseille")
    MembershipFactory(organisation=member, year=2031, start=dt.date(2031, 1, 1),
                      end=dt.date(2031, 12, 31))  # fmt: skip
    lapsed = OrganisationFactory(name="Ancien Adhérent")
    MembershipFactory(organisation=lapsed, year=2031, status=MembershipStatus.RESIGNED,
                      start=dt.date(2031, 1, 1), end=dt.date(2031, 3, 31))  # fmt: skip
    RegistrationFactory(
        event=event, organisation=member, person__first_name="Léa", person__last_name="Arnaud",
        person__email="lea@example.org", code="AAAA1111", amount=Decimal("90.00"),
        answers={str(diet.pk): "Végétarien", str(workshops.pk): ["Matin", "Soir"]},
    )  # fmt: skip
    RegistrationFactory(
        event=event, organisation=lapsed, person__first_name="=cmd|calc", person__last_name="Bru",
        person__email="bru@example.org", code="BBBB2222",
        status=RegistrationStatus.WAITLISTED, waitlisted_at=timezone.now(),
    )  # fmt: skip
    return event


def test_attendee_rows_say_who_is_a_member_on_the_event_date(event, django_assert_max_num_queries):
    # when the rows are made
    registrations = event.registrations.select_related("person", "organisation", "ticket")
    with translation.override("en"), django_assert_max_num_queries(3):
        rows = attendee_rows(event, registrations.order_by("person__last_name"),
                             list(event.questions.all()))  # fmt: skip
    # then the header lists the questions; members are judged on 10 June 2031
    assert rows[0][-2:] == ["Diet", "Workshops"]
    assert rows[0][:5] == ["Last name", "First name", "E-mail", "Organisation",
                           "Member on the event date"]  # fmt: skip
    lea, bru = rows[1], rows[2]
    assert lea[:8] == ["Arnaud", "Léa", "lea@example.org", "Lumière Marseille", True,
                       "Non-member", "Confirmed", Decimal("90.00")]  # fmt: skip
    assert lea[-2:] == ["Végétarien", "Matin; Soir"]
    assert (bru[4], bru[6], bru[-2:]) == (False, "On the waitlist", ["", ""])


def test_csv_export_keeps_the_filters_and_neutralises_formulas(login, staff, event):
    # when staff export the waitlist as CSV (French: semicolons)
    response = login(staff).get(
        reverse("events_staff:attendees_export", args=[event.pk, "csv"]), {"status": "waitlisted"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    # then it is an attachment with the header and the one waiting person, formula disarmed
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="journee-lasers-2031-attendees.csv"'
    )
    assert len(lines) == 2
    assert lines[1].startswith("Bru;'=cmd|calc;bru@example.org;Ancien Adhérent;no;")


def test_xlsx_export(login, staff, event):
    response = login(staff).get(reverse("events_staff:attendees_export", args=[event.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [row[0] for row in values] == ["Nom", "Arnaud", "Bru"]
    assert values[2][1] == "=cmd|calc"  # a string cell, never run as a formula
    assert sheet.cell(row=3, column=2).data_type == "s"


def test_unknown_format_is_not_found(login, staff, event):
    response = login(staff).get(reverse("events_staff:attendees_export", args=[event.pk, "pdf"]))
    assert response.status_code == 404


def test_floor_and_delegation_exports(login, staff):
    client = login(staff)
    application = ExhibitorApplicationFactory(organisation__name="Photon Nice")
    booth = BoothFactory(pavilion=application.pavilion, label="A1")
    from grappe.events.services.fairs import exhibitor_allocate

    exhibitor_allocate(actor=staff, application=application, booth=booth)
    fair = application.pavilion.event
    floor = client.get(reverse("events_staff:floor_export", args=[fair.pk, "xlsx"]))
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(floor.content)).active.iter_rows()
    ]
    assert rows[1][:7] == ["A1", "Photon Nice", 9, "no", 3600, 1800, 1800]
    assert rows[2][0] == "Total"

    selected = MissionApplicationFactory(status="selected", cost=Decimal("3000"),
                                         cofunded=Decimal("1500"))  # fmt: skip
    mission_event = selected.mission.event
    response = client.get(reverse("events_staff:delegation_export", args=[mission_event.pk, "csv"]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    assert ";3000,00;1500,00;1500,00;" in lines[1]
