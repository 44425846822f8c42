"""The columns of the organisation and people files: one list serves the export, the import,
the template files and the documentation shown on the import page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from grappe.dataexchange.models import ImportKind

MATCH = "match"  # identifies an existing record
IMPORT = "import"  # written by an import
EXPORT = "export"  # export only: ignored by an import


@dataclass(frozen=True)
class Column:
    name: str
    help: str | Promise
    use: str = IMPORT
    required: bool = False  # needed to create a new record
    example: str = ""

    @property
    def importable(self) -> bool:
        return self.use in {MATCH, IMPORT}


FIGURES = ("figures_year", "headcount", "turnover", "export_share", "rnd_spend")

ORGANISATION_COLUMNS: list[Column] = [
    Column("slug", _("Grappe's identifier of the organisation. Matches an existing organisation when no SIRET matches; leave empty to create one."), MATCH, example="lumiere-marseille"),
    Column("name", _("Usual name."), required=True, example="Lumière Marseille"),
    Column("legal_name", _("Legal name (the usual name when empty for a new organisation)."), example="Lumière Marseille SAS"),
    Column("siren", _("SIREN, 9 digits with a valid check digit."), example="123456782"),
    Column("siret", _("SIRET of the head office, 14 digits with a valid check digit. Matches an existing organisation."), MATCH, example="12345678200002"),
    Column("vat_number", _("Intra-EU VAT number (for France: FR, 2-digit key, SIREN)."), example="FR11123456782"),
    Column("legal_form", _("Legal form: code or name (sas, sarl, association, epst...)."), example="sas"),
    Column("kind", _("Kind: code or name (startup, sme, midsize, large, lab, university, tech_centre, public, association, other)."), required=True, example="sme"),
    Column("college", _("Collège, derived from kind and size."), EXPORT),
    Column("size_class", _("EU size class, derived from the latest figures."), EXPORT),
    Column("street", _("Street address."), example="12 rue de la Lumière"),
    Column("postcode", _("Postcode."), example="13001"),
    Column("city", _("City."), example="Marseille"),
    Column("region", _("Region: NUTS 2 code or name (FRL0 for Provence-Alpes-Côte d'Azur)."), example="FRL0"),
    Column("country", _("Country: ISO code or name (FR when empty for a new organisation)."), example="FR"),
    Column("latitude", _("Latitude, in degrees."), example="43.2965"),
    Column("longitude", _("Longitude, in degrees."), example="5.3698"),
    Column("website", _("Website address."), example="https://lumiere.example"),
    Column("email", _("Contact e-mail address."), example="contact@lumiere.example"),
    Column("phone", _("Phone number."), example="+33 4 91 00 00 00"),
    Column("founded_year", _("Year founded."), example="2012"),
    Column("nace_code", _("NACE code of the main activity."), example="26.70"),
    Column("competences", _("Competence codes of the current taxonomy, separated by semicolons; they replace the organisation's list."), example="tech.lasers;market.health"),
    Column("description_fr", _("Description in French.")),
    Column("description_en", _("Description in English.")),
    Column("figures_year", _("Year of the figures that follow; give the year and the four figures together, or none."), example="2025"),
    Column("headcount", _("Headcount (full-time equivalent) that year."), example="25"),
    Column("turnover", _("Turnover that year, in euros."), example="3200000"),
    Column("export_share", _("Share of the turnover made abroad, in % (0 to 100)."), example="45"),
    Column("rnd_spend", _("R&D spend that year, in euros."), example="480000"),
    Column("balance_sheet", _("Balance-sheet total that year, in euros (optional)."), example=""),
    Column("membership_status", _("Status of this year's membership (empty when none)."), EXPORT),
]  # fmt: skip

PEOPLE_COLUMNS: list[Column] = [
    Column("email", _("E-mail address. Matches an existing person; required."), MATCH, required=True, example="marie.durand@lumiere.example"),
    Column("first_name", _("First name."), required=True, example="Marie"),
    Column("last_name", _("Last name."), required=True, example="Durand"),
    Column("phone", _("Phone number."), example="+33 6 00 00 00 00"),
    Column("job_title", _("Job title."), example="CTO"),
    Column("language", _("Language of the messages: fr or en (fr when empty for a new person)."), example="fr"),
    Column("organisations", _("SIRET or slug of the organisations the person works for, separated by semicolons; a missing affiliation is added (existing ones are never ended)."), example="12345678200002"),
    Column("organisation_names", _("Names of those organisations."), EXPORT),
    Column("roles", _("Role in each new affiliation: one for all, or one per organisation in the same order (executive, technical, sales, finance, researcher, communication, other)."), example="technical"),
    Column("admin_of", _("Those of the organisations (SIRET or slug) of which the person is an administrator."), example=""),
    Column("newsletter", _("Consent to the newsletter: yes or no (empty: unchanged)."), example="yes"),
    Column("directory", _("Consent to be listed in the directory: yes or no (empty: unchanged)."), example="no"),
    Column("member", _("Whether the person is a member today, through an organisation."), EXPORT),
]  # fmt: skip

# Header names people often type, mapped to the column they mean.
ALIASES = {
    "organisation": "organisations",
    "organization": "organisations",
    "organizations": "organisations",
    "role": "roles",
    "e_mail": "email",
    "mail": "email",
}


def columns_for(kind: str) -> list[Column]:
    return ORGANISATION_COLUMNS if kind == ImportKind.ORGANISATIONS else PEOPLE_COLUMNS


def column_names(kind: str) -> list[str]:
    return [column.name for column in columns_for(kind)]


def template_rows(kind: str) -> list[list[str]]:
    """The header of an empty file to fill in (examples are on the import page, not in the
    file, so that they cannot be imported by mistake)."""
    return [[c.name for c in columns_for(kind) if c.importable]]
