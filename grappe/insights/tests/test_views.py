import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grappe.members.models import MembershipStatus
from grappe.members.tests.factories import (
    FiguresFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC = reverse("insights:figures")
STAFF = reverse("insights:staff")
THIS_YEAR = timezone.localdate().year


def csv_url(key):
    return reverse("insights:csv", args=[key])


def members(count, name_prefix="Membre", turnover=Decimal("2000000.00")):
    """`count` organisations, members last year and this year, with last year's figures."""
    created = []
    for index in range(count):
        organisation = OrganisationFactory(name=f"{name_prefix} {index}")
        MembershipFactory(organisation=organisation, year=THIS_YEAR - 1)
        MembershipFactory(organisation=organisation, year=THIS_YEAR)
        FiguresFactory(organisation=organisation, year=THIS_YEAR - 1, turnover=turnover)
        created.append(organisation)
    return created


def test_public_page_shows_accessible_tables_with_bars(visitor):
    # given three members
    members(3)
    # when a visitor opens the figures
    response = visitor.get(PUBLIC, HTTP_ACCEPT_LANGUAGE="en")
    # then accessible tables with CSS bars are shown, and no staff link or amount
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>The cluster in figures, {THIS_YEAR}</h1>" in html
    assert '<caption id="members-by-kind-caption">Members by kind of organisation</caption>' in html
    assert '<th scope="col">Kind</th>' in html
    assert '<th scope="row">SME</th>' in html
    assert '<span class="bar" style="width: 100.0%"></span>' in html
    assert "Turnover (€)" not in html
    assert "Membre 0" not in html
    assert "6,000,000" not in html
    assert STAFF not in html


def test_public_page_in_french_formats_numbers(visitor):
    members(3)
    response = visitor.get(PUBLIC, HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Organisations adhérentes" in html
    assert "100,0\u202f%" in html
    assert 'style="width: 100.0%"' in html


def test_staff_page_is_refused_to_others(visitor, member, login):
    assert visitor.get(STAFF)["Location"] == f"/accounts/login/?next={STAFF}"
    assert login(member).get(STAFF).status_code == 403
    assert login(member).get(csv_url("members-by-kind")).status_code == 403


def test_csv_is_refused_to_visitors(visitor):
    response = visitor.get(csv_url("members-by-kind"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_page_shows_amounts_and_names(staff, login):
    # given three members that joined last year
    members(3, name_prefix="Zéphyr")
    # when staff open their view of last year
    response = login(staff).get(STAFF, {"year": THIS_YEAR - 1}, HTTP_ACCEPT_LANGUAGE="en")
    # then amounts, names and CSV links are there
    html = response.content.decode()
    assert response.status_code == 200
    assert "Turnover (€)" in html
    assert "6,000,000 €" in html
    assert '<th scope="row">Zéphyr 0</th>' in html
    assert csv_url("joins-list") + f"?year={THIS_YEAR - 1}" in html


def test_staff_csv_export_of_a_table(staff, login):
    # given members, one of whose names looks like a formula
    members(2)
    hostile = OrganisationFactory(name='=HYPERLINK("http://evil.example","x")')
    MembershipFactory(organisation=hostile, year=THIS_YEAR)
    # when staff download the list of joins
    response = login(staff).get(csv_url("joins-list"), HTTP_ACCEPT_LANGUAGE="en")
    # then it is a UTF-8 CSV with a BOM, and the formula is neutralised
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="joins-list-{THIS_YEAR}.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "\ufeffOrganisation,Year,Kind,Region"
    assert lines[1] == (
        f'"\'=HYPERLINK(""http://evil.example"",""x"")",{THIS_YEAR},SME,Provence-Alpes-Côte d\'Azur'
    )
    assert lines[2:] == [
        f"Membre 0,{THIS_YEAR - 1},SME,Provence-Alpes-Côte d'Azur",
        f"Membre 1,{THIS_YEAR - 1},SME,Provence-Alpes-Côte d'Azur",
    ]


def test_unknown_csv_table_is_not_found(staff, login):
    assert login(staff).get(csv_url("no-such-table")).status_code == 404


def test_an_unknown_year_falls_back_to_the_current_one(visitor):
    members(1)
    response = visitor.get(PUBLIC, {"year": "1850"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["period"].year == THIS_YEAR
    response = visitor.get(PUBLIC, {"year": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["period"].year == THIS_YEAR


@pytest.mark.parametrize("count", [3, 40])
def test_figures_pages_run_a_fixed_number_of_queries(
    count, staff, login, django_assert_max_num_queries
):
    # given many organisations with memberships, departures and figures
    for organisation in members(count):
        MembershipFactory(
            organisation=organisation,
            year=THIS_YEAR - 2,
            status=MembershipStatus.LAPSED,
            end=dt.date(THIS_YEAR - 2, 6, 30),
        )
    client = login(staff)
    # then each page runs the same handful of queries whatever their number
    with django_assert_max_num_queries(16):
        assert client.get(STAFF).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(PUBLIC).status_code == 200
