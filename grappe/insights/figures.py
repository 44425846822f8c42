"""The building blocks of the figures page: a period, and sections made of KPIs and tables.

A section is computed by a plain function `(FiguresContext) -> Section | None` (see
`grappe.insights.selectors.SECTIONS`); templates and the CSV export only know these types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

# Below this number of organisations, a figure derived from what organisations declared is
# not shown to the public: with one or two declarants it would disclose their own figures.
DISCLOSURE_THRESHOLD = 3
YEARS_SHOWN = 5  # the reference year and the four before it

# How a cell is rendered and exported.
COUNT = "count"
PERCENT = "percent"
GROWTH = "growth"
EURO = "euro"
MILLIONS = "millions"  # euros, shown in millions (for headline figures)
TEXT = "text"

T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    """The reference year and the years of its evolution, as seen on `today`."""

    year: int
    today: dt.date
    span: int = YEARS_SHOWN

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.year - self.span + 1, self.year + 1))

    def reference_date(self, year: int) -> dt.date:
        """The day a year's members are counted: 31 December, or today for the current year."""
        return self.today if year >= self.today.year else dt.date(year, 12, 31)

    @property
    def is_current(self) -> bool:
        return self.year >= self.today.year


@dataclass(frozen=True)
class Cell:
    value: Any = None  # int, Decimal or str; None when there is nothing to show
    kind: str = COUNT
    bar: Decimal | None = None  # width of a bar chart, in % of the cell
    suppressed: bool = False  # hidden from the public (see DISCLOSURE_THRESHOLD)

    @property
    def empty(self) -> bool:
        return self.value is None or self.suppressed


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # unique on the page: the anchor and the CSV file name
    caption: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""
    folded: bool = False  # a long list shown folded (in a <details>)

    @property
    def header(self) -> list[tuple[str, bool]]:
        """Each column's title, and whether it holds numbers (aligned right)."""
        first = self.rows[0].cells if self.rows else ()
        return [
            (column, index >= len(first) or first[index].kind != TEXT)
            for index, column in enumerate(self.columns)
        ]

    def csv_rows(self) -> list[list[Any]]:
        """Header then one line per row, raw values (no formatting, no bars)."""
        lines: list[list[Any]] = [[self.row_header, *self.columns]]
        for row in self.rows:
            lines.append([row.label, *("" if c.empty else c.value for c in row.cells)])
        return lines


@dataclass(frozen=True)
class Kpi:
    label: str
    cell: Cell
    detail: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str = ""
    kpis: tuple[Kpi, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class FiguresContext:
    """What every section builder receives; `shared` lets sections reuse one query's result."""

    period: Period
    staff: bool
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]


def percent(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal; None when `whole` is empty."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def bar_width(value: Decimal | int | None, largest: Decimal | int | None) -> Decimal | None:
    if value is None or not largest or value < 0:
        return None
    return min(percent(value, largest) or Decimal(0), Decimal(100))


def euros(value: Decimal | float | None) -> Decimal | None:
    """A sum of money from the database, to the cent (SQLite returns floats for sums)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
