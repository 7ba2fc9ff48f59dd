"""Search terms: words folded and stemmed (English and light Arabic), name variants, queries.

A document is indexed as two lists of terms: ``words`` (every word of its text, folded and
stemmed, in order, so that phrases can be matched) and ``variants`` (transliteration-proof
skeletons of the names it mentions, and their words written together). A query is a list of
groups that must all match: a bare word matches its stem or its skeleton, a quoted phrase
matches its stems side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

from tracker.rules.names import fold

#: Variant terms start with a digit that no folded word starts with next to a letter:
#: skeletons, shapes, and skeletons with a letter left out.
VARIANT_MARK = "0"
SHAPE_MARK = "1"
DELETION_MARK = "2"
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_SOUNDS = (
    ("dh", "d"), ("th", "d"), ("gh", "g"), ("kh", "x"), ("q", "k"), ("ck", "k"), ("c", "k"),
    ("p", "b"), ("v", "f"), ("ou", "u"), ("ee", "i"),
)  # fmt: skip
_WORD = re.compile(r"\w+")
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN_VOWELS = re.compile(r"[aeiouyw]")
_REPEATS = re.compile(r"(.)\1+")
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"?|(\S+)')
_ARTICLES = ("al", "el")

# Light Arabic stemming (after folding: ta marbuta is ha, alif maqsura is ya).
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_ENGLISH = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one folded word: light Arabic stemming for Arabic script (the article and
    the conjunctions before it, then one common suffix), the Snowball English stemmer for
    Latin script, digits as they are."""
    if _ARABIC.search(word):
        return _arabic_stem(word)
    if word.isdigit() or not word.isascii():
        return word
    return str(_ENGLISH.stemWord(word))


def _arabic_stem(word: str) -> str:
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    else:
        if word.startswith("و") and len(word) >= 4:
            word = word[1:]
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


def _latin(word: str) -> str:
    """A folded Latin word with the spellings of one Arabic sound made one (dh/th, gh, kh,
    q/k/c, p/b, v/f, ou/u, ee/i) and doubled letters single."""
    for spelling, sound in _SOUNDS:
        word = word.replace(spelling, sound)
    return _REPEATS.sub(r"\1", word)


def skeleton(word: str) -> str:
    """A transliteration-proof key of a folded Latin word: its consonants (w and y are vowels
    here), without a final h, doubled letters single ("nabouda" and "nabudah" both give
    "nbd"); empty for Arabic script and for keys shorter than three letters."""
    if not word.isascii() or word.isdigit():
        return ""
    letters = _LATIN_VOWELS.sub("", _latin(word).removesuffix("h"))
    return VARIANT_MARK + letters if len(letters) >= 3 else ""


def shape(word: str) -> str:
    """A second key of a folded Latin word that keeps where its vowels are, each run of
    vowels written "a" and a final "ah" as "a" ("aziziyeh" and "azizieh" give "azaza", "tall"
    and "tal" give "tal"); empty for Arabic script and keys shorter than three letters."""
    if not word.isascii() or word.isdigit():
        return ""
    key = _VOWEL_RUNS.sub("a", _latin(word))
    key = key.removesuffix("h") if key.endswith("ah") else key
    return SHAPE_MARK + key if len(key) >= 3 else ""


def deletions(key: str) -> list[str]:
    """The skeleton ``key`` with one letter left out, each (for skeletons of four letters or
    more): a misspelt or dropped letter on either side still meets ("mntf" and "mtf")."""
    letters = key.removeprefix(VARIANT_MARK)
    if len(letters) < 4:
        return []
    return list(dict.fromkeys(letters[:i] + letters[i + 1 :] for i in range(len(letters))))


@lru_cache(maxsize=100_000)
def word_keys(word: str) -> tuple[str, ...]:
    """The variant terms one word of a name is indexed under: skeleton, shape, skeletons with
    a letter left out, and the same for the word without a joined article (alnaasan)."""
    found = []
    forms = [word]
    for article in _ARTICLES:
        if word.startswith(article) and len(word) > len(article) + 3:
            forms.append(word[len(article) :])
    for form in forms:
        key = skeleton(form)
        found += [key, shape(form), *(DELETION_MARK + d for d in deletions(key))]
        if form != word:
            found.append(stem(form))
    return tuple(f for f in dict.fromkeys(found) if f)


def query_keys(word: str) -> list[str]:
    """What one typed word matches: its stem, and for a Latin word the index terms of any
    spelling at most one consonant away (skeleton against skeleton or against a skeleton with a
    letter left out, and the other way round) or with the same shape."""
    found = [stem(word)]
    key = skeleton(word)
    if key:
        letters = key.removeprefix(VARIANT_MARK)
        found += [key, DELETION_MARK + letters]
        for d in deletions(key):
            found += [VARIANT_MARK + d, DELETION_MARK + d]
    found.append(shape(word))
    return [f for f in dict.fromkeys(found) if f]


def words(text: str | None) -> list[str]:
    """The stems of the words of ``text`` in order."""
    if not text:
        return []
    return list(_words(text))


#: Longer runs of letters are no words a person searches for (and PostgreSQL refuses
#: ``tsvector`` terms over 2,047 bytes): they are left out of the index and of queries alike.
MAX_WORD = 100


@lru_cache(maxsize=200_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in fold(text).split() if len(w) <= MAX_WORD)


def name_variants(name: str | None) -> list[str]:
    """The variant terms of a name: each word's skeleton, and the skeleton and the stem of the
    whole name written as one word (Kafr Nabudah, Kafranbouda and Kafr Nabouda meet)."""
    if not name:
        return []
    return list(_name_variants(name))


@lru_cache(maxsize=100_000)
def _skeletons(name: str) -> tuple[str, ...]:
    return tuple(k for k in map(skeleton, fold(name).split()) if k and len(k) <= MAX_WORD)


@lru_cache(maxsize=100_000)
def _name_variants(name: str) -> tuple[str, ...]:
    parts = [part for part in fold(name).split() if len(part) <= MAX_WORD]
    found = [key for part in parts for key in word_keys(part)]
    if len(parts) > 1:
        joined = "".join(parts)
        found += [skeleton(joined), shape(joined), stem(joined)]
    return tuple(f for f in dict.fromkeys(found) if f)


@dataclass
class Document:
    """The terms of one indexed record."""

    words: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)

    def add_text(self, *texts: str | None) -> None:
        """Add the words of free text."""
        for text in texts:
            self.words.extend(words(text))

    def add_names(self, names: Iterable[str | None], *, fuzzy: bool = True) -> None:
        """Add the words and the variants of names (each name on its own); without ``fuzzy``,
        only the names' skeletons (for names that are less often misspelt, such as admin
        areas and agreements: a smaller index)."""
        for name in names:
            self.words.extend(words(name))
            if fuzzy:
                self.variants.extend(name_variants(name))
            elif name:
                self.variants.extend(_skeletons(name))

    def words_text(self) -> str:
        """The words, separated by spaces, as the FTS5 column holds them."""
        return " ".join(self.words)

    def variants_text(self) -> str:
        """The distinct variants, separated by spaces."""
        return " ".join(dict.fromkeys(self.variants))

    def tsvector(self) -> str:
        """The document as a PostgreSQL ``tsvector`` literal: words at their positions, the
        variants after a gap so that no phrase runs from a word into a variant."""
        positions: dict[str, list[int]] = {}
        for position, term in enumerate(self.words[:16000], start=1):
            positions.setdefault(term, []).append(position)
        start = min(len(self.words), 16000) + 10
        for offset, term in enumerate(dict.fromkeys(self.variants)):
            positions.setdefault(term, []).append(min(start + offset, 16383))
        return " ".join(
            f"'{term}':" + ",".join(str(p) for p in places[:256])
            for term, places in positions.items()
            if len(term.encode()) < 2048
        )


@dataclass(frozen=True)
class Group:
    """One part of a query that a document must match: any of ``alternatives`` (a bare word),
    or ``phrase`` (stems side by side)."""

    alternatives: tuple[str, ...] = ()
    phrase: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """A parsed search: groups that must all match, or else (for a query of two or three bare
    words, as names are typed) ``joined``: the words written as one ("كفر نبودة" finds
    "كفرنبودة", "Kafr Nabouda" finds "Kafranbouda")."""

    groups: tuple[Group, ...]
    joined: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the query has nothing to look for."""
        return not self.groups

    def highlight_terms(self) -> frozenset[str]:
        """The stems and skeletons whose words are highlighted in results."""
        found: set[str] = set()
        for group in self.groups:
            found.update(group.alternatives)
            found.update(group.phrase)
        return frozenset(found | set(self.joined))

    def fts5(self) -> str:
        """The query in FTS5's syntax (every term quoted: nothing the user typed is an
        operator)."""
        parts = []
        for group in self.groups:
            if group.phrase:
                parts.append("{words} : " + _quote_fts(" ".join(group.phrase)))
            else:
                parts.append("(" + " OR ".join(_quote_fts(a) for a in group.alternatives) + ")")
        if self.joined:
            whole = " OR ".join(_quote_fts(a) for a in self.joined)
            return "(" + " AND ".join(parts) + ") OR " + whole
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """The query as a PostgreSQL ``tsquery`` literal."""
        parts = []
        for group in self.groups:
            if group.phrase:
                parts.append("(" + " <-> ".join(_quote_ts(t) for t in group.phrase) + ")")
            else:
                parts.append("(" + " | ".join(_quote_ts(a) for a in group.alternatives) + ")")
        if self.joined:
            whole = " | ".join(_quote_ts(a) for a in self.joined)
            return "(" + " & ".join(parts) + ") | " + whole
        return " & ".join(parts)


def _quote_fts(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _quote_ts(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def parse_query(text: str | None) -> Query:
    """Parse a search box: words (each matched by its stem or, for names, its skeleton) and
    phrases in double quotes; all must match. Punctuation is ignored."""
    groups: list[Group] = []
    bare: list[str] = []
    for match in _PHRASE_OR_WORD.finditer(text or ""):
        phrase_text, word = match.group(1), match.group(2)
        if phrase_text is not None:
            stems = tuple(words(phrase_text))
            if len(stems) > 1:
                groups.append(Group(phrase=stems))
                continue
            word = phrase_text
        bare += fold(word or "").split()
    for part in bare:
        if part in _ARTICLES and len(bare) > 1:
            continue  # "Al Bab" finds "Bab" and "al-Bab"
        groups.append(Group(alternatives=tuple(query_keys(part))))
    joined: tuple[str, ...] = ()
    if 2 <= len(bare) <= 3 and len(bare) == len(groups) + sum(p in _ARTICLES for p in bare):
        whole = "".join(bare)
        joined = tuple(a for a in dict.fromkeys((stem(whole), skeleton(whole), shape(whole))) if a)
    return Query(tuple(dict.fromkeys(groups)), joined)


def _marks(text: str, terms: frozenset[str]) -> Iterator[tuple[str, bool]]:
    """``text`` cut into pieces, each with whether it is a word the query matched."""
    position = 0
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if not folded:
            continue
        hit = any(stem(w) in terms or not terms.isdisjoint(word_keys(w)) for w in folded.split())
        if hit:
            yield text[position : match.start()], False
            yield match.group(), True
            position = match.end()
    yield text[position:], False


def highlight(text: str | None, query: Query, *, around: int = 0) -> Markup:
    """``text`` escaped, with the words the query matched in ``<mark>``; with ``around``, only
    that many characters on either side of the first match (an ellipsis where cut)."""
    if not text:
        return Markup("")
    pieces = list(_marks(text, query.highlight_terms()))
    if around:
        pieces = _window(pieces, around)
    out = Markup("")
    for piece, hit in pieces:
        out += Markup("<mark>%s</mark>") % piece if hit else escape(piece)
    return out


def _window(pieces: list[tuple[str, bool]], around: int) -> list[tuple[str, bool]]:
    first = next((i for i, (_p, hit) in enumerate(pieces) if hit), None)
    if first is None:
        text = "".join(p for p, _hit in pieces)
        return [(text[: 2 * around] + ("…" if len(text) > 2 * around else ""), False)]
    before = "".join(p for p, _hit in pieces[:first])
    cut_before = ("…" + before[-around:]) if len(before) > around else before
    kept: list[tuple[str, bool]] = [(cut_before, False)]
    budget = 2 * around
    for piece, hit in pieces[first:]:
        if budget <= 0:
            kept.append(("…", False))
            break
        if not hit and len(piece) > budget:
            kept.append((piece[:budget] + "…", False))
            break
        kept.append((piece, hit))
        budget -= len(piece)
    return kept
