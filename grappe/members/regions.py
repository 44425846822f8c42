"""NUTS 2 regions (2021 classification) used for members' locations, and countries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# code: (country, French name, English name)
NUTS2: dict[str, tuple[str, str, str]] = {
    "FRL0": ("FR", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    "FRJ1": ("FR", "Occitanie – Languedoc-Roussillon", "Occitania – Languedoc-Roussillon"),
    "FRJ2": ("FR", "Occitanie – Midi-Pyrénées", "Occitania – Midi-Pyrénées"),
    "FR10": ("FR", "Île-de-France", "Île-de-France"),
    "FRK2": ("FR", "Auvergne-Rhône-Alpes – Rhône-Alpes", "Auvergne-Rhône-Alpes – Rhône-Alpes"),
    "FRK1": ("FR", "Auvergne-Rhône-Alpes – Auvergne", "Auvergne-Rhône-Alpes – Auvergne"),
    "FRI1": ("FR", "Nouvelle-Aquitaine – Aquitaine", "Nouvelle-Aquitaine – Aquitaine"),
    "FRH0": ("FR", "Bretagne", "Brittany"),
    "FRF1": ("FR", "Grand Est – Alsace", "Grand Est – Alsace"),
    "FRE1": ("FR", "Hauts-de-France – Nord-Pas-de-Calais", "Hauts-de-France – Nord-Pas-de-Calais"),
    "FRD1": ("FR", "Normandie – Basse-Normandie", "Normandy – Lower Normandy"),
    "FRG0": ("FR", "Pays de la Loire", "Pays de la Loire"),
    "FRB0": ("FR", "Centre-Val de Loire", "Centre-Val de Loire"),
    "FRC1": ("FR", "Bourgogne-Franche-Comté – Bourgogne", "Burgundy-Franche-Comté – Burgundy"),
    "FRM0": ("FR", "Corse", "Corsica"),
    "DE21": ("DE", "Haute-Bavière", "Upper Bavaria"),
    "DE11": ("DE", "Stuttgart", "Stuttgart"),
    "DEG0": ("DE", "Thuringe", "Thuringia"),
    "BE10": ("BE", "Région de Bruxelles-Capitale", "Brussels-Capital Region"),
    "ES51": ("ES", "Catalogne", "Catalonia"),
    "ITC4": ("IT", "Lombardie", "Lombardy"),
    "NL33": ("NL", "Hollande-Méridionale", "South Holland"),
    "CH01": ("CH", "Région lémanique", "Lake Geneva region"),
}

COUNTRIES: dict[str, tuple[str, str]] = {
    "FR": ("France", "France"),
    "DE": ("Allemagne", "Germany"),
    "BE": ("Belgique", "Belgium"),
    "ES": ("Espagne", "Spain"),
    "IT": ("Italie", "Italy"),
    "NL": ("Pays-Bas", "Netherlands"),
    "CH": ("Suisse", "Switzerland"),
    "GB": ("Royaume-Uni", "United Kingdom"),
    "US": ("États-Unis", "United States"),
    "CA": ("Canada", "Canada"),
    "JP": ("Japon", "Japan"),
}

EU_COUNTRIES = {"FR", "DE", "BE", "ES", "IT", "NL"}


def region_name(code: str, language: str = "fr") -> str:
    entry = NUTS2.get(code)
    if entry is None:
        return code if code else str(_("Outside the EU"))
    return entry[1] if language.startswith("fr") else entry[2]


def country_name(code: str, language: str = "fr") -> str:
    entry = COUNTRIES.get(code)
    if entry is None:
        return code
    return entry[0] if language.startswith("fr") else entry[1]


REGION_CHOICES = [(code, names[1]) for code, names in NUTS2.items()]
COUNTRY_CHOICES = [(code, names[0]) for code, names in COUNTRIES.items()]
