"""Reading an uploaded CSV or XLSX file into rows of text, and reading values out of text.

CSV files from French Excel are accepted as they come: UTF-8 with or without BOM, or
Windows-1252; comma, semicolon or tab separated (sniffed from the header line); decimal
commas and spaces between thousands in numbers. Row numbers are those a spreadsheet shows:
the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from grappe.dataexchange.columns import ALIASES
from grappe.dataexchange.writing import FORMULA_TRIGGERS

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 100
DELIMITERS = (";", ",", "\t")
TRUE_WORDS = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
FALSE_WORDS = {"no", "n", "non", "false", "faux", "0"}


class FileError(Exception):
    """The file as a whole cannot be read; the message says why, for the person."""


@dataclass
class ParsedFile:
    header: list[str]  # normalised column names, in file order
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, cells)


def normalise_header(name: str) -> str:
    """`Région `, `e-mail` and `Figures Year` become `region`, `e_mail`, `figures_year`."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    return ALIASES.get(text, text)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("The file is neither UTF-8 nor Windows-1252 text."))


def sniff_delimiter(first_line: str) -> str:
    """The separator used most in the header line (outside quotes); comma on a tie."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts.values())
    if best == 0 or counts[","] == best:
        return ","
    return max(counts, key=lambda d: counts[d])


def _read_csv(content: bytes) -> list[list[Any]]:
    text = _decode(content)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        return [row for _, row in zip(range(MAX_ROWS + 2), reader, strict=False)]
    except csv.Error as error:
        raise FileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileError(_("The file is not a readable XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=1, values_only=True)
        return [list(row) for _, row in zip(range(MAX_ROWS + 2), rows, strict=False)]
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious `.0`, dates in ISO format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(str(value)))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_upload(name: str, content: bytes) -> ParsedFile:
    """Rows of an uploaded file; raises FileError when the file as a whole is unusable."""
    if len(content) > MAX_BYTES:
        raise FileError(_("The file is larger than 10 MB."))
    lowered = name.lower()
    if lowered.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        records = _read_xlsx(content)
    elif lowered.endswith((".csv", ".txt")):
        records = _read_csv(content)
    else:
        raise FileError(_("Upload a .csv or .xlsx file."))
    if not records or not any(cell_text(v).strip() for v in records[0]):
        raise FileError(_("The file is empty: the first row must hold the column names."))
    if len(records) > MAX_ROWS + 1:
        raise FileError(_("The file has more than %(count)s rows: split it.") % {"count": MAX_ROWS})
    if len(records[0]) > MAX_COLUMNS:
        raise FileError(_("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS})
    header = [normalise_header(cell_text(v)) for v in records[0]]
    named = [h for h in header if h]
    duplicates = sorted({h for h in named if named.count(h) > 1})
    if duplicates:
        raise FileError(
            _("These columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicates)}
        )
    parsed = ParsedFile(header=named)
    for number, record in enumerate(records[1:], start=2):
        cells = {
            column: cell_text(value).strip()
            for column, value in zip(header, record, strict=False)
            if column
        }
        if any(cells.values()):
            parsed.rows.append((number, cells))
    return parsed


# Values out of text ----------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Trimmed text, without the apostrophe an export put before a formula character."""
    text = (text or "").strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def parse_decimal(text: str) -> Decimal:
    """`1 234 567,89`, `1234567.89`, `1,234,567.89` and `45 %` all read as numbers."""
    value = re.sub(r"[\s\u00a0\u202f€%]", "", text)
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    else:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not number.is_finite():
        raise ValueError(text)
    return number


def parse_int(text: str) -> int:
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise ValueError(text)
    return int(number)


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(text)


def split_list(text: str) -> list[str]:
    """Items separated by semicolons (commas and line breaks are accepted too)."""
    return [item.strip() for item in re.split(r"[;,\n]", text or "") if item.strip()]


def digits_padded(text: str, length: int) -> str:
    """An identifier typed as a number loses its leading zeros in a spreadsheet: restore them."""
    value = re.sub(r"[\s.\-]", "", text)
    if value.isdigit() and length - 2 <= len(value) < length:
        return value.zfill(length)
    return value.upper()


def fold(text: str) -> str:
    """For comparing names and labels: lower case, no accents, single spaces."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())
