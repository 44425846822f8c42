"""The portfolio of labelled projects (staff page) and the public section of /figures/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from grappe.insights.figures import FiguresContext, Period
from grappe.members.models import Competence, MembershipStatus, OrgKind, SizeClass
from grappe.members.tests.factories import MembershipFactory, OrganisationFactory
from grappe.projects.figures import projects_section
from grappe.projects.models import Decision, FundingScheme, PartnerRole, RequestStatus, Stage
from grappe.projects.selectors.portfolio import portfolio_for
from grappe.projects.tests.factories import PartnerFactory, RequestFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def labelled(year: int, scheme=FundingScheme.PSPC, *, outcome="", aid=(100, 50), **extra):
    """A full proposal labelled in `year`: an SME member coordinator, a lab outside members."""
    decided = timezone.make_aware(dt.datetime(year, 6, 15, 10))
    request = RequestFactory(
        scheme=scheme, decision=extra.pop("decision", Decision.LABELLED), decided_at=decided,
        status=RequestStatus.CLOSED, outcome=outcome, total_budget=Decimal(1000), **extra,
    )  # fmt: skip
    sme = OrganisationFactory(kind=OrgKind.SME)
    MembershipFactory(organisation=sme, year=year, status=MembershipStatus.ACTIVE)
    obtained = (Decimal(aid[0]), Decimal(aid[1])) if outcome == "funded" else (None, None)
    PartnerFactory(
        request=request, organisation=sme, role=PartnerRole.COORDINATOR, budget=Decimal(600),
        requested_aid=Decimal(300), obtained_aid=obtained[0],
    )  # fmt: skip
    PartnerFactory(
        request=request, organisation=None, name="Labo", kind=OrgKind.LAB, size_class="",
        budget=Decimal(400), requested_aid=Decimal(200), obtained_aid=obtained[1],
    )  # fmt: skip
    return request


def test_the_portfolio_adds_up_by_year_and_scheme():
    # given projects labelled this year and last year, one funded, one not, one support letter
    labelled(YEAR, outcome="funded")
    labelled(YEAR, FundingScheme.IDEMO, outcome="not_funded")
    labelled(YEAR - 1)
    labelled(YEAR, FundingScheme.HORIZON, decision=Decision.SUPPORT_LETTER)
    labelled(YEAR, stage=Stage.PRE_PROPOSAL)  # an opinion, not a label
    labelled(YEAR - 9)  # outside the five years
    # when staff open the portfolio
    portfolio = portfolio_for()
    # then each year and scheme adds up
    this = portfolio.per_year[YEAR]
    assert (this.labelled, this.support_letters, this.budget, this.requested, this.obtained) == (
        2, 1, Decimal(2000), Decimal(1000), Decimal(150),
    )  # fmt: skip
    assert (this.funded, this.not_funded, this.success_rate) == (1, 1, Decimal("50.0"))
    assert portfolio.per_year[YEAR - 1].labelled == 1
    assert [(code, t.labelled, t.support_letters) for code, _label, t in portfolio.per_scheme] == [
        ("pspc", 2, 0), ("idemo", 1, 0), ("horizon", 0, 1),
    ]  # fmt: skip
    assert portfolio.total.labelled == 3
    assert len(portfolio.projects) == 3


def test_partners_are_counted_by_kind_and_membership():
    labelled(YEAR)
    labelled(YEAR)
    involvement = portfolio_for().involvement[YEAR]
    assert (
        involvement.partnerships, involvement.organisations, involvement.platform,
        involvement.members, involvement.non_members, involvement.smes, involvement.labs,
    ) == (4, 2, 2, 2, 2, 2, 2)  # fmt: skip


def test_markets_and_technologies_count_labelled_projects():
    market = Competence.objects.filter(version__is_current=True, facet="market").first()
    technology = Competence.objects.filter(version__is_current=True, facet="technology").first()
    first, second = labelled(YEAR), labelled(YEAR - 1)
    first.competences.add(market, technology)
    second.competences.add(market)
    portfolio = portfolio_for()
    assert portfolio.markets == [(market.name_en, {YEAR: 1, YEAR - 1: 1})]
    assert portfolio.technologies == [(technology.name_en, {YEAR: 1})]


def _queries(build) -> int:
    with CaptureQueriesContext(connection) as queries:
        build()
    return len(queries)


def test_the_portfolio_and_the_section_run_a_fixed_number_of_queries():
    labelled(YEAR, outcome="funded")
    few_page = _queries(portfolio_for)
    few_section = _queries(lambda: projects_section(_context(staff=False)))
    for offset in range(6):
        labelled(YEAR - offset % 3, FundingScheme.IDEMO, outcome="funded")
    assert _queries(portfolio_for) == few_page
    assert _queries(lambda: projects_section(_context(staff=False))) == few_section


def _context(staff: bool) -> FiguresContext:
    return FiguresContext(period=Period(year=YEAR, today=timezone.localdate()), staff=staff)


def test_the_public_section_hides_amounts_behind_fewer_than_three_projects():
    # given two labelled projects this year and three the year before
    labelled(YEAR, outcome="funded")
    labelled(YEAR)
    for _ in range(3):
        labelled(YEAR - 1, outcome="funded")
    # when the public figures are built
    section = projects_section(_context(staff=False))
    by_year = {t.key: t for t in section.tables}["projects-by-year"]
    rows = {row.label: row.cells for row in by_year.rows}
    # then this year's amounts are hidden, last year's shown; counts are always public
    this, last = rows[str(YEAR)], rows[str(YEAR - 1)]
    assert [c.value for c in this[:2]] == [2, 0]
    assert [c.suppressed for c in this[2:5]] == [True, True, True]
    assert [c.value for c in last[2:5]] == [Decimal(3000), Decimal(1500), Decimal(450)]
    assert not any(c.suppressed for c in last)
    # and staff see every amount
    staff_rows = {
        row.label: row.cells
        for row in {t.key: t for t in projects_section(_context(staff=True)).tables}[
            "projects-by-year"
        ].rows
    }
    assert [c.value for c in staff_rows[str(YEAR)][2:5]] == [
        Decimal(2000), Decimal(1000), Decimal(150),
    ]  # fmt: skip


def test_no_section_without_any_labelled_project():
    assert projects_section(_context(staff=False)) is None


def test_the_figures_page_shows_the_section(client):
    for _ in range(3):
        labelled(YEAR, outcome="funded")
    response = client.get(reverse("insights:figures"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Labelled projects per year" in content


def test_the_staff_portfolio_page(client, staff, django_assert_max_num_queries):
    for _ in range(4):
        labelled(YEAR)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("projects:staff_portfolio"))
    assert response.status_code == 200
    assert response.context["portfolio"].per_year[YEAR].labelled == 4


def test_sme_count_follows_the_declared_size():
    request = labelled(YEAR)
    request.partners.filter(role=PartnerRole.COORDINATOR).update(size_class=SizeClass.LARGE)
    assert portfolio_for().involvement[YEAR].smes == 0
