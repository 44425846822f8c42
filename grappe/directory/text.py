"""Text analysis shared by the index and the queries: case, accents, French and English forms.

A word is lower-cased and each of its forms is kept: the French and English Snowball stems of
the accented word and of the word without accents. "Lasers", "laser", "LASER" share the stem
`laser`; "métrologie" and "metrologie" share `metrolog`; "imagerie" and "imagery" share
`imageri`. The same function analyses the organisations (SQLite index) and the queries, so both
sides always agree. PostgreSQL uses its own `french` and `english` configurations with
`unaccent` instead (see engines.py); only the vocabulary for spelling suggestions is Python's.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD_LENGTH = 40
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"), ("ø", "o"), ("ł", "l"))


def _fold(text: str) -> str:
    """Lower case, ligatures spelt out (str.translate is slow on long texts)."""
    text = text.lower()
    if not text.isascii():
        for ligature, letters in _LIGATURES:
            text = text.replace(ligature, letters)
    return text


# Words too common to search for (French and English, without accents): neither indexed nor
# queried.
STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "c",
        "est",
        "sont",
        "ont",
        "ete",
        "etre",
        "avons",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "we",
        "were",
        "which",
        "with",
        "will",
        "your",
        "you",
    ]
)

_french = snowballstemmer.stemmer("french")
_english = snowballstemmer.stemmer("english")


def unaccent(text: str) -> str:
    """`Métrologie` → `Metrologie`: the letters without their diacritics."""
    if text.isascii():
        return text
    for ligature, letters in _LIGATURES:
        text = text.replace(ligature, letters).replace(ligature.upper(), letters.capitalize())
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    return unaccent(text.lower())


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, accents kept (the stemmers need them)."""
    return [w for w in WORD_RE.findall(_fold(text)) if len(w) <= MAX_WORD_LENGTH]


@functools.lru_cache(maxsize=200_000)
def bare(word: str) -> str:
    """One lower-cased word without accents (memoised: texts repeat their words)."""
    return unaccent(word)


@functools.lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one lower-cased word: its French and English stems, unaccented."""
    plain = bare(word)
    forms = {
        unaccent(_french.stemWord(word)),
        unaccent(_english.stemWord(word)),
        _french.stemWord(plain),
        _english.stemWord(plain),
    }
    return tuple(sorted(f for f in forms if f))


def is_stopword(word: str) -> bool:
    return bare(word) in STOPWORDS


@functools.lru_cache(maxsize=200_000)
def _indexed(word: str) -> tuple[tuple[str, ...], str]:
    """A word's index terms and its spelling-vocabulary form ('' when it has none)."""
    plain = bare(word)
    if plain in STOPWORDS:
        return (), ""
    spelt = plain if len(plain) >= 3 and not plain.isdigit() else ""
    return word_terms(word), spelt


def analyse(text: str) -> str:
    """The index terms of a text, space-separated (what the SQLite index stores)."""
    terms: list[str] = []
    for word in words(text):
        terms.extend(_indexed(word)[0])
    return " ".join(terms)


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The distinct unaccented words of some texts, for spelling suggestions."""
    found: set[str] = set()
    for text in texts:
        found.update(_indexed(word)[1] for word in words(text))
    found.discard("")
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (transpositions count once), capped at `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def deletes(word: str) -> set[str]:
    """The word with one letter removed, each way (the keys of the spelling index)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def allowed_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2
