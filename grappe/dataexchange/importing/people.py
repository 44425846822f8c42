"""Checking a file of people.

A row updates the person with its e-mail address (compared without case), or creates one.
It adds an affiliation to each organisation it names (by SIRET or slug) that the person is
not currently affiliated to; an import never ends an affiliation nor changes its role. A
consent column records the person's choice when it differs from the one in force.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from grappe.dataexchange.columns import PEOPLE_COLUMNS
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
    parse_bool,
    split_list,
)
from grappe.members.models import (
    Affiliation,
    AffiliationRole,
    Consent,
    ConsentChannel,
    Organisation,
    Person,
)
from grappe.members.selectors import affiliation_current_q

IMPORTED = {c.name for c in PEOPLE_COLUMNS if c.importable}
COLUMN_ORDER = [c.name for c in PEOPLE_COLUMNS]
PERSON_FIELDS = ["first_name", "last_name", "phone", "job_title"]
CHANNELS = {"newsletter": ConsentChannel.NEWSLETTER, "directory": ConsentChannel.DIRECTORY}
LANGUAGES = {"fr": "fr", "en": "en", "francais": "fr", "french": "fr", "anglais": "en", "english": "en"}  # fmt: skip


def consent_in_force(channel: str) -> Subquery:
    """The person's latest decision on `channel` (None when never asked)."""
    latest = Consent.objects.filter(person=OuterRef("pk"), channel=channel).order_by("-at", "-id")
    return Subquery(latest.values("granted")[:1])


@dataclass
class Lookup:
    people: dict[str, list[Person]] = field(default_factory=dict)  # lower-case e-mail
    organisations: dict[str, list[Organisation]] = field(default_factory=dict)  # SIRET or slug
    roles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: list[tuple[int, dict[str, str]]]) -> Lookup:
        cells = [values for _, values in rows]
        emails = {clean_text(c.get("email", "")).lower() for c in cells} - {""}
        keys = {
            _identifier(item)
            for c in cells
            for column in ("organisations", "admin_of")
            for item in split_list(clean_text(c.get(column, "")))
        }
        today = timezone.localdate()
        people = (
            Person.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
            .annotate(**{f"consent_{name}": consent_in_force(ch) for name, ch in CHANNELS.items()})
            .prefetch_related(
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.filter(affiliation_current_q(today)),
                    to_attr="current_affiliations",
                )
            )
        )
        lookup = cls()
        by_email: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            by_email[person.email_lower].append(person)
        by_key: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in Organisation.objects.filter(Q(siret__in=keys) | Q(slug__in=keys)):
            if organisation.siret in keys:
                by_key[organisation.siret].append(organisation)
            if organisation.slug in keys:
                by_key[organisation.slug].append(organisation)
        lookup.people, lookup.organisations = dict(by_email), dict(by_key)
        lookup.roles = choice_lookup(AffiliationRole.choices)
        return lookup


def _identifier(text: str) -> str:
    """A SIRET (digits, spaces allowed) or a slug (lower case)."""
    padded = digits_padded(text, 14)
    return padded if padded.isdigit() else text.strip().lower()


def _organisations(
    row: RowPlan, column: str, cells: dict[str, str], lookup: Lookup
) -> list[Organisation]:
    found = []
    for item in split_list(cells.get(column, "")):
        matches = lookup.organisations.get(_identifier(item), [])
        if not matches:
            row.error(
                column, _("No organisation has the SIRET or slug “%(value)s”.") % {"value": item}
            )
        elif len(matches) > 1:
            row.error(
                column,
                _("Several organisations have the SIRET “%(value)s”: give the slug.")
                % {"value": item},
            )
        elif matches[0] not in found:
            found.append(matches[0])
    return found


def _roles(row: RowPlan, cells: dict[str, str], count: int, lookup: Lookup) -> list[str]:
    roles = []
    for item in split_list(cells.get("roles", "")):
        role = lookup.roles.get(fold(item))
        if role is None:
            row.error("roles", not_one_of(item, AffiliationRole.values))
        roles.append(role or AffiliationRole.OTHER)
    if not roles:
        return [AffiliationRole.OTHER] * count
    if len(roles) == 1:
        return roles * count
    if len(roles) != count:
        row.error(
            "roles",
            _("Give one role, or one per organisation (%(count)s).") % {"count": count},
        )
    return roles


def _person_fields(row: RowPlan, cells: dict[str, str], data: dict[str, Any]) -> None:
    for column in PERSON_FIELDS:
        if cells.get(column):
            data[column] = cells[column]
    if cells.get("language"):
        language = LANGUAGES.get(fold(cells["language"]))
        if language is None:
            row.error("language", not_one_of(cells["language"], ["fr", "en"]))
        else:
            data["language"] = language


def _consents(row: RowPlan, cells: dict[str, str]) -> dict[str, bool]:
    consents: dict[str, bool] = {}
    for column, channel in CHANNELS.items():
        if cells.get(column):
            try:
                consents[channel] = parse_bool(cells[column])
            except ValueError:
                row.error(column, _("Write yes or no."))
    return consents


def _affiliations(
    row: RowPlan, cells: dict[str, str], lookup: Lookup
) -> list[tuple[Organisation, str, bool]]:
    organisations = _organisations(row, "organisations", cells, lookup)
    roles = _roles(row, cells, len(organisations), lookup)
    admin_of = _organisations(row, "admin_of", cells, lookup)
    for organisation in admin_of:
        if organisation not in organisations:
            row.error(
                "admin_of",
                _("“%(name)s” is not among the organisations of this row.")
                % {"name": organisation.name},
            )
    return [
        (organisation, role, organisation in admin_of)
        for organisation, role in zip(organisations, roles, strict=False)
    ]


def _changes(row: RowPlan) -> None:
    person = row.target
    for column, value in row.data["person"].items():
        before = getattr(person, column) if person else None
        if person is None or not same(before, value):
            row.changes.append(change(column, before, value))
    current = {a.organisation_id for a in getattr(person, "current_affiliations", [])}
    roles = dict(AffiliationRole.choices)
    kept = []
    for organisation, role, is_admin in row.data["affiliations"]:
        if organisation.pk in current:
            continue
        kept.append((organisation, role, is_admin))
        label = f"{organisation.name} ({roles[role]}"
        label += f", {_('administrator')})" if is_admin else ")"
        row.changes.append(
            change("organisations", "", label, f"{organisation.pk}:{role}:{is_admin}")
        )
    row.data["affiliations"] = kept
    for column, channel in CHANNELS.items():
        if channel in row.data["consents"]:
            before = getattr(person, f"consent_{column}", None) if person else None
            granted = row.data["consents"][channel]
            if before is None or before != granted:
                row.changes.append(change(column, before, granted, int(granted)))
            else:
                del row.data["consents"][channel]


def _check_model(row: RowPlan) -> None:
    candidate = copy.copy(row.target) if row.target else Person(language="fr")
    for column, value in row.data["person"].items():
        setattr(candidate, column, value)
    try:
        candidate.full_clean(exclude=["user", "competences", "visibility"], validate_unique=False)
    except ValidationError as error:
        row.validation_errors(error, IMPORTED)


def plan_row(number: int, raw: dict[str, str], lookup: Lookup, seen: dict[str, int]) -> RowPlan:
    cells = {column: clean_text(value) for column, value in raw.items() if column in IMPORTED}
    email = cells.get("email", "").lower()
    row = RowPlan(row=number, label=" ".join(filter(None, [cells.get("first_name"), cells.get("last_name"), f"<{email}>" if email else ""])))  # fmt: skip
    if not email:
        row.error("email", _("Required: people are matched by their e-mail address."))
    else:
        try:
            validate_email(email)
        except ValidationError as error:
            row.error("email", error.messages[0])
    if email in seen:
        row.error(
            "email",
            _("Already on row %(row)s: each person once per file.") % {"row": seen[email]},
        )
    elif email:
        seen[email] = number
    matches = lookup.people.get(email, [])
    if len(matches) > 1:
        row.error("email", _("Several people have this e-mail address: merge them first."))
    row.target = matches[0] if len(matches) == 1 else None
    data: dict[str, Any] = {}
    _person_fields(row, cells, data)
    if row.target is None:
        data["email"] = email
        for column in ("first_name", "last_name"):
            if not cells.get(column):
                row.error(column, _("Required to create a new person."))
    row.data = {
        "person": data,
        "affiliations": _affiliations(row, cells, lookup),
        "consents": _consents(row, cells),
    }
    if not row.has_error("email"):
        _check_model(row)
    if not row.errors:
        _changes(row)
        row.sort_changes(COLUMN_ORDER)
    return row


def plan_people(parsed: ParsedFile) -> Plan:
    plan = Plan(kind=ImportKind.PEOPLE)
    plan.notices = unknown_columns_notice(ImportKind.PEOPLE, parsed.header)
    lookup = Lookup.build(parsed.rows)
    seen: dict[str, int] = {}
    for number, cells in parsed.rows:
        plan.rows.append(plan_row(number, cells, lookup, seen))
    return plan
