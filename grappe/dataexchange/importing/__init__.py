"""Checking an uploaded file row by row before anything is written.

`plan_file(kind, parsed)` returns a `Plan`: for each row, what an import would do (create,
update, nothing) with the changes, or why it cannot (the column and the reason). The plan
reads the database with a fixed number of queries whatever the number of rows; the services
write it.
"""

from __future__ import annotations

import datetime as dt

from grappe.dataexchange.importing.organisations import plan_organisations
from grappe.dataexchange.importing.people import plan_people
from grappe.dataexchange.importing.plan import Plan
from grappe.dataexchange.models import ImportKind
from grappe.dataexchange.parsing import ParsedFile


def plan_file(kind: str, parsed: ParsedFile, today: dt.date | None = None) -> Plan:
    if kind == ImportKind.ORGANISATIONS:
        return plan_organisations(parsed, today=today)
    return plan_people(parsed)


__all__ = ["Plan", "plan_file"]
