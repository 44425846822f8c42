"""Imports: check an uploaded file, then write its rows once the uploader confirms.

Nothing is written at the check: the parsed rows are kept in an `ImportBatch` owned by the
uploader. Confirming checks the rows again against the database as it is then, refuses if the
outcome differs from what the uploader saw (the plan's fingerprint), and writes the valid rows
in one transaction through the members' services (each writes its own audit row, with the
staff member as actor). A file with errors is imported only when the uploader chooses "only
the valid rows".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.core.audit import audit_record
from grappe.core.permissions import require
from grappe.dataexchange import permissions
from grappe.dataexchange.importing import plan_file
from grappe.dataexchange.importing.organisations import FIGURE_FIELDS
from grappe.dataexchange.importing.plan import UNCHANGED, RowPlan
from grappe.dataexchange.models import ImportBatch, ImportKind, ImportStatus
from grappe.dataexchange.parsing import FileError, read_upload
from grappe.dataexchange.selectors import import_plan
from grappe.members.models import ConsentSource, OrganisationFigures
from grappe.members.services import (
    affiliation_create,
    consent_record,
    figures_declare,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
)

IMPORT_TTL = dt.timedelta(hours=24)


def imports_expire(*, now: dt.datetime | None = None) -> int:
    """Forget the rows of files checked but never confirmed within IMPORT_TTL."""
    limit = (now or timezone.now()) - IMPORT_TTL
    return ImportBatch.objects.filter(status=ImportStatus.CHECKED, created_at__lt=limit).update(
        status=ImportStatus.EXPIRED, rows=[]
    )


def import_check(*, actor: Any, kind: str, filename: str, content: bytes) -> ImportBatch:
    """Read and check every row of an uploaded file; write nothing but the batch."""
    require(permissions.can_import(actor))
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Choose organisations or people.")})
    try:
        parsed = read_upload(filename, content)
    except FileError as error:
        raise ValidationError({"file": str(error)}) from error
    plan = plan_file(kind, parsed)
    with transaction.atomic():
        imports_expire()
        batch = ImportBatch.objects.create(
            owner=actor,
            kind=kind,
            filename=filename[:255],
            header=parsed.header,
            rows=[[number, cells] for number, cells in parsed.rows],
            report=plan.report(),
        )
        audit_record(
            actor=actor,
            obj=batch,
            action="import.check",
            after={"kind": kind, "filename": batch.filename, "counts": plan.counts},
        )
    return batch


def _write_organisation(actor: Any, row: RowPlan) -> None:
    changed = {change.column for change in row.changes}
    data = {k: v for k, v in row.data["organisation"].items() if row.target is None or k in changed}
    if "competences" in changed:
        data["competences"] = row.data["competences"]
    if row.target is None:
        organisation = organisation_create(actor=actor, data=data, as_admin=False)
    elif data:
        organisation = organisation_update(actor=actor, organisation=row.target, data=data)
    else:
        organisation = row.target
    figures = row.data["figures"]
    if figures and any(column.split(" ")[0] in FIGURE_FIELDS for column in changed):
        stored = OrganisationFigures.objects.filter(
            organisation=organisation, year=figures["figures_year"]
        ).first()
        figures_declare(
            actor=actor,
            organisation=organisation,
            year=figures["figures_year"],
            headcount=figures["headcount"],
            turnover=figures["turnover"],
            export_share=figures["export_share"],
            rnd_spend=figures["rnd_spend"],
            balance_sheet=figures.get("balance_sheet", stored.balance_sheet if stored else None),
        )


def _write_person(actor: Any, row: RowPlan) -> None:
    changed = {change.column for change in row.changes}
    data = {k: v for k, v in row.data["person"].items() if row.target is None or k in changed}
    if row.target is None:
        person = person_create(actor=actor, data=data)
    elif data:
        person = person_update(actor=actor, person=row.target, data=data)
    else:
        person = row.target
    for organisation, role, is_admin in row.data["affiliations"]:
        affiliation_create(
            actor=actor, person=person, organisation=organisation, role=role, is_admin=is_admin
        )
    for channel, granted in row.data["consents"].items():
        consent = consent_record(
            person=person, channel=channel, granted=granted, source=ConsentSource.IMPORT
        )
        audit_record(actor=actor, obj=consent, action="consent.import")


def _refuse_unless_confirmable(batch: ImportBatch) -> None:
    if batch.status != ImportStatus.CHECKED:
        raise ValidationError(
            {"status": _("This file has already been imported, cancelled or forgotten.")}
        )
    if batch.created_at < timezone.now() - IMPORT_TTL:
        raise ValidationError(
            {"status": _("This check is more than 24 hours old: upload the file again.")}
        )


def import_confirm(
    *, actor: Any, batch: ImportBatch, fingerprint: str, valid_only: bool = False
) -> ImportBatch:
    """Write the valid rows, as checked again now; all or nothing."""
    require(permissions.can_handle_import(actor, batch))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _refuse_unless_confirmable(batch)
        plan = import_plan(batch)
        if plan.fingerprint() != fingerprint:
            raise ValidationError(
                {"plan": _("The data changed since the check: read the new report, then confirm.")}
            )
        if plan.invalid_rows and not valid_only:
            raise ValidationError(
                {
                    "plan": _(
                        "Some rows have errors: import only the valid rows, or correct the file."
                    )
                }
            )
        if not plan.valid_rows:
            raise ValidationError({"plan": _("No row of this file can be imported.")})
        write = _write_organisation if batch.kind == ImportKind.ORGANISATIONS else _write_person
        outcome = []
        for row in plan.rows:
            if row.valid and row.action != UNCHANGED:
                write(actor, row)
            outcome.append({"row": row.row, "action": row.action, "label": row.label})
        counts = plan.counts
        batch.status, batch.imported_at, batch.rows = ImportStatus.IMPORTED, timezone.now(), []
        batch.result = {"counts": counts, "rows": outcome}
        batch.save(update_fields=["status", "imported_at", "rows", "result", "updated_at"])
        audit_record(
            actor=actor,
            obj=batch,
            action="import.confirm",
            before={"status": ImportStatus.CHECKED},
            after={"status": batch.status, "counts": counts, "valid_only": valid_only},
        )
    return batch


def import_cancel(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Drop a checked file without writing anything."""
    require(permissions.can_handle_import(actor, batch))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.CHECKED:
            raise ValidationError(
                {"status": _("This file has already been imported, cancelled or forgotten.")}
            )
        batch.status, batch.rows = ImportStatus.CANCELLED, []
        batch.save(update_fields=["status", "rows", "updated_at"])
        audit_record(
            actor=actor,
            obj=batch,
            action="import.cancel",
            before={"status": ImportStatus.CHECKED},
            after={"status": batch.status},
        )
    return batch
