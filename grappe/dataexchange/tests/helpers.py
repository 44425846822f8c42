"""Building upload files for the tests."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from grappe.dataexchange.parsing import read_upload


def csv_bytes(rows, delimiter=",", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parsed(rows, delimiter=","):
    return read_upload("file.csv", csv_bytes(rows, delimiter))


def table(header, *rows):
    """A file as a list of rows, each given as a dict of the columns it fills."""
    return [header, *[[row.get(column, "") for column in header] for row in rows]]
