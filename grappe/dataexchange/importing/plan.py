"""What an import would do, row by row: the shared types and helpers of the checkers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from grappe.dataexchange.columns import columns_for
from grappe.dataexchange.parsing import fold

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
INVALID = "invalid"


@dataclass(frozen=True)
class RowError:
    column: str
    message: str


@dataclass(frozen=True)
class Change:
    column: str
    before: str  # as shown, in the reader's language
    after: str
    key: str = ""  # the new value, whatever the language (for the fingerprint)


def change(column: str, before: Any, after: Any, key: Any = None) -> Change:
    neutral = key if key is not None else after
    if isinstance(neutral, Decimal):
        neutral = format(neutral.normalize(), "f")
    return Change(column, display(before), display(after), str(neutral))


@dataclass
class RowPlan:
    row: int  # as numbered in the spreadsheet (the header is row 1)
    label: str = ""
    target: Any = None  # the matched record, None to create one
    data: dict[str, Any] = field(default_factory=dict)  # cleaned values, for the writer
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, column: str, message: Any) -> None:
        self.errors.append(RowError(column, str(message)))

    def sort_changes(self, columns: list[str]) -> None:
        """In the order of the file's columns (a figure column is named "turnover 2025")."""
        order = {name: index for index, name in enumerate(columns)}
        self.changes.sort(key=lambda c: order.get(c.column.split(" ")[0], len(order)))

    def has_error(self, column: str) -> bool:
        return any(error.column == column for error in self.errors)

    def validation_errors(self, error: ValidationError, columns: Iterable[str]) -> None:
        """Model validation messages, on the columns that have no error yet."""
        known = set(columns)
        for name, messages in error.message_dict.items():
            column = name if name in known else "—"
            if not self.has_error(column):
                for message in messages:
                    self.error(column, message)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def action(self) -> str:
        if self.errors:
            return INVALID
        if self.target is None:
            return CREATE
        return UPDATE if self.changes else UNCHANGED


@dataclass
class Plan:
    kind: str
    rows: list[RowPlan] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def valid_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.valid]

    @property
    def invalid_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.valid]

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, INVALID: 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def errors(self) -> list[tuple[int, RowError]]:
        return [(row.row, error) for row in self.rows for error in row.errors]

    @property
    def writes(self) -> int:
        """Rows an import of the valid rows would write."""
        return sum(1 for row in self.rows if row.action in {CREATE, UPDATE})

    def fingerprint(self) -> str:
        """Identifies what the person saw: the same file checked against the same data gives
        the same fingerprint; any change in the outcome of a row changes it."""
        outline = [
            [
                row.row,
                row.action,
                getattr(row.target, "pk", None),
                [[c.column, c.key] for c in row.changes],
            ]
            for row in self.rows
        ]
        text = json.dumps(outline, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def report(self) -> dict[str, Any]:
        """JSON-ready summary, kept with the batch."""
        return {
            "counts": self.counts,
            "errors": [
                {"row": number, "column": error.column, "message": error.message}
                for number, error in self.errors
            ],
            "notices": self.notices,
            "fingerprint": self.fingerprint(),
        }


def display(value: Any) -> str:
    """A stored or imported value as shown in the preview."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def same(before: Any, after: Any) -> bool:
    """Equal for an import: numbers by value (40 = 40.00), text as text, None as empty."""
    if isinstance(before, Decimal | int) and isinstance(after, Decimal | int):
        return Decimal(before) == Decimal(after)
    return display(before) == display(after)


def choice_lookup(choices: Iterable[tuple[str, Any]], *extra: dict[str, str]) -> dict[str, str]:
    """Folded code and label (in French and in English) → code."""
    lookup: dict[str, str] = {}
    choices = list(choices)
    for language in ("en", "fr"):
        with translation.override(language):
            for code, label in choices:
                if code:
                    lookup.setdefault(fold(str(label)), code)
    for code, _label in choices:
        if code:
            lookup[fold(code)] = code
    for mapping in extra:
        lookup.update({fold(k): v for k, v in mapping.items()})
    return lookup


def unknown_columns_notice(kind: str, header: list[str]) -> list[str]:
    known = {column.name for column in columns_for(kind)}
    unknown = [name for name in header if name not in known]
    if not unknown:
        return []
    return [
        _("These columns are not known and are ignored: %(columns)s.")
        % {"columns": ", ".join(unknown)}
    ]


def not_one_of(value: str, codes: Iterable[str]) -> str:
    return _("“%(value)s” is not one of: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(code for code in codes if code),
    }
