"""Dues: the fee schedule's band for an organisation, pro-rata for a join during the year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grappe.members.models import FeeBand, FeeBasis, FeeSchedule, Organisation

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


def _basis_value(organisation: Organisation, basis: str, year: int) -> Decimal | None:
    if basis == FeeBasis.FLAT:
        return Decimal(0)
    figures = organisation.figures.filter(year__lte=year).order_by("-year").first()
    if figures is None:
        return None
    return Decimal(figures.turnover if basis == FeeBasis.TURNOVER else figures.headcount)


def band_label(band: FeeBand) -> str:
    unit = "€" if band.basis == FeeBasis.TURNOVER else _("people")
    if band.basis == FeeBasis.FLAT:
        return _("Flat fee")

    def fmt(value: Decimal) -> str:
        if band.basis == FeeBasis.TURNOVER and value >= 1_000_000:
            return f"{value / 1_000_000:g} M€"
        return f"{value:,.0f} {unit}".replace(",", " ")

    if band.maximum is None:
        return _("from %(low)s") % {"low": fmt(band.minimum)}
    return _("%(low)s to below %(high)s") % {"low": fmt(band.minimum), "high": fmt(band.maximum)}


def dues_quote(*, organisation: Organisation, year: int, start: dt.date) -> DuesQuote:
    """What `organisation` pays for `year` when it joins on `start` (shown before applying)."""
    schedule = FeeSchedule.objects.filter(year=year).prefetch_related("bands").first()
    if schedule is None:
        raise ValidationError(
            {"year": _("No dues schedule has been published for %(year)s.") % {"year": year}}
        )
    college = organisation.effective_college
    bands = [b for b in schedule.bands.all() if b.college == college]
    if not bands:
        raise ValidationError({"college": _("The dues schedule has no band for this collège.")})
    chosen = None
    for band in bands:
        value = _basis_value(organisation, band.basis, year)
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
