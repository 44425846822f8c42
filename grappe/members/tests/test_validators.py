"""SIREN, SIRET and intra-EU VAT numbers: properties checked on generated numbers, and real
examples."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from grappe.members.validators import (
    LA_POSTE_SIREN,
    french_vat_key,
    is_valid_siren,
    is_valid_siret,
    is_valid_vat,
    luhn_valid,
    normalise_identifier,
    validate_siren,
    validate_siret,
    validate_vat,
)


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body + digit` pass Luhn, computed independently of the validator."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:  # these positions are doubled once the check digit is appended
            digit = digit * 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return str((10 - total % 10) % 10)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@st.composite
def sirens(draw: st.DrawFn) -> str:
    body = draw(digits(8))
    return body + luhn_check_digit(body)


@st.composite
def sirets(draw: st.DrawFn) -> str:
    siren = draw(sirens())
    assume(siren != LA_POSTE_SIREN)
    body = siren + draw(digits(4))
    return body + luhn_check_digit(body)


@st.composite
def la_poste_sirets(draw: st.DrawFn) -> str:
    """356000000 + 5 digits whose digit sum (with La Poste's 14) is divisible by 5."""
    head = LA_POSTE_SIREN + draw(digits(4))
    partial = sum(int(c) for c in head)
    last = draw(st.sampled_from([d for d in range(10) if (partial + d) % 5 == 0]))
    return head + str(last)


def one_digit_changed(value: str, position: int, new: str) -> str:
    return value[:position] + new + value[position + 1 :]


# --- Luhn, SIREN ------------------------------------------------------------------------------


@given(sirens())
def test_every_siren_with_a_luhn_check_digit_is_accepted(siren):
    assert luhn_valid(siren)
    assert is_valid_siren(siren)
    validate_siren(siren)  # does not raise


@given(sirens(), st.integers(0, 8), st.sampled_from("0123456789"))
def test_a_siren_with_one_digit_changed_is_refused(siren, position, new):
    assume(siren[position] != new)
    changed = one_digit_changed(siren, position, new)
    assert is_valid_siren(changed) is False
    with pytest.raises(ValidationError) as raised:
        validate_siren(changed)
    assert raised.value.code == "invalid_siren"


@given(sirens())
def test_a_siren_is_accepted_with_spaces_and_dots(siren):
    assert is_valid_siren(f"{siren[:3]} {siren[3:6]}.{siren[6:]}")


@pytest.mark.parametrize("value", ["", "55210055", "5521005540", "55210055A", "552 100 55x"])
def test_a_siren_of_the_wrong_shape_is_refused(value):
    assert is_valid_siren(value) is False


@pytest.mark.parametrize("siren", ["552100554", "303265045", "732829320", "542051180"])
def test_real_sirens_are_accepted(siren):
    assert is_valid_siren(siren)


# --- SIRET ----------------------------------------------------------------------------------


@given(sirets())
def test_every_siret_with_valid_siren_and_check_digit_is_accepted(siret):
    assert is_valid_siret(siret)
    validate_siret(siret)


@given(sirets(), st.integers(0, 13), st.sampled_from("0123456789"))
def test_a_siret_with_one_digit_changed_is_refused(siret, position, new):
    assume(siret[position] != new)
    changed = one_digit_changed(siret, position, new)
    # La Poste's numbers follow their own rule (below): a change that lands on it is not this case.
    assume(not changed.startswith(LA_POSTE_SIREN))
    assert is_valid_siret(changed) is False
    with pytest.raises(ValidationError) as raised:
        validate_siret(changed)
    assert raised.value.code == "invalid_siret"


@given(sirens(), digits(4))
def test_a_siret_whose_siren_part_is_invalid_is_refused_even_if_luhn_passes(siren, nic):
    # given a SIREN made invalid by changing its check digit, and a SIRET Luhn-valid over 14 digits
    bad_siren = siren[:8] + str((int(siren[8]) + 1) % 10)
    body = bad_siren + nic
    siret = body + luhn_check_digit(body)
    assume(not siret.startswith(LA_POSTE_SIREN))
    # then the SIRET is refused: its first nine digits are not a SIREN
    assert luhn_valid(siret)
    assert is_valid_siret(siret) is False


@given(la_poste_sirets())
def test_la_poste_sirets_with_a_digit_sum_divisible_by_5_are_accepted(siret):
    assert sum(int(c) for c in siret) % 5 == 0
    assert is_valid_siret(siret)


@given(la_poste_sirets(), st.integers(1, 4))
def test_la_poste_sirets_with_another_digit_sum_are_refused_unless_luhn_valid(siret, shift):
    # given a La Poste SIRET whose last digit is shifted so that the digit sum is not / 5
    last = (int(siret[-1]) + shift) % 10
    changed = siret[:-1] + str(last)
    assume(sum(int(c) for c in changed) % 5 != 0)
    # then it is refused, unless it happens to pass Luhn (INSEE accepts both for La Poste)
    assert is_valid_siret(changed) is luhn_valid(changed)


@pytest.mark.parametrize(
    "siret",
    [
        "55210055400013",  # a real SIRET (Peugeot's former head office)
        "35600000000048",  # La Poste's head office
        "35600000049837",  # a La Poste establishment: Luhn fails, digit sum 45
    ],
)
def test_real_sirets_are_accepted(siret):
    assert is_valid_siret(siret)


def test_the_la_poste_example_fails_luhn_and_passes_only_by_its_exception():
    assert luhn_valid("35600000049837") is False
    assert sum(int(c) for c in "35600000049837") == 45


@pytest.mark.parametrize("value", ["", "5521005540001", "552100554000130", "5521005540001A"])
def test_a_siret_of_the_wrong_shape_is_refused(value):
    assert is_valid_siret(value) is False


# --- VAT ------------------------------------------------------------------------------------


@given(sirens())
def test_the_french_vat_key_follows_the_official_formula(siren):
    key = (12 + 3 * (int(siren) % 97)) % 97
    assert french_vat_key(siren) == f"{key:02d}"
    assert is_valid_vat(f"FR{key:02d}{siren}")
    validate_vat(f"FR{key:02d}{siren}")


@given(sirens(), st.integers(1, 96))
def test_a_french_vat_number_with_a_wrong_key_is_refused(siren, offset):
    wrong = (int(french_vat_key(siren)) + offset) % 97
    assert is_valid_vat(f"FR{wrong:02d}{siren}") is False
    with pytest.raises(ValidationError) as raised:
        validate_vat(f"FR{wrong:02d}{siren}")
    assert raised.value.code == "invalid_vat"


@given(sirens(), st.integers(0, 8), st.sampled_from("0123456789"))
def test_a_french_vat_number_with_an_invalid_siren_is_refused(siren, position, new):
    assume(siren[position] != new)
    changed = one_digit_changed(siren, position, new)
    assert is_valid_vat(f"FR{french_vat_key(changed)}{changed}") is False


def test_real_french_vat_numbers_are_accepted():
    # given SIREN 303265045, whose key is (12 + 3 × (303265045 mod 97)) mod 97 = 40
    assert 303265045 % 97 == 74
    assert french_vat_key("303265045") == "40"
    # then the VAT number is accepted, in any usual spelling
    assert is_valid_vat("FR40303265045")
    assert is_valid_vat("fr 40 303 265 045")
    assert is_valid_vat("FR40.303.265.045")
    assert is_valid_vat("FR39303265045") is False


def test_a_french_vat_number_with_a_letter_key_checks_the_siren_only():
    assert is_valid_vat("FRK7303265045")
    assert is_valid_vat("FRK7303265046") is False  # SIREN check digit wrong


@pytest.mark.parametrize(
    "value",
    [
        "DE123456789", "BE0123456789", "NL123456789B01", "IT12345678901", "ESX1234567X",
        "ATU12345678", "EL123456789", "IE1234567WA",
    ],
)  # fmt: skip
def test_other_eu_vat_numbers_are_checked_for_their_format(value):
    assert is_valid_vat(value)


@pytest.mark.parametrize(
    "value",
    ["", "FR", "DE12345678", "BE2123456789", "NL123456789A01", "US123456789", "GR123456789",
     "FR4030326504", "FRIO303265045"],
)  # fmt: skip
def test_malformed_or_non_eu_vat_numbers_are_refused(value):
    assert is_valid_vat(value) is False


def test_normalise_identifier_removes_spaces_dots_and_dashes():
    assert normalise_identifier(" fr-40 303.265 045 ") == "FR40303265045"
    assert normalise_identifier("") == ""


def test_the_validation_messages_name_the_value():
    with pytest.raises(ValidationError) as raised:
        validate_siren("123456789")
    assert raised.value.params == {"value": "123456789"}
