"""Reads for import and export: the rows of an export, a batch's plan, a user's batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from grappe.dataexchange.columns import column_names
from grappe.dataexchange.importing import Plan, plan_file
from grappe.dataexchange.importing.people import CHANNELS, consent_in_force
from grappe.dataexchange.models import ImportBatch, ImportKind
from grappe.dataexchange.parsing import ParsedFile
from grappe.members.models import (
    Affiliation,
    AffiliationStatus,
    Competence,
    Membership,
    Organisation,
    OrganisationFigures,
    Person,
)
from grappe.members.selectors import active_membership_q, affiliation_current_q

MEMBER = "member"  # active membership today
NONE = "none"  # no membership record this year
CHUNK = 500


@dataclass(frozen=True)
class ExportFilters:
    membership: str = ""  # "", MEMBER, NONE or a membership status of this year
    kind: str = ""
    region: str = ""
    consent: str = ""  # people only: a consent channel that must be granted


def _organisation_filter(filters: ExportFilters, today: dt.date) -> Q:
    """The organisations the filters select, as a condition on Organisation."""
    conditions: list[Any] = []
    if filters.kind:
        conditions.append(Q(kind=filters.kind))
    if filters.region:
        conditions.append(Q(region=filters.region))
    this_year = Membership.objects.filter(organisation=OuterRef("pk"), year=today.year)
    if filters.membership == MEMBER:
        active = Membership.objects.filter(active_membership_q(today), organisation=OuterRef("pk"))
        conditions.append(Exists(active))
    elif filters.membership == NONE:
        conditions.append(~Exists(this_year))
    elif filters.membership:
        conditions.append(Exists(this_year.filter(status=filters.membership)))
    return Q(*conditions)


def organisations_for_export(
    filters: ExportFilters, today: dt.date | None = None
) -> QuerySet[Organisation]:
    today = today or timezone.localdate()
    status = Membership.objects.filter(organisation=OuterRef("pk"), year=today.year)
    return (
        Organisation.objects.filter(_organisation_filter(filters, today))
        .annotate(membership_status=Subquery(status.values("status")[:1]))
        .prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("code")),
            Prefetch(
                "figures",
                queryset=OrganisationFigures.objects.order_by("-year"),
                to_attr="figures_newest_first",
            ),
        )
        .order_by("name", "pk")
    )


def organisation_row(organisation: Any) -> list[Any]:
    """One line of the export (`organisation` as annotated by organisations_for_export)."""
    figures = organisation.figures_newest_first[0] if organisation.figures_newest_first else None
    values = {
        **{
            name: getattr(organisation, name, "") for name in column_names(ImportKind.ORGANISATIONS)
        },
        "college": organisation.effective_college,
        "competences": ";".join(c.code for c in organisation.competences.all()),
        "figures_year": figures.year if figures else None,
        "headcount": figures.headcount if figures else None,
        "turnover": figures.turnover if figures else None,
        "export_share": figures.export_share if figures else None,
        "rnd_spend": figures.rnd_spend if figures else None,
        "balance_sheet": figures.balance_sheet if figures else None,
        "membership_status": organisation.membership_status or "",
    }
    return [values[name] for name in column_names(ImportKind.ORGANISATIONS)]


def organisation_export_rows(
    filters: ExportFilters, today: dt.date | None = None
) -> Iterator[list[Any]]:
    """The header, then one row per organisation (read in chunks: fine for large exports)."""
    yield column_names(ImportKind.ORGANISATIONS)
    for organisation in organisations_for_export(filters, today).iterator(chunk_size=CHUNK):
        yield organisation_row(organisation)


def people_for_export(filters: ExportFilters, today: dt.date | None = None) -> QuerySet[Person]:
    today = today or timezone.localdate()
    current = Affiliation.objects.filter(affiliation_current_q(today))
    members = Membership.objects.filter(active_membership_q(today)).values("organisation")
    people = Person.objects.annotate(
        **{f"consent_{name}": consent_in_force(channel) for name, channel in CHANNELS.items()},
        is_member=Exists(current.filter(person=OuterRef("pk"), organisation__in=members)),
    )
    if filters.kind or filters.region or filters.membership:
        selected = Organisation.objects.filter(_organisation_filter(filters, today))
        people = people.filter(
            Exists(current.filter(person=OuterRef("pk"), organisation__in=selected))
        )
    if filters.consent in CHANNELS:
        people = people.filter(**{f"consent_{filters.consent}": True})
    return people.prefetch_related(
        Prefetch(
            "affiliations",
            queryset=current.filter(status=AffiliationStatus.CONFIRMED)
            .select_related("organisation")
            .order_by("organisation__name", "pk"),
            to_attr="current_affiliations",
        )
    ).order_by("last_name", "first_name", "pk")


def person_row(person: Any) -> list[Any]:
    """One line of the export (`person` as annotated by people_for_export)."""
    affiliations = person.current_affiliations

    def consent(value: bool | None) -> str:
        return "" if value is None else ("yes" if value else "no")

    values = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": person.phone,
        "job_title": person.job_title,
        "language": person.language,
        "organisations": ";".join(a.organisation.slug for a in affiliations),
        "organisation_names": ";".join(a.organisation.name for a in affiliations),
        "roles": ";".join(a.role for a in affiliations),
        "admin_of": ";".join(a.organisation.slug for a in affiliations if a.is_admin),
        "newsletter": consent(person.consent_newsletter),
        "directory": consent(person.consent_directory),
        "member": "yes" if person.is_member else "no",
    }
    return [values[name] for name in column_names(ImportKind.PEOPLE)]


def people_export_rows(filters: ExportFilters, today: dt.date | None = None) -> Iterator[list[Any]]:
    yield column_names(ImportKind.PEOPLE)
    for person in people_for_export(filters, today).iterator(chunk_size=CHUNK):
        yield person_row(person)


def import_plan(batch: ImportBatch) -> Plan:
    """Check the batch's rows again, against the database as it is now."""
    parsed = ParsedFile(header=batch.header, rows=[(n, cells) for n, cells in batch.rows])
    return plan_file(batch.kind, parsed)


def import_batches(*, owner: Any, limit: int = 20) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(owner=owner).defer("rows", "header")[:limit]
