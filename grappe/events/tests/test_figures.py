"""The events section of /figures/: aggregates for the public, more for staff."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from grappe.events.figures import events_section
from grappe.events.models import EventStatus
from grappe.events.tests.factories import EventFactory, RegistrationFactory
from grappe.insights.figures import FiguresContext, Period
from grappe.insights.selectors import SECTIONS
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST, BEFORE = TODAY.year - 1, TODAY.year - 2


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def event_on(day: dt.date, **fields):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return EventFactory(
        starts_at=start, ends_at=start + dt.timedelta(hours=8), registration_opens_at=None,
        registration_closes_at=None, cancellation_deadline=None, **fields,
    )  # fmt: skip


def context(staff: bool) -> FiguresContext:
    return FiguresContext(period=Period(year=LAST, today=TODAY, span=2), staff=staff)


@pytest.fixture
def last_year():
    """Two events of last year with a member organisation and a person without one; an
    event the year before; a cancelled event."""
    member = OrganisationFactory(name="Adhérent")
    MembershipFactory(organisation=member, year=LAST, start=dt.date(LAST, 1, 1),
                      end=dt.date(LAST, 12, 31))  # fmt: skip
    for day in (dt.date(LAST, 3, 1), dt.date(LAST, 5, 1)):
        event = event_on(day)
        RegistrationFactory(event=event, organisation=member, checked_in_at=event.starts_at)
        RegistrationFactory(event=event)
    RegistrationFactory(event=event_on(dt.date(BEFORE, 5, 1)))
    event_on(dt.date(LAST, 6, 1), status=EventStatus.CANCELLED)


def test_the_section_is_registered_by_the_app():
    assert events_section in SECTIONS


def test_the_public_sees_aggregates_per_year(last_year):
    section = events_section(context(staff=False))
    [table] = section.tables
    rows = {row.label: [cell.value for cell in row.cells] for row in table.rows}
    # events, participants, checked in, attendance, organisations, share from members
    assert rows == {
        str(BEFORE): [1, 1, 0, Decimal("0.0"), 0, Decimal("0.0")],
        str(LAST): [2, 4, 2, Decimal("50.0"), 1, Decimal("50.0")],
    }
    assert [(k.label, k.cell.value) for k in section.kpis] == [
        ("Events", 2), ("Participants", 4), ("Organisations reached", 1),
        ("Attendance rate", Decimal("50.0")),
    ]  # fmt: skip


def test_staff_also_see_the_year_by_kind_and_by_event(last_year):
    section = events_section(context(staff=True))
    assert [t.key for t in section.tables] == ["events-per-year", "events-by-kind", "events-list"]
    by_kind = section.tables[1]
    assert [row.label for row in by_kind.rows] == ["Conference", "Total"]
    assert len(section.tables[2].rows) == 2


def test_no_section_without_events():
    assert events_section(context(staff=False)) is None


def test_the_figures_page_shows_the_section(visitor, last_year):
    response = visitor.get(reverse("insights:figures"), {"year": LAST}, HTTP_ACCEPT_LANGUAGE="en")
    assert "events" in [section.key for section in response.context["sections"]]
