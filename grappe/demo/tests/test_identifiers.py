import random

from grappe.demo.identifiers import (
    foreign_vat,
    french_iban,
    luhn_complete,
    siren_draw,
    siret_for,
    vat_for_siren,
)
from grappe.members.validators import is_valid_siren, is_valid_siret, is_valid_vat, luhn_valid


def test_luhn_complete_adds_the_one_check_digit():
    # La Poste's SIREN is Luhn-valid
    assert luhn_complete("35600000") == "356000000"
    # and any other check digit than the one chosen fails
    number = luhn_complete("1234567890123")
    others = [number[:-1] + d for d in "0123456789" if d != number[-1]]
    assert luhn_valid(number) and not any(luhn_valid(o) for o in others)


def test_drawn_identifiers_pass_the_validators_and_are_not_repeated():
    rng, taken = random.Random(7), set()
    sirens = [siren_draw(rng, taken) for _ in range(300)]
    assert len(set(sirens)) == 300
    for siren in sirens:
        assert is_valid_siren(siren)
        assert is_valid_siret(siret_for(siren)) and is_valid_siret(siret_for(siren, 12))
        assert is_valid_vat(vat_for_siren(siren))
    for country in ("DE", "ES", "IT", "BE"):
        assert is_valid_vat(foreign_vat(country, rng)), country
    assert foreign_vat("CH", rng) == ""


def test_french_iban_has_valid_check_digits():
    iban = french_iban("99990", "00013", "00012345678")
    compact = iban.replace(" ", "")
    assert compact.startswith("FR") and len(compact) == 27
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    assert int(numeric) % 97 == 1
