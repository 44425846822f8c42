"""Dues: the fee schedule's band for an organisation, pro-rata for a join during the year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from grappe.members.models import (
    FeeBand,
    FeeBasis,
    FeeSchedule,
    Organisation,
    OrganisationFigures,
)

CENT = Decimal("0.01")


@dataclass(frozen=True)
class DuesQuote:
    year: int
    college: str
    band: FeeBand
    band_label: str
    full: Decimal
    months: int
    amount: Decimal
    vat_rate: Decimal

    @property
    def vat(self) -> Decimal:
        return (self.amount * self.vat_rate / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def gross(self) -> Decimal:
        return self.amount + self.vat


def months_charged(year: int, start: dt.date) -> int:
    """Whole months left in `year` from the month of `start`, that month included."""
    if start.year < year:
        return 12
    if start.year > year:
        return 0
    return 12 - start.month + 1


def _basis_value(figures: OrganisationFigures | None, basis: str) -> Decimal | None:
    if basis == FeeBasis.FLAT:
        return Decimal(0)
    if figures is None:
        return None
    return Decimal(figures.turnover if basis == FeeBasis.TURNOVER else figures.headcount)


def band_label(band: FeeBand) -> str:
    """'500 000 € to below 2 M€', 'from 10 M€', 'from 250 people', 'Flat fee' (localised)."""
    if band.basis == FeeBasis.FLAT:
        return _("Flat fee")

    def fmt(value: Decimal) -> str:
        value = Decimal(value)
        if band.basis == FeeBasis.TURNOVER and value >= 1_000_000:
            millions = value / 1_000_000
            # 2 M€ rather than 2.00 M€; 1.5 M€ keeps its decimal.
            millions = (
                millions.quantize(Decimal(1))
                if millions == millions.to_integral_value()
                else millions.normalize()
            )
            return f"{number_format(millions)} M€"
        number = number_format(value.quantize(Decimal(1)), force_grouping=True)
        unit = "€" if band.basis == FeeBasis.TURNOVER else _("people")
        return f"{number} {unit}"

    if band.maximum is None:
        return _("from %(low)s") % {"low": fmt(band.minimum)}
    return _("%(low)s to below %(high)s") % {"low": fmt(band.minimum), "high": fmt(band.maximum)}


def latest_figures(organisations: list[Organisation], year: int) -> dict[int, OrganisationFigures]:
    """Each organisation's latest figures declared for `year` or before (one query)."""
    result: dict[int, OrganisationFigures] = {}
    rows = OrganisationFigures.objects.filter(
        organisation__in=[o.pk for o in organisations], year__lte=year
    ).order_by("organisation_id", "-year")
    for figures in rows:
        result.setdefault(figures.organisation_id, figures)
    return result


def quote_with(
    *,
    schedule: FeeSchedule,
    organisation: Organisation,
    figures: OrganisationFigures | None,
    year: int,
    start: dt.date,
) -> DuesQuote:
    """The quote from an already loaded schedule (bands prefetched) and figures: no query."""
    college = organisation.effective_college
    bands = sorted(
        (b for b in schedule.bands.all() if b.college == college), key=lambda b: b.minimum
    )
    if not bands:
        raise ValidationError({"college": _("The dues schedule has no band for this collège.")})
    chosen = None
    for band in bands:
        value = _basis_value(figures, band.basis)
        if value is None:
            raise ValidationError(
                {"figures": _("Declare your headcount and turnover first: dues depend on them.")}
            )
        if band.minimum <= value and (band.maximum is None or value < band.maximum):
            chosen = band
            break
    if chosen is None:
        raise ValidationError({"college": _("No dues band matches this organisation.")})
    months = months_charged(year, start)
    amount = (chosen.amount * months / 12).quantize(CENT, ROUND_HALF_UP)
    return DuesQuote(
        year=year,
        college=college,
        band=chosen,
        band_label=band_label(chosen),
        full=chosen.amount,
        months=months,
        amount=amount,
        vat_rate=schedule.vat_rate,
    )


def schedule_for(year: int) -> FeeSchedule:
    schedule = FeeSchedule.objects.filter(year=year).prefetch_related("bands").first()
    if schedule is None:
        raise ValidationError(
            {"year": _("No dues schedule has been published for %(year)s.") % {"year": year}}
        )
    return schedule


def dues_quote(*, organisation: Organisation, year: int, start: dt.date) -> DuesQuote:
    """What `organisation` pays for `year` when it joins on `start` (shown before applying)."""
    schedule = schedule_for(year)
    figures = latest_figures([organisation], year).get(organisation.pk)
    return quote_with(
        schedule=schedule, organisation=organisation, figures=figures, year=year, start=start
    )
