"""Valid-looking, invented identifiers: SIREN, SIRET, intra-EU VAT numbers and an IBAN.

The check digits follow the rules that `grappe.members.validators` enforces, so every number
passes validation, yet each is drawn at random and names no real company.
"""

from __future__ import annotations

import random

from grappe.members.validators import LA_POSTE_SIREN, french_vat_key, luhn_valid


def luhn_complete(digits: str) -> str:
    """`digits` followed by the one check digit that makes the whole Luhn-valid."""
    for check in "0123456789":
        if luhn_valid(digits + check):
            return digits + check
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")


def siren_draw(rng: random.Random, taken: set[str]) -> str:
    """A fresh 9-digit SIREN (never La Poste's, never one already drawn)."""
    while True:
        siren = luhn_complete(str(rng.randint(30_000_000, 99_999_999)))
        if siren != LA_POSTE_SIREN and siren not in taken:
            taken.add(siren)
            return siren


def siret_for(siren: str, establishment: int = 1) -> str:
    """The SIRET of establishment number `establishment` (NIC 0001x…) of `siren`.

    The NIC's last digit is chosen so that the 14 digits pass Luhn, as INSEE does."""
    return luhn_complete(f"{siren}{establishment:04d}")


def vat_for_siren(siren: str) -> str:
    return f"FR{french_vat_key(siren)}{siren}"


def foreign_vat(country: str, rng: random.Random) -> str:
    """A number in the country's EU VAT format; Switzerland has none (not in the EU)."""
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    if country == "DE":
        return f"DE{rng.randint(1, 9)}{digits(8)}"
    if country == "ES":
        return f"ES{rng.choice('ABG')}{digits(7)}{rng.randint(0, 9)}"
    if country == "IT":
        return f"IT{digits(11)}"
    if country == "BE":
        return f"BE0{rng.randint(2, 9)}{digits(8)}"
    return ""


def french_iban(bank: str, branch: str, account: str) -> str:
    """A French IBAN with a valid RIB key and IBAN check digits, grouped by four."""
    rib_key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{rib_key:02d}"
    # ISO 13616: move the country code and "00" to the end, letters as numbers (F=15, R=27).
    check = 98 - int(f"{bban}152700") % 97
    iban = f"FR{check:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
