"""Name folding for search: Arabic spelling variants, Latin accents and transliterations."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

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
    return _skeleton_of_folded(fold(text))


def _skeleton_of_folded(folded: str) -> str:
    folded = _FINAL_H.sub("", _LATIN_ARTICLE.sub("", folded))
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
        for part in (folded, folded.replace(" ", ""), _skeleton_of_folded(folded)):
            if part and part not in parts:
                parts.append(part)
    return "|" + "|".join(parts) + "|"


def query_keys(query: str) -> list[str]:
    """The forms of a search query to look for inside search keys (any may match)."""
    folded = fold(query)
    keys = [folded, folded.replace(" ", "")]
    keys.append(skeleton(query))
    return [k for k in dict.fromkeys(keys) if k]


_DIGRAPHS = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "t"), ("ou", "u"))
_ANY_ARTICLE = re.compile(r"(?<!\w)(?:al|el|as|ash|ad|ar|at|az|an|adh|ath|ed|es|et)\s")
_GLUED_ARTICLE = re.compile(r"(?<!\w)(?:al|el)(?=[a-z]{4,})")
_ARABIC_ARTICLE = re.compile(r"(?<!\w)ال")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_FINAL_H_OF_WORD = re.compile(r"(?<=[aei])h(?!\w)")
_FINAL_VOWEL = re.compile(r"(?:iyy?|y)?[ae](?!\w)")


def plain_key(text: str) -> str:
    """A spelling-proof key of a name: folded, articles (also glued ones: Elnaasan) and a
    word-final h after a vowel dropped, spaces removed, doubled letters collapsed (Al Sabkhah
    and Sabkha give sabkha). Arabic text is folded and its articles dropped."""
    folded = fold(text)
    if not folded.isascii():
        return _ARABIC_ARTICLE.sub("", folded).replace(" ", "")
    folded = _ANY_ARTICLE.sub("", folded)
    folded = _GLUED_ARTICLE.sub("", folded)
    folded = _FINAL_VOWEL.sub("a", _FINAL_H_OF_WORD.sub("", folded))
    return _REPEATS.sub(r"\1", folded.replace(" ", ""))


def sound_key(text: str) -> str:
    """A looser key than :func:`plain_key`: digraphs (kh, gh, sh, th, dh) as one letter, q as
    k, then vowels, h, w and y dropped (Kafr Nabudah and Kafr Nabutha give kfrnbd and
    kfrnbt). Arabic text gives its plain key."""
    plain = plain_key(text)
    if not plain.isascii():
        return plain
    for pair, single in _DIGRAPHS:
        plain = plain.replace(pair, single)
    plain = plain.replace("q", "k").replace("j", "g")
    return _REPEATS.sub(r"\1", re.sub(r"[aeiouywh]", "", plain))


def edit_distance(a: str, b: str, limit: int) -> int:
    """The Levenshtein distance of ``a`` and ``b`` (adjacent swaps count once), or ``limit + 1``
    as soon as it is certain to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(key: str) -> int:
    """How many edits a key of this length may be off and still be meant: one per four
    letters, at most three, none below three letters."""
    return 0 if len(key) < 3 else min(3, max(1, len(key) // 4))


def _grams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


@dataclass(frozen=True)
class NameKeys:
    """The keys of one spelling of a name that :func:`rank_match` compares."""

    folded: str
    compact: str
    plain: str
    sound: str
    grams: frozenset[str]
    sound_grams: frozenset[str]


def keys_of(name: str) -> NameKeys:
    """The keys of one spelling."""
    folded = fold(name)
    plain = plain_key(name)
    sound = sound_key(name)
    return NameKeys(folded, folded.replace(" ", ""), plain, sound, _grams(plain), _grams(sound))


def name_keys(names: Iterable[str | None]) -> list[NameKeys]:
    """The keys of every spelling of a record's names, with the parts of a name that joins two
    (``Maaret Elnaasan - Maaret Elhaski``) and a name without its bracketed qualifier
    (``Sayda (Dar'a)``)."""
    spellings: list[str] = []
    for name in names:
        if not name:
            continue
        bare = _PARENTHESES.sub("", name).strip()
        parts = re.split(r"\s+-\s+|/", bare)
        for spelling in (name, bare, *parts):
            if spelling.strip() and spelling not in spellings:
                spellings.append(spelling.strip())
    return [keys_of(s) for s in spellings if fold(s)]


def rank_match(query: NameKeys, candidates: Iterable[NameKeys]) -> float | None:
    """How well the typed ``query`` names a record with these spellings (lower is better),
    or None when it does not: 0 a whole name, 1 the same name spelled a little differently
    (articles, final h, doubled letters), 2 the start of a name, 3 the same sounds, 4 inside a
    name, then 5 and 6 when only a few typos away; the share of letters that differ orders
    the records of one tier."""
    best: float | None = None
    for name in candidates:
        tier = _tier(query, name)
        if tier is None:
            continue
        limit = max(len(query.compact), len(name.compact))
        typed = edit_distance(query.compact, name.compact, limit)
        spread = (typed + edit_distance(query.plain, name.plain, limit)) / max(2 * limit, 1)
        rank = tier + 0.9 * spread
        best = rank if best is None else min(best, rank)
    return best


def best_tier(query: NameKeys, candidates: Iterable[NameKeys]) -> int | None:
    """The tier of :func:`rank_match` alone (cheaper: no ordering within the tier)."""
    tiers = [t for t in (_tier(query, name) for name in candidates) if t is not None]
    return min(tiers) if tiers else None


def _tier(query: NameKeys, name: NameKeys) -> int | None:
    if query.folded == name.folded or query.compact == name.compact:
        return 0
    if query.plain and query.plain == name.plain:
        return 1
    if name.folded.startswith(query.folded) or name.compact.startswith(query.compact):
        return 2
    if len(query.sound) >= 2 and query.sound == name.sound:
        return 3
    if query.compact in name.compact:
        return 4
    sound_limit = allowed_typos(query.sound)
    plain_limit = allowed_typos(query.plain)
    # q-gram filter: k edits change at most 2k of a key's letter pairs
    near_sound = len(query.sound_grams & name.sound_grams) >= len(query.sound_grams) - 2 * (
        sound_limit
    )
    if (
        sound_limit
        and near_sound
        and edit_distance(query.sound, name.sound, sound_limit) <= (sound_limit)
    ):
        return 5
    near_plain = len(query.grams & name.grams) >= len(query.grams) - 2 * plain_limit
    if (
        plain_limit
        and near_plain
        and edit_distance(query.plain, name.plain, plain_limit) <= (plain_limit)
    ):
        return 6
    return None


def match_rank(query: str, names: Iterable[str | None]) -> float | None:
    """:func:`rank_match` of a typed text against a record's names."""
    keys = keys_of(query)
    return rank_match(keys, name_keys(names)) if keys.compact else None
