"""Text for the reader's language: bilingual model fields, and dates written as French writes
them (« 1er mars »)."""

from __future__ import annotations

import re
from typing import Any

from django.utils import formats
from django.utils.translation import get_language


def in_language(fr: str, en: str) -> str:
    """The English text for an English reader, the French one otherwise; when the chosen
    one is empty, the other."""
    if (get_language() or "fr").startswith("en"):
        return en or fr
    return fr or en


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
FIRST = re.compile(rf"(?<![\d])1(?= (?:{MONTHS})\b)", re.IGNORECASE)


def first_of_month(text: str) -> str:
    """« 1 mars 2026 » → « 1er mars 2026 »; « 11 mars », « 21 mars » unchanged."""
    return FIRST.sub("1er", text)


def in_french() -> bool:
    return (get_language() or "").startswith("fr")


def date_format(value: Any, format: str | None = None) -> str:
    """Django's `date_format`, with the first of the month « 1er » in French."""
    text = formats.date_format(value, format)
    return first_of_month(text) if in_french() else text
