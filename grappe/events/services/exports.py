"""Rows of the staff exports: attendee lists, a pavilion's floor list, a mission's delegation.

Each function returns the header then one list per line, for
`grappe.dataexchange.writing.csv_response` / `xlsx_response` (which neutralise formulas)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from grappe.events.models import (
    Event,
    ExhibitorApplication,
    Mission,
    MissionApplication,
    Pavilion,
    Question,
    Registration,
)
from grappe.members.selectors import member_organisations


def _local(value: dt.datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def _answer(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def event_day(event: Event) -> dt.date:
    return event.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone)).date()


def attendee_rows(
    event: Event, registrations: Iterable[Registration], questions: list[Question]
) -> list[list[Any]]:
    """One line per registration; members are judged on the event's first day (one query)."""
    registrations = list(registrations)
    zone = zoneinfo.ZoneInfo(event.time_zone)
    organisation_ids = {r.organisation_id for r in registrations if r.organisation_id}
    members = set(
        member_organisations(event_day(event))
        .filter(pk__in=organisation_ids)
        .values_list("pk", flat=True)
    )
    header = [
        _("Last name"), _("First name"), _("E-mail"), _("Organisation"),
        _("Member on the event date"), _("Ticket"), _("Status"), _("Price excl. VAT (€)"),
        _("VAT rate (%)"), _("Price incl. VAT (€)"), _("Ticket code"), _("Registered on"),
        _("Checked in at"), _("Language"),
    ]  # fmt: skip
    header += [question.label for question in questions]
    rows: list[list[Any]] = [header]
    for r in registrations:
        row: list[Any] = [
            r.person.last_name, r.person.first_name, r.person.email,
            r.organisation.name if r.organisation else "",
            r.organisation_id in members, r.ticket.name, r.get_status_display(),
            r.amount, r.vat_rate, r.amount_with_vat, r.code, _local(r.created_at, zone),
            _local(r.checked_in_at, zone), r.language,
        ]  # fmt: skip
        answers = r.answers or {}
        row += [_answer(answers.get(str(question.pk))) for question in questions]
        rows.append(row)
    return rows


def floor_rows(pavilion: Pavilion, applications: Iterable[ExhibitorApplication]) -> list[list[Any]]:
    """The allocated exhibitors with each booth's cost split, and a total line."""
    rows: list[list[Any]] = [[
        _("Booth"), _("Organisation"), _("Area (m²)"), _("Corner"), _("Full cost excl. VAT (€)"),
        _("Cluster's part (€)"), _("Exhibitor's part (€)"), _("Applicant"), _("E-mail"),
    ]]  # fmt: skip
    totals = [Decimal(0)] * 4
    for application in applications:
        booth = application.booth
        assert booth is not None
        values = [booth.area_m2, booth.cost, booth.cluster_part, booth.exhibitor_part]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([
            booth.label, application.organisation.name, booth.area_m2, booth.corner,
            booth.cost, booth.cluster_part, booth.exhibitor_part,
            application.applicant.full_name, application.applicant.email,
        ])  # fmt: skip
    rows.append([_("Total"), "", totals[0], "", totals[1], totals[2], totals[3], "", ""])
    return rows


def delegation_rows(
    mission: Mission, applications: Iterable[MissionApplication]
) -> list[list[Any]]:
    """The selected participants with their frozen cost share, and a total line."""
    rows: list[list[Any]] = [[
        _("Organisation"), _("Participant"), _("E-mail"), _("Phone"), _("Status"),
        _("Full cost excl. VAT (€)"), _("Co-funded part (€)"), _("Participant's part (€)"),
        _("Target markets and customers"), _("Products and services"),
    ]]  # fmt: skip
    totals = [Decimal(0)] * 3
    for a in applications:
        values = [a.cost or Decimal(0), a.cofunded or Decimal(0), a.participant_part or Decimal(0)]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append([
            a.organisation.name, a.person.full_name, a.person.email, a.person.phone,
            a.get_status_display(), a.cost, a.cofunded, a.participant_part, a.target_markets,
            a.products,
        ])  # fmt: skip
    rows.append([_("Total"), "", "", "", "", *totals, "", ""])
    return rows
