"""Checking a file of organisations.

A row updates the organisation whose SIRET it gives, or else whose slug it gives; without
either it creates one. Empty cells and missing columns leave the stored value unchanged (an
import never erases). Every row is checked before anything is written.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.dataexchange.columns import FIGURES, ORGANISATION_COLUMNS
from grappe.dataexchange.importing.plan import (
    Plan,
    RowPlan,
    change,
    choice_lookup,
    not_one_of,
    same,
    unknown_columns_notice,
)
from grappe.dataexchange.models import ImportKind
from grappe.dataexchange.parsing import (
    ParsedFile,
    clean_text,
    digits_padded,
    fold,
    parse_decimal,
    parse_int,
    split_list,
)
from grappe.members.models import (
    Competence,
    LegalForm,
    Organisation,
    OrganisationFigures,
    OrgKind,
)
from grappe.members.regions import COUNTRIES, NUTS2
from grappe.members.selectors import competences_current
from grappe.members.services import college_for
from grappe.members.validators import (
    normalise_identifier,
    validate_siren,
    validate_siret,
    validate_vat,
)

IMPORTED = {c.name for c in ORGANISATION_COLUMNS if c.importable}
COLUMN_ORDER = [c.name for c in ORGANISATION_COLUMNS]
TEXT_FIELDS = [
    "name", "legal_name", "street", "postcode", "city", "phone", "nace_code",
    "description_fr", "description_en",
]  # fmt: skip
FIGURE_FIELDS = ["headcount", "turnover", "export_share", "rnd_spend", "balance_sheet"]
NOT_CHECKED = ["slug", "competences", "parent_group", "logo", "college", "college_override"]


@dataclass
class Lookup:
    """Everything the rows are checked against, read in a few queries."""

    by_siret: dict[str, list[Organisation]] = field(default_factory=dict)
    by_slug: dict[str, Organisation] = field(default_factory=dict)
    by_name: dict[str, list[Organisation]] = field(default_factory=dict)
    competences: dict[str, Competence] = field(default_factory=dict)
    figures: dict[tuple[int, int], OrganisationFigures] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    legal_forms: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: list[tuple[int, dict[str, str]]]) -> Lookup:
        cells = [values for _, values in rows]
        sirets = {digits_padded(c.get("siret", ""), 14) for c in cells} - {""}
        slugs = {clean_text(c.get("slug", "")).lower() for c in cells} - {""}
        names = {clean_text(c.get("name", "")).lower() for c in cells} - {""}
        matched = (
            Organisation.objects.annotate(name_lower=Lower("name"))
            .filter(Q(siret__in=sirets) | Q(slug__in=slugs) | Q(name_lower__in=names))
            .prefetch_related("competences")
        )
        lookup = cls()
        by_siret: defaultdict[str, list[Organisation]] = defaultdict(list)
        by_name: defaultdict[str, list[Organisation]] = defaultdict(list)
        for organisation in matched:
            if organisation.siret in sirets:
                by_siret[organisation.siret].append(organisation)
            if organisation.slug in slugs:
                lookup.by_slug[organisation.slug] = organisation
            by_name[organisation.name.lower()].append(organisation)
        lookup.by_siret, lookup.by_name = dict(by_siret), dict(by_name)
        lookup.figures = {
            (f.organisation_id, f.year): f
            for f in OrganisationFigures.objects.filter(
                organisation__in=[o.pk for o in matched]
            ).order_by()
        }
        lookup.competences = {c.code: c for c in competences_current()}
        lookup.kinds = choice_lookup(OrgKind.choices, {"pme": "sme", "eti": "midsize"})
        lookup.legal_forms = choice_lookup(LegalForm.choices)
        lookup.regions = choice_lookup(
            [(code, names[1]) for code, names in NUTS2.items()],
            {names[2]: code for code, names in NUTS2.items()},
        )
        lookup.countries = choice_lookup(
            [(code, names[0]) for code, names in COUNTRIES.items()],
            {names[1]: code for code, names in COUNTRIES.items()},
        )
        return lookup


def _match(row: RowPlan, cells: dict[str, str], lookup: Lookup, seen: dict[str, int]) -> None:
    """Find the organisation the row updates (by SIRET, else slug), or none to create one."""
    siret = cells.get("siret", "")
    slug = cells.get("slug", "").lower()
    for key, column in ((siret, "siret"), (slug, "slug")):
        if key and f"{column}:{key}" in seen:
            row.error(
                column,
                _("Already on row %(row)s: each organisation once per file.")
                % {"row": seen[f"{column}:{key}"]},
            )
        elif key:
            seen[f"{column}:{key}"] = row.row
    by_slug = lookup.by_slug.get(slug) if slug else None
    if slug and by_slug is None:
        row.error("slug", _("No organisation has this slug; leave it empty to create one."))
    candidates = lookup.by_siret.get(siret, []) if siret and not row.has_error("siret") else []
    if len(candidates) > 1:
        candidates = [o for o in candidates if o == by_slug] or candidates
        if len(candidates) > 1:
            row.error(
                "siret", _("Several organisations have this SIRET: give the slug of the one.")
            )
            return
    by_siret = candidates[0] if candidates else None
    if by_siret and by_slug and by_siret != by_slug:
        row.error(
            "slug",
            _("The SIRET is that of “%(siret)s” but the slug that of “%(slug)s”.")
            % {"siret": by_siret.name, "slug": by_slug.name},
        )
    if not row.errors:
        row.target = by_siret or by_slug


def _identifiers(row: RowPlan, cells: dict[str, str], data: dict[str, Any]) -> None:
    for column, validator in (
        ("siren", validate_siren),
        ("siret", validate_siret),
        ("vat_number", validate_vat),
    ):
        if cells.get(column):
            try:
                validator(cells[column])
            except ValidationError as error:
                row.error(column, error.messages[0])
            else:
                data[column] = cells[column]
    siren = data.get("siren") or getattr(row.target, "siren", "")
    siret = data.get("siret") or getattr(row.target, "siret", "")
    if siren and siret and not siret.startswith(siren) and ("siren" in data or "siret" in data):
        row.error(
            "siren" if "siren" in data else "siret",
            _("The SIREN is not the first 9 digits of the SIRET."),
        )


def _choices(row: RowPlan, cells: dict[str, str], data: dict[str, Any], lookup: Lookup) -> None:
    for column, mapping, codes in (
        ("kind", lookup.kinds, OrgKind.values),
        ("legal_form", lookup.legal_forms, LegalForm.values),
        ("region", lookup.regions, list(NUTS2)),
        ("country", lookup.countries, []),
    ):
        if cells.get(column):
            code = mapping.get(fold(cells[column]))
            if code is None and column == "country":
                row.error(column, _not_a_country(cells[column]))
            elif code is None:
                row.error(column, not_one_of(cells[column], codes))
            else:
                data[column] = code


def _not_a_country(value: str) -> str:
    return _(
        "“%(value)s” is not a country: give its two-letter ISO code (FR, DE, SG…) "
        "or its name in French or English."
    ) % {"value": value}


def _number(row: RowPlan, column: str, text: str, low: Any, high: Any = None) -> Any:
    """A number within [low, high]; integers for year and headcount columns."""
    whole = column in {"founded_year", "figures_year", "headcount"}
    try:
        value = parse_int(text) if whole else parse_decimal(text)
    except ValueError:
        if whole:
            row.error(column, _("“%(value)s” is not a whole number.") % {"value": text})
        else:
            row.error(column, _("“%(value)s” is not a number.") % {"value": text})
        return None
    if value < low or (high is not None and value > high):
        if high is None:
            row.error(column, _("Cannot be negative."))
        else:
            row.error(
                column,
                _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high},
            )
        return None
    return value


def _contact(row: RowPlan, cells: dict[str, str], data: dict[str, Any]) -> None:
    for column in TEXT_FIELDS:
        if cells.get(column):
            data[column] = cells[column]
    if cells.get("email"):
        try:
            validate_email(cells["email"])
            data["email"] = cells["email"]
        except ValidationError as error:
            row.error("email", error.messages[0])
    if cells.get("website"):
        website = cells["website"]
        if "://" not in website:
            website = "https://" + website
        try:
            URLValidator(schemes=["http", "https"])(website)
            data["website"] = website
        except ValidationError as error:
            row.error("website", error.messages[0])
    for column, low, high in (
        ("latitude", Decimal(-90), Decimal(90)),
        ("longitude", Decimal(-180), Decimal(180)),
        ("founded_year", 1500, 2100),
    ):
        if cells.get(column):
            value = _number(row, column, cells[column], low, high)
            if value is not None:
                data[column] = value


def _competences(row: RowPlan, cells: dict[str, str], lookup: Lookup) -> list[Competence] | None:
    if not cells.get("competences"):
        return None
    codes = [code.lower() for code in split_list(cells["competences"])]
    unknown = [code for code in codes if code not in lookup.competences]
    if unknown:
        row.error(
            "competences",
            _("Not in the current taxonomy: %(codes)s.") % {"codes": ", ".join(unknown)},
        )
        return None
    return [lookup.competences[code] for code in dict.fromkeys(codes)]


def _figures(row: RowPlan, cells: dict[str, str], today: dt.date) -> dict[str, Any] | None:
    given = [column for column in (*FIGURES, "balance_sheet") if cells.get(column)]
    if not given:
        return None
    for column in FIGURES:
        if not cells.get(column):
            row.error(column, _("Required with the other figures of the year."))
    limits = {
        "figures_year": (1900, today.year),
        "headcount": (0, None),
        "turnover": (Decimal(0), None),
        "export_share": (Decimal(0), Decimal(100)),
        "rnd_spend": (Decimal(0), None),
        "balance_sheet": (Decimal(0), None),
    }
    figures = {}
    for column in given:
        value = _number(row, column, cells[column], *limits[column])
        if value is not None:
            figures[column] = value
    return figures


def _changes(row: RowPlan, lookup: Lookup) -> None:
    """What the row would change on its organisation (everything, for a new one)."""
    target = row.target
    data = row.data["organisation"]
    for column, value in data.items():
        before = getattr(target, column) if target else None
        if target is None or not same(before, value):
            row.changes.append(change(column, before, value))
    competences = row.data.get("competences")
    if competences is not None:
        before_codes = sorted(c.code for c in target.competences.all()) if target else []
        after_codes = sorted(c.code for c in competences)
        if before_codes != after_codes:
            row.changes.append(
                change("competences", "; ".join(before_codes), "; ".join(after_codes))
            )
    figures = row.data.get("figures")
    if figures:
        year = figures["figures_year"]
        stored = lookup.figures.get((target.pk, year)) if target else None
        for column in FIGURE_FIELDS:
            if column not in figures:
                continue
            before = getattr(stored, column) if stored else None
            if stored is None or not same(before, figures[column]):
                label = f"{column} {year}"
                row.changes.append(change(label, before, figures[column]))


def _check_model(row: RowPlan) -> None:
    """The model's own rules (lengths, formats) on the organisation as it would be saved."""
    data = row.data["organisation"]
    candidate = copy.copy(row.target) if row.target else Organisation(country="FR")
    for column, value in data.items():
        setattr(candidate, column, value)
    candidate.college = college_for(candidate.kind, candidate.size_class)
    # a missing name is reported once, on the name, not again on the legal name it defaults
    candidate.legal_name = candidate.legal_name or candidate.name or "-"
    try:
        candidate.full_clean(exclude=NOT_CHECKED, validate_unique=False)
    except ValidationError as error:
        row.validation_errors(error, IMPORTED)


def plan_row(
    number: int, raw: dict[str, str], lookup: Lookup, seen: dict[str, int], today: dt.date
) -> RowPlan:
    cells = {column: clean_text(value) for column, value in raw.items() if column in IMPORTED}
    if cells.get("siret"):
        cells["siret"] = digits_padded(cells["siret"], 14)
    if cells.get("siren"):
        cells["siren"] = digits_padded(cells["siren"], 9)
    if cells.get("vat_number"):
        cells["vat_number"] = normalise_identifier(cells["vat_number"])
    row = RowPlan(
        row=number, label=cells.get("name") or cells.get("slug") or cells.get("siret", "")
    )
    _match(row, cells, lookup, seen)
    data: dict[str, Any] = {}
    _identifiers(row, cells, data)
    _choices(row, cells, data, lookup)
    _contact(row, cells, data)
    row.data = {
        "organisation": data,
        "competences": _competences(row, cells, lookup),
        "figures": _figures(row, cells, today),
    }
    if row.target is None and not row.has_error("slug") and not row.has_error("siret"):
        for column in ("name", "kind"):
            if not cells.get(column):
                row.error(column, _("Required to create a new organisation."))
        if data.get("name"):
            data.setdefault("legal_name", data["name"])
        homonyms = lookup.by_name.get(data.get("name", "").lower(), [])
        if homonyms:
            row.warnings.append(
                _("An organisation with this name exists already (slug %(slug)s).")
                % {"slug": homonyms[0].slug}
            )
    elif row.target is not None:
        row.label = row.target.name
    if not (row.has_error("siret") or row.has_error("slug")):
        _check_model(row)
        if not cells.get("legal_name") and row.has_error("name"):
            # the legal name defaults to the name: one message, on the column given
            row.errors = [error for error in row.errors if error.column != "legal_name"]
    if not row.errors:
        _changes(row, lookup)
        row.sort_changes(COLUMN_ORDER)
    return row


def plan_organisations(parsed: ParsedFile, today: dt.date | None = None) -> Plan:
    today = today or timezone.localdate()
    plan = Plan(kind=ImportKind.ORGANISATIONS)
    plan.notices = unknown_columns_notice(ImportKind.ORGANISATIONS, parsed.header)
    lookup = Lookup.build(parsed.rows)
    seen: dict[str, int] = {}
    for number, cells in parsed.rows:
        plan.rows.append(plan_row(number, cells, lookup, seen, today))
    return plan
