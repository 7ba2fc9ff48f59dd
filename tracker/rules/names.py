"""Name folding for search: Arabic spelling variants, Latin accents and transliterations."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u0622": "\u0627",  # alef with madda -> alef
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alif maqsura -> ya
        "\u0629": "\u0647",  # ta marbuta -> ha
        "\u0624": "\u0648",  # waw with hamza -> waw
        "\u0626": "\u064a",  # ya with hamza -> ya
        "\u0621": "",  # lone hamza
    }
)
_NOT_WORD = re.compile(r"[^\w]+")
_LATIN_ARTICLE = re.compile(r"^(?:al|el|as|ash|ad|ar|at|az|an|adh|ath)\s")
_VOWELS = re.compile(r"[aeiouyw]")
_FINAL_H = re.compile(r"h\b")
_REPEATS = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Lower-case ``text``; drop Latin accents, Arabic diacritics and tatweel; unify alef/hamza,
    ya/alif maqsura and ta marbuta; turn punctuation into single spaces."""
    if not text.isascii():  # ASCII has no accents, Arabic letters or combining marks
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = text.replace("'", "").replace("\u2019", "").replace("`", "")
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def skeleton(text: str) -> str:
    """A transliteration-proof key of a Latin name: folded, article and word-final h dropped,
    vowels and w/y dropped, doubled letters collapsed (Kafr Nabudah and Kafranbouda both give
    kfrnbd). Empty for non-Latin text and for keys too short to mean anything."""
    folded = _FINAL_H.sub("", _LATIN_ARTICLE.sub("", fold(text)))
    if not folded.isascii():
        return ""
    letters = _REPEATS.sub(r"\1", _VOWELS.sub("", folded.replace(" ", "")))
    return letters if len(letters) >= 4 else ""


def search_key(names: Iterable[str | None]) -> str:
    """The text stored beside a record for search: each name folded, without spaces, and as a
    skeleton, separated by ``|`` so that a query never matches across two names."""
    parts: list[str] = []
    for name in names:
        if not name:
            continue
        folded = fold(name)
        for part in (folded, folded.replace(" ", ""), skeleton(name)):
            if part and part not in parts:
                parts.append(part)
    return "|" + "|".join(parts) + "|"


def query_keys(query: str) -> list[str]:
    """The forms of a search query to look for inside search keys (any may match)."""
    folded = fold(query)
    keys = [folded, folded.replace(" ", "")]
    keys.append(skeleton(query))
    return [k for k in dict.fromkeys(keys) if k]
