"""Spreadsheet files that are safe to open: CSV (UTF-8 with BOM, streamed) and XLSX.

A cell whose text starts with = + - @ | or a tab or carriage return would be run as a
formula by a spreadsheet (CSV injection, OWASP). In CSV such text gets a leading apostrophe
(which spreadsheets show as text, and which the importer removes again); in XLSX it is
written as a string cell, never as a formula. Numbers are numbers and are left alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "|", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
Rows = Iterable[Sequence[Any]]


def neutralise(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_value(value: Any, decimal_comma: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal | float):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write() hands the line back (for streaming with csv)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Rows, delimiter: str = ",") -> Iterator[str]:
    """The CSV text line by line, starting with a BOM so that Excel reads UTF-8 accents.
    With ";" (French Excel) numbers are written with a decimal comma."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    decimal_comma = delimiter == ";"
    yield BOM
    for row in rows:
        yield writer.writerow([csv_value(value, decimal_comma) for value in row])


def csv_response(filename: str, rows: Rows, delimiter: str = ",") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(rows, delimiter), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(sheet: Any, value: Any, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(rows: Rows, title: str) -> bytes:
    """A one-sheet workbook; the first row is the header (bold, frozen)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, row in enumerate(rows):
        sheet.append([_xlsx_cell(sheet, value, bold=index == 0) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, rows: Rows, title: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
