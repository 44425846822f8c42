"""Text kept in both languages on a model: pick the reader's, fall back on the other."""

from __future__ import annotations

from django.utils.translation import get_language


def in_language(fr: str, en: str) -> str:
    """The English text for an English reader, the French one otherwise; when the chosen
    one is empty, the other."""
    if (get_language() or "fr").startswith("en"):
        return en or fr
    return fr or en
