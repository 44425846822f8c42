"""NUTS 2 regions (2021 classification) used for members' locations, and countries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

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


class _Countries(Mapping[str, tuple[str, str]]):
    """Every ISO 3166-1 country: code → (French name, English name), from django-countries,
    read once on first use (the catalogues are only there once Django is set up)."""

    _names: dict[str, tuple[str, str]] | None = None

    def _data(self) -> dict[str, tuple[str, str]]:
        if self._names is None:
            names: dict[str, dict[str, str]] = {}
            for language in ("fr", "en"):
                with translation.override(language):
                    for code, name in countries:
                        names.setdefault(code, {})[language] = str(name)
            type(self)._names = {code: (n["fr"], n["en"]) for code, n in names.items()}
        return self._names  # type: ignore[return-value]

    def __getitem__(self, code: str) -> tuple[str, str]:
        return self._data()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


COUNTRIES = _Countries()

# The 27 member states of the European Union.
EU_COUNTRIES = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
}  # fmt: skip


def country_choices() -> list[tuple[str, str]]:
    """Every country, named and sorted in the reader's language (a callable, for model fields'
    `choices`: evaluated when a form or a display needs it, and kept out of migrations)."""
    return [(code, str(name)) for code, name in countries]


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
