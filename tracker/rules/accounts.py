"""Rules of accounts: usernames compared as people read them (NFKC, case-folded, confusable
letters folded together) and passwords too easy to guess."""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache
from pathlib import Path

MIN_PASSWORD_LENGTH = 10

#: Letters and digits that look like others, folded to the Latin letter they pass for.
_CONFUSABLE = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u",
        # digits and look-alike Latin letters
        "0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "$": "s",
    }
)  # fmt: skip
_MARKS = re.compile(r"[\u0300-\u036f\u200b-\u200f\u2060\ufeff]")
_SEPARATORS = re.compile(r"[\s._\-]+")


def normalise_username(name: str) -> str:
    """``name`` as it is stored and looked up: NFKC-normalised, case-folded, without
    surrounding spaces (``Ａdmin`` and ``ADMIN`` are ``admin``)."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def username_skeleton(name: str) -> str:
    """What ``name`` looks like to a reader: normalised, accents and invisible characters
    dropped, look-alike letters folded (Cyrillic ``а`` is Latin ``a``, ``0`` is ``o``),
    separators dropped. Two names with the same skeleton are confusable."""
    text = unicodedata.normalize("NFKD", normalise_username(name))
    text = _MARKS.sub("", text)
    return _SEPARATORS.sub("", text.translate(_CONFUSABLE))


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to accept (case-folded)."""
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line and line[0] != "#")


def _core(password: str) -> str:
    """The password without the digits and symbols people put around a word."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", password.casefold())


def _is_run(text: str) -> bool:
    """One character repeated, or a run up or down the alphabet or the digits."""
    if len(set(text)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1}


def password_problem(password: str, *, names: tuple[str | None, ...] = ()) -> str | None:
    """Why ``password`` is refused (``short``, ``common``, ``name``, ``pattern``), or None.
    ``names`` are the user's own username and display name: a password holding the display
    name, or a part of three letters or more of the username, is refused."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "short"
    folded = password.casefold()
    words = common_passwords()
    if folded in words or _core(password) in words or folded.rstrip("0123456789") in words:
        return "common"
    username: str | None = names[0] if names else None
    others = names[1:]
    parts = [p for p in re.split(r"\W+", (username or "").casefold()) if len(p) >= 3]
    parts += [n.casefold() for n in others if n and len(n) >= 3]
    if any(part in folded for part in parts):
        return "name"
    if _is_run(folded) or _is_run(folded.rstrip("0123456789!")):
        return "pattern"
    return None
