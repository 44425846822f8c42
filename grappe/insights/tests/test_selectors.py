import datetime as dt
from decimal import Decimal

import pytest

from grappe.insights.figures import FiguresContext, Period
from grappe.insights.sections.economy import economy_table, figures_per_year
from grappe.insights.sections.members import dimensions, member_counts, members_per_year
from grappe.insights.sections.movements import movement_lists, movements_per_year
from grappe.insights.selectors import (
    SECTIONS,
    figures_period,
    figures_sections,
    figures_table,
    figures_years,
    public_headline,
    register_section,
)
from grappe.members.models import College, MembershipStatus, OrgKind, SizeClass
from grappe.members.tests.factories import (
    FiguresFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

S = MembershipStatus
TODAY = dt.date(2026, 6, 15)


def context(staff: bool = False, year: int = 2026, today: dt.date = TODAY) -> FiguresContext:
    return FiguresContext(period=Period(year=year, today=today, span=6), staff=staff)


def member(organisation, year, status=S.ACTIVE, start=None, end=None, college=College.SME):
    return MembershipFactory(
        organisation=organisation,
        year=year,
        status=status,
        start=start or dt.date(year, 1, 1),
        end=end or dt.date(year, 12, 31),
        college=college,
    )


def dimension(key):
    return next(d for d in dimensions() if d.key == key)


def test_period_years_and_reference_dates():
    # given the current year seen in June 2026, and 2024 seen the same day
    current = Period(year=2026, today=TODAY)
    past = Period(year=2024, today=TODAY)
    # then five years are shown, counted on 31 December, or today for the current year
    assert current.years == (2022, 2023, 2024, 2025, 2026)
    assert current.reference_date(2025) == dt.date(2025, 12, 31)
    assert current.reference_date(2026) == TODAY
    assert past.years == (2020, 2021, 2022, 2023, 2024)
    assert past.reference_date(2024) == dt.date(2024, 12, 31)
    assert past.is_current is False
    assert current.is_current is True


def test_a_member_is_counted_when_active_on_the_reference_date():
    # given memberships of several shapes
    whole_years = OrganisationFactory()
    member(whole_years, 2025)
    member(whole_years, 2026)
    resigned_in_june = OrganisationFactory()
    member(resigned_in_june, 2025, status=S.RESIGNED, end=dt.date(2025, 6, 30))
    approved_not_paid = OrganisationFactory()
    member(approved_not_paid, 2025, status=S.APPROVED)
    joins_in_september = OrganisationFactory()
    member(joins_in_september, 2026, start=dt.date(2026, 9, 1))
    joined_in_march = OrganisationFactory()
    member(joined_in_march, 2026, start=dt.date(2026, 3, 1))
    # when counting members per year on 15 June 2026
    counts = members_per_year(context())
    # then 2025 counts the member on 31 December only, 2026 the members active today
    assert counts == {2021: 0, 2022: 0, 2023: 0, 2024: 0, 2025: 1, 2026: 2}


def test_members_by_kind_college_size_and_region_per_year():
    # given a lab member since 2024 and an SME member in 2025 and 2026 whose collège changed
    lab = OrganisationFactory(kind=OrgKind.LAB, region="FRJ2", size_class=SizeClass.MEDIUM)
    member(lab, 2024, college=College.RESEARCH)
    member(lab, 2025, college=College.RESEARCH)
    member(lab, 2026, college=College.RESEARCH)
    firm = OrganisationFactory(kind=OrgKind.SME, region="FRL0", size_class=SizeClass.MEDIUM)
    member(firm, 2025, college=College.SME)
    member(firm, 2026, college=College.LARGE)
    # the firm was small in 2024 and 2025 by its declared figures, medium from 2026
    FiguresFactory(organisation=firm, year=2024, size_class=SizeClass.SMALL)
    FiguresFactory(organisation=firm, year=2026, size_class=SizeClass.MEDIUM)
    ctx = context()
    # then each breakdown counts organisations per year
    assert dict(member_counts(ctx, dimension("kind"))) == {
        2024: {"lab": 1},
        2025: {"lab": 1, "sme": 1},
        2026: {"lab": 1, "sme": 1},
    }
    assert dict(member_counts(ctx, dimension("college"))) == {
        2024: {"research": 1},
        2025: {"research": 1, "sme": 1},
        2026: {"research": 1, "large": 1},
    }
    # and the size class is the one of that year's figures (or the latest before it)
    assert dict(member_counts(ctx, dimension("size"))) == {
        2024: {"medium": 1},
        2025: {"medium": 1, "small": 1},
        2026: {"medium": 2},
    }
    assert dict(member_counts(ctx, dimension("region"))) == {
        2024: {"FRJ2": 1},
        2025: {"FRJ2": 1, "FRL0": 1},
        2026: {"FRJ2": 1, "FRL0": 1},
    }


def test_breakdown_table_rows_shares_and_total():
    # given three members today: two SMEs, one lab
    for kind in (OrgKind.SME, OrgKind.SME, OrgKind.LAB):
        member(OrganisationFactory(kind=kind), 2026)
    # when the kind table is built
    table = figures_table(period=Period(year=2026, today=TODAY, span=6), key="members-by-kind")
    # then every kind is listed with its count per year and its share today
    assert table.columns[-1] == "Share in 2026"
    rows = {row.label: row for row in table.rows}
    assert [c.value for c in rows["SME"].cells] == [0, 0, 0, 0, 0, 2, Decimal("66.7")]
    assert rows["SME"].cells[-1].bar == Decimal("66.7")
    assert [c.value for c in rows["Research lab"].cells][-2:] == [1, Decimal("33.3")]
    assert rows["Start-up"].cells[-2].value == 0
    assert table.rows[-1].label == "All members"
    assert table.rows[-1].is_total is True
    assert [c.value for c in table.rows[-1].cells] == [0, 0, 0, 0, 0, 3, Decimal("100.0")]


def movement_scenario():
    p = OrganisationFactory(name="P")  # 2021–2022, a gap, 2024, resigned in 2025
    member(p, 2021)
    member(p, 2022)
    member(p, 2024)
    member(p, 2025, status=S.RESIGNED, end=dt.date(2025, 3, 31))
    q = OrganisationFactory(name="Q")  # 2021, lapsed 2022, back in 2023 only
    member(q, 2021)
    member(q, 2022, status=S.LAPSED)
    member(q, 2023)
    r = OrganisationFactory(name="R")  # applied then refused: never held
    member(r, 2024, status=S.REFUSED)
    member(r, 2025, status=S.APPLIED)
    s = OrganisationFactory(name="S")  # 2025 and the current year
    member(s, 2025)
    member(s, 2026)
    t = OrganisationFactory(name="T")  # since 2020, resigned this year
    member(t, 2020)
    for year in range(2021, 2026):
        member(t, year)
    member(t, 2026, status=S.RESIGNED, end=dt.date(2026, 4, 30))
    u = OrganisationFactory(name="U")  # admitted this year, not paid yet
    member(u, 2026, status=S.APPROVED)


def test_joins_and_departures_follow_the_definition():
    # given the scenario of the docstring of movements.py
    movement_scenario()
    # when counting joins and departures per year, on 15 June 2026
    movements = movements_per_year(context())
    # then
    assert {year: movements[year] for year in range(2021, 2027)} == {
        2021: {"joins": 2, "departures": 0},  # P, Q join (T continues from 2020)
        2022: {"joins": 0, "departures": 2},  # P not renewed, Q lapsed
        2023: {"joins": 1, "departures": 1},  # Q back after its lapsed year, not renewed
        2024: {"joins": 1, "departures": 0},  # P back after a gap
        2025: {"joins": 1, "departures": 1},  # S joins, P resigned
        2026: {"joins": 1, "departures": 1},  # U admitted; T resigned (S's year is not over)
    }


def test_staff_lists_name_who_joined_and_who_left():
    # given the movement scenario
    movement_scenario()
    # when staff list them
    joins, departures = movement_lists(context(staff=True))
    # then names, years and how they left are given, newest first
    assert [(r.label, r.cells[0].value) for r in joins.rows] == [
        ("U", "2026"), ("S", "2025"), ("P", "2024"), ("Q", "2023"), ("P", "2021"), ("Q", "2021"),
    ]  # fmt: skip
    assert [(r.label, r.cells[0].value, r.cells[1].value) for r in departures.rows] == [
        ("T", "2026", "Resigned"),
        ("P", "2025", "Resigned"),
        ("Q", "2023", "Not renewed"),
        ("P", "2022", "Not renewed"),
        ("Q", "2022", "Lapsed"),
    ]


def test_public_sections_have_no_names():
    # given the movement scenario
    movement_scenario()
    # then the public sections only carry counts
    keys = [t.key for s in figures_sections(period=context().period, staff=False) for t in s.tables]
    assert "joins-list" not in keys
    assert "departures-list" not in keys
    staff_keys = [
        t.key for s in figures_sections(period=context().period, staff=True) for t in s.tables
    ]
    assert {"joins-list", "departures-list"} <= set(staff_keys)


def economy_scenario():
    x, y, z, w, v = (OrganisationFactory(name=name) for name in "XYZWV")
    for organisation in (x, y, z):
        member(organisation, 2024)
        member(organisation, 2025)
    member(w, 2025)

    def declare(organisation, year, headcount, turnover, export, rnd):
        FiguresFactory(
            organisation=organisation, year=year, headcount=headcount,
            turnover=Decimal(turnover), export_share=Decimal(export), rnd_spend=Decimal(rnd),
        )  # fmt: skip

    declare(x, 2024, 10, 1_000_000, 50, 100_000)
    declare(y, 2024, 20, 3_000_000, 10, 300_000)
    declare(z, 2024, 5, 1_000_000, 0, 0)
    declare(x, 2025, 12, 1_200_000, 50, 120_000)
    declare(y, 2025, 22, 3_300_000, 20, 330_000)
    declare(w, 2025, 3, 500_000, 100, 50_000)
    declare(v, 2025, 900, 99_000_000, 90, 9_000_000)  # not a member: never counted
    declare(w, 2024, 3, 400_000, 100, 40_000)  # not a member in 2024: not counted


def test_economy_aggregates_only_members_that_declared():
    # given three members declaring in 2024, three in 2025 (one of them new)
    economy_scenario()
    # when aggregating per year
    figures = figures_per_year(context(staff=True, year=2025))
    # then only members' declarations of the year count
    year_2024, year_2025 = figures[2024], figures[2025]
    assert (year_2024.declarants, year_2024.headcount) == (3, 35)
    assert year_2024.turnover == Decimal("5000000.00")
    assert year_2024.export_share == Decimal("16.0")
    assert year_2024.rnd_share == Decimal("8.0")
    assert (year_2025.declarants, year_2025.headcount) == (3, 37)
    assert year_2025.turnover == Decimal("5000000.00")
    assert year_2025.export_turnover == Decimal("1760000.00")
    assert year_2025.export_share == Decimal("35.2")
    assert year_2025.rnd_spend == Decimal("500000.00")
    assert year_2025.rnd_share == Decimal("10.0")
    # and like-for-like growth compares X, Y and W, members in 2025 that declared both years
    # (W was not a member in 2024: its 2024 turnover still counts as the year before)
    assert year_2025.comparable == 3
    assert year_2025.comparable_previous == Decimal("4400000.00")
    assert year_2025.like_for_like_growth == Decimal("13.6")
    assert figures[2023].declarants == 0


def test_economy_table_for_staff_has_amounts_and_growth():
    economy_scenario()
    table = economy_table(context(staff=True, year=2025))
    assert table.columns == (
        "Members", "Declaring members", "Coverage", "Headcount", "Turnover (€)",
        "Export turnover (€)", "R&D spend (€)", "Turnover growth", "Like-for-like growth",
        "Export share", "R&D share",
    )  # fmt: skip
    row = {r.label: [c.value for c in r.cells] for r in table.rows}["2025"]
    assert row == [
        4, 3, Decimal("75.0"), 37, Decimal("5000000.00"), Decimal("1760000.00"),
        Decimal("500000.00"), Decimal("0.0"), Decimal("13.6"), Decimal("35.2"), Decimal("10.0"),
    ]  # fmt: skip


def test_public_economy_table_has_no_amounts_and_suppresses_small_cells():
    # given the scenario and a year (2023) in which only two members declared
    economy_scenario()
    a, b = OrganisationFactory(), OrganisationFactory()
    for organisation in (a, b):
        member(organisation, 2023)
        FiguresFactory(organisation=organisation, year=2023, turnover=Decimal(1_000_000))
    # when the public table is built
    table = economy_table(context(staff=False, year=2025))
    # then no euro column, and cells from fewer than 3 declarants are suppressed
    assert "Turnover (€)" not in table.columns
    assert table.columns == (
        "Members", "Declaring members", "Coverage", "Headcount", "Turnover growth",
        "Like-for-like growth", "Export share", "R&D share",
    )  # fmt: skip
    rows = {r.label: r.cells for r in table.rows}
    assert [c.suppressed for c in rows["2023"]] == [
        False, False, False, True, False, False, True, True,
    ]  # fmt: skip
    assert rows["2023"][4].value is None  # no growth: nobody declared in 2022
    # 2024 growth compares 3 declarants with 2: suppressed; 2025 is published
    assert rows["2024"][4].suppressed is True
    assert [c.value for c in rows["2025"]] == [
        4, 3, Decimal("75.0"), 37, Decimal("0.0"), Decimal("13.6"), Decimal("35.2"),
        Decimal("10.0"),
    ]  # fmt: skip
    assert not any(c.suppressed for c in rows["2025"])


def test_economy_kpis_use_the_latest_year_with_enough_declarants():
    # given declarations for 2024 and 2025 and none yet for 2026
    economy_scenario()
    member(OrganisationFactory(), 2026)
    sections = figures_sections(period=Period(year=2026, today=TODAY, span=6), staff=False)
    economy = next(s for s in sections if s.key == "economy")
    # then the public KPIs are those of 2025
    assert [(k.label, k.cell.value, k.detail) for k in economy.kpis] == [
        ("Jobs", 37, "2025, 3 declaring members"),
        ("Export share", Decimal("35.2"), "2025, 3 declaring members"),
        ("R&D share", Decimal("10.0"), "2025, 3 declaring members"),
        ("Turnover growth", Decimal("0.0"), "2025, 3 declaring members"),
    ]


def test_sections_are_listed_in_order_and_can_be_extended():
    # given a later feature registering its own section
    from grappe.insights.figures import Section

    def events_section(context):
        return Section(key="events", title="Events")

    register_section(events_section)
    try:
        sections = figures_sections(period=Period(year=2026, today=TODAY, span=6), staff=False)
        # then it comes after the built-in ones
        assert [s.key for s in sections] == ["members", "movements", "economy", "events"]
        register_section(events_section)
        assert SECTIONS.count(events_section) == 1
    finally:
        SECTIONS.remove(events_section)


def test_figures_years_and_period():
    # given memberships since 2019
    member(OrganisationFactory(), 2019)
    assert figures_years(TODAY) == [2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019]
    assert figures_period(2030, TODAY).year == 2026
    assert figures_period(None, TODAY).year == 2026
    assert figures_period(2022, TODAY).year == 2022


def test_public_headline_counts_todays_members():
    member(OrganisationFactory(), dt.date.today().year)
    member(OrganisationFactory(), dt.date.today().year, status=S.APPLIED)
    assert public_headline() == {"members": 1}


def test_csv_rows_leave_suppressed_cells_empty():
    economy_scenario()
    table = economy_table(context(staff=False, year=2025))
    rows = table.csv_rows()
    assert rows[0][0] == "Year"
    assert rows[1][0] == "2020"
    assert rows[-1] == ["2025", 4, 3, Decimal("75.0"), 37, Decimal("0.0"), Decimal("13.6"),
                        Decimal("35.2"), Decimal("10.0")]  # fmt: skip
    assert rows[-2][4:6] == [35, ""]  # 2024: headcount shown, growth suppressed
