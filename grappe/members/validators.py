"""French company identifiers (SIREN, SIRET) and intra-EU VAT numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share SIREN 356 000 000; their SIRETs fail Luhn and instead have a
# digit sum divisible by 5 (INSEE's documented exception).
LA_POSTE_SIREN = "356000000"

EU_VAT_PATTERNS = {
    "AT": r"U\d{8}", "BE": r"[01]\d{9}", "BG": r"\d{9,10}", "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}", "DE": r"\d{9}", "DK": r"\d{8}", "EE": r"\d{9}", "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]", "FI": r"\d{8}", "FR": r"[0-9A-HJ-NP-Z]{2}\d{9}",
    "HR": r"\d{11}", "HU": r"\d{8}", "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}", "LT": r"\d{9}|\d{12}", "LU": r"\d{8}", "LV": r"\d{11}", "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}", "PL": r"\d{10}", "PT": r"\d{9}", "RO": r"\d{2,10}",
    "SE": r"\d{12}", "SI": r"\d{8}", "SK": r"\d{10}", "XI": r"\d{9}|\d{12}",
}  # fmt: skip


def normalise_identifier(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_valid_siren(value: str) -> bool:
    value = normalise_identifier(value)
    return len(value) == 9 and value.isdigit() and luhn_valid(value)


def is_valid_siret(value: str) -> bool:
    value = normalise_identifier(value)
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return luhn_valid(value) or sum(int(c) for c in value) % 5 == 0
    return luhn_valid(value) and is_valid_siren(value[:9])


def french_vat_key(siren: str) -> str:
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def is_valid_vat(value: str) -> bool:
    """Format check for every EU country; the numeric key is checked for France."""
    value = normalise_identifier(value)
    country, number = value[:2], value[2:]
    pattern = EU_VAT_PATTERNS.get(country)
    if pattern is None or not re.fullmatch(pattern, number):
        return False
    if country == "FR":
        key, siren = number[:2], number[2:]
        if not is_valid_siren(siren):
            return False
        if key.isdigit():
            return key == french_vat_key(siren)
    return True


def validate_siren(value: str) -> None:
    if not is_valid_siren(value):
        raise ValidationError(
            _("“%(value)s” is not a valid SIREN: 9 digits with a valid check digit."),
            code="invalid_siren",
            params={"value": value},
        )


def validate_siret(value: str) -> None:
    if not is_valid_siret(value):
        raise ValidationError(
            _("“%(value)s” is not a valid SIRET: 14 digits with a valid check digit."),
            code="invalid_siret",
            params={"value": value},
        )


def validate_vat(value: str) -> None:
    if not is_valid_vat(value):
        raise ValidationError(
            _("“%(value)s” is not a valid intra-EU VAT number (for France: FR, key, SIREN)."),
            code="invalid_vat",
            params={"value": value},
        )
