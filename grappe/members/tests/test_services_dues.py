"""Dues: the band an organisation falls in, pro rata for a join during the year, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from grappe.members.models import College, FeeBand, FeeBasis, FeeSchedule, OrgKind
from grappe.members.services import dues_quote
from grappe.members.services.dues import band_label, months_charged
from grappe.members.tests.factories import FiguresFactory, OrganisationFactory, fee_schedule

pytestmark = pytest.mark.django_db
JAN_1 = dt.date(2026, 1, 1)


def _sme(turnover: str | None, year: int = 2025, **kwargs):
    organisation = OrganisationFactory(**kwargs)
    if turnover is not None:
        FiguresFactory(organisation=organisation, year=year, turnover=Decimal(turnover))
    return organisation


@pytest.mark.parametrize(
    ("turnover", "amount"),
    [
        ("0.00", "220.00"),
        ("499999.99", "220.00"),
        ("500000.00", "550.00"),  # a band includes its lower limit...
        ("1999999.99", "550.00"),
        ("2000000.00", "1100.00"),  # ...and excludes its upper one
        ("4999999.99", "1100.00"),
        ("5000000.00", "1650.00"),
        ("10000000.00", "2200.00"),
        ("250000000.00", "2200.00"),
    ],
)
def test_an_sme_pays_the_band_of_its_turnover(turnover, amount):
    fee_schedule(2026)
    quote = dues_quote(organisation=_sme(turnover), year=2026, start=JAN_1)
    assert (quote.college, quote.full, quote.amount, quote.months) == (
        "sme", Decimal(amount), Decimal(amount), 12,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "college"),
    [(OrgKind.LAB, College.RESEARCH), (OrgKind.UNIVERSITY, College.RESEARCH),
     (OrgKind.PUBLIC, College.OTHER), (OrgKind.ASSOCIATION, College.OTHER)],
)  # fmt: skip
def test_research_and_other_bodies_pay_a_flat_fee_without_figures(kind, college):
    fee_schedule(2026)
    organisation = OrganisationFactory(kind=kind, college=college)
    quote = dues_quote(organisation=organisation, year=2026, start=JAN_1)
    assert (quote.college, quote.amount) == (college, Decimal("1100.00"))
    with translation.override("en"):
        assert band_label(quote.band) == "Flat fee"


def test_the_collège_set_by_staff_decides_the_band():
    fee_schedule(2026)
    FeeBand.objects.filter(college=College.LARGE).update(amount=Decimal("5000"))
    organisation = _sme("3000000", college_override=College.LARGE)
    quote = dues_quote(organisation=organisation, year=2026, start=JAN_1)
    assert (quote.college, quote.amount) == ("large", Decimal("5000.00"))


def test_the_latest_figures_up_to_the_year_are_used():
    # given figures for 2024 (0.3 M€), 2025 (3 M€) and 2027 (20 M€)
    fee_schedule(2026)
    organisation = _sme("300000", year=2024)
    FiguresFactory(organisation=organisation, year=2025, turnover=Decimal("3000000"))
    FiguresFactory(organisation=organisation, year=2027, turnover=Decimal("20000000"))
    # then the 2026 dues follow 2025's turnover
    assert dues_quote(organisation=organisation, year=2026, start=JAN_1).amount == Decimal("1100")


def test_bands_by_headcount():
    schedule = FeeSchedule.objects.create(year=2026)
    for low, high, amount in [(0, 10, 300), (10, 50, 800), (50, None, 2000)]:
        FeeBand.objects.create(
            schedule=schedule, college=College.SME, basis=FeeBasis.HEADCOUNT, minimum=low,
            maximum=high, amount=amount,
        )  # fmt: skip
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2025, headcount=10)
    with translation.override("en"):
        quote = dues_quote(organisation=organisation, year=2026, start=JAN_1)
    assert quote.amount == Decimal("800.00")
    with translation.override("en"):
        assert quote.band_label == band_label(quote.band)
        assert band_label(quote.band) == "10 people to below 50 people"


@pytest.mark.parametrize(
    ("start", "months", "amount"),
    [
        (dt.date(2026, 1, 1), 12, "1100.00"),
        (dt.date(2026, 7, 15), 6, "550.00"),  # joins on 15 July: July to December
        (dt.date(2026, 7, 1), 6, "550.00"),
        (dt.date(2026, 6, 30), 7, "641.67"),
        (dt.date(2026, 12, 31), 1, "91.67"),
        (dt.date(2025, 11, 1), 12, "1100.00"),  # applied the year before: the whole year
    ],
)
def test_a_join_during_the_year_pays_pro_rata_by_whole_months(start, months, amount):
    fee_schedule(2026)
    quote = dues_quote(organisation=_sme("3000000"), year=2026, start=start)
    assert (quote.full, quote.months, quote.amount) == (Decimal("1100.00"), months, Decimal(amount))


def test_months_charged_is_zero_for_a_start_after_the_year():
    assert months_charged(2026, dt.date(2027, 1, 1)) == 0


def test_the_quote_gives_vat_and_total():
    FeeSchedule.objects.create(year=2026, vat_rate=Decimal("20.00"))
    fee_schedule(2026)
    quote = dues_quote(organisation=_sme("3000000"), year=2026, start=dt.date(2026, 6, 30))
    assert (quote.amount, quote.vat, quote.gross) == (
        Decimal("641.67"), Decimal("128.33"), Decimal("770.00"),
    )  # fmt: skip


def test_without_a_schedule_for_the_year_the_error_names_the_year():
    with pytest.raises(ValidationError) as raised:
        dues_quote(organisation=_sme("3000000"), year=2026, start=JAN_1)
    assert list(raised.value.message_dict) == ["year"]


def test_without_a_band_for_the_college_the_error_names_the_college():
    fee_schedule(2026)
    FeeBand.objects.filter(college=College.SME).delete()
    with pytest.raises(ValidationError) as raised:
        dues_quote(organisation=_sme("3000000"), year=2026, start=JAN_1)
    assert list(raised.value.message_dict) == ["college"]


def test_without_figures_a_turnover_band_asks_for_them():
    fee_schedule(2026)
    with pytest.raises(ValidationError) as raised:
        dues_quote(organisation=_sme(None), year=2026, start=JAN_1)
    assert list(raised.value.message_dict) == ["figures"]


def test_figures_declared_only_for_later_years_do_not_count():
    fee_schedule(2026)
    with pytest.raises(ValidationError) as raised:
        dues_quote(organisation=_sme("3000000", year=2027), year=2026, start=JAN_1)
    assert list(raised.value.message_dict) == ["figures"]


def test_a_value_in_a_gap_between_bands_has_no_band():
    schedule = FeeSchedule.objects.create(year=2026)
    FeeBand.objects.create(
        schedule=schedule, college=College.SME, basis=FeeBasis.TURNOVER, minimum=0,
        maximum=Decimal("1000000"), amount=220,
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        dues_quote(organisation=_sme("3000000"), year=2026, start=JAN_1)
    assert list(raised.value.message_dict) == ["college"]


@pytest.mark.parametrize(
    ("low", "high", "label"),
    [
        ("0", "500000", "0 € to below 500,000 €"),
        ("500000", "2000000", "500,000 € to below 2 M€"),
        ("2000000.00", "5000000.00", "2 M€ to below 5 M€"),
        ("1500000", None, "from 1.5 M€"),
        ("10000000.00", None, "from 10 M€"),
    ],
)
def test_band_labels_read_well(low, high, label):
    band = FeeBand(
        college=College.SME, basis=FeeBasis.TURNOVER, minimum=Decimal(low),
        maximum=Decimal(high) if high else None, amount=Decimal(1),
    )  # fmt: skip
    with translation.override("en"):
        assert band_label(band) == label


def test_band_labels_use_french_number_formats():
    band = FeeBand(
        college=College.SME, basis=FeeBasis.TURNOVER, minimum=Decimal("500000"),
        maximum=Decimal("1500000"), amount=Decimal(1),
    )  # fmt: skip
    with translation.override("fr"):
        label = band_label(band)
    assert label.startswith("500\xa0000 €")
    assert label.endswith("1,5 M€")
