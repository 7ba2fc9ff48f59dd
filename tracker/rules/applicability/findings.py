"""What the rule finds: the verdicts and each test's finding, and the reasons it gives as
translatable sentences with names in both languages."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def N_(template: str) -> str:  # noqa: N802 (the gettext marker's usual name)
    """Mark ``template`` for translation; it is translated where it is shown."""
    return template


class Verdict(enum.StrEnum):
    VIOLATION = "violation"
    CONTESTED = "contested"
    OUTSIDE_SCOPE = "outside_scope"
    INDETERMINATE = "indeterminate"


class Finding(enum.IntEnum):
    """The answer of one test; the verdict follows the worst one, in this order."""

    INSIDE = 0
    CONTESTED = 1
    UNCERTAIN = 2
    OUTSIDE = 3


VERDICT_OF_FINDING: dict[int, Verdict] = {
    Finding.INSIDE: Verdict.VIOLATION,
    Finding.CONTESTED: Verdict.CONTESTED,
    Finding.UNCERTAIN: Verdict.INDETERMINATE,
    Finding.OUTSIDE: Verdict.OUTSIDE_SCOPE,
}
FINDING_OF_VERDICT: dict[str, int] = {str(v): f for f, v in VERDICT_OF_FINDING.items()}


@dataclass(frozen=True)
class Name:
    """A record's name in English and, when known, in Arabic."""

    en: str
    ar: str | None = None

    def pick(self, language: str) -> str:
        return self.ar if language == "ar" and self.ar else self.en


@dataclass(frozen=True)
class Names:
    """Several names, listed with commas."""

    names: tuple[Name, ...]

    def pick(self, language: str) -> str:
        return ", ".join(n.pick(language) for n in self.names)


@dataclass(frozen=True)
class Text:
    """A sentence as a translatable template (``%(name)s`` placeholders) and its values, which
    may be sentences or names themselves."""

    template: str
    params: tuple[tuple[str, Text | Name | Names | str], ...] = ()

    def render(self, translate: Callable[[str], str] = str, language: str = "en") -> str:
        """The sentence, each template passed through ``translate`` and names in ``language``
        (English by default)."""
        values = {name: _value(value, translate, language) for name, value in self.params}
        return translate(self.template) % values if values else translate(self.template)


def _value(value: Text | Name | Names | str, translate: Callable[[str], str], language: str) -> str:
    if isinstance(value, Text):
        return value.render(translate, language)
    if isinstance(value, Name | Names):
        return value.pick(language)
    return value


def say(template: str, **params: Text | Name | Names | str) -> Text:
    return Text(template, tuple(params.items()))


@dataclass(frozen=True)
class Reason:
    """One test and what it found, with a sentence a reader can check (``message``, in
    English; ``text`` renders it in another language)."""

    test: str  # "time", "deadline", "obligation", "territory", "perpetrator", "justification"
    finding: Finding
    text: Text

    @property
    def message(self) -> str:
        return self.text.render()


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "reasons": [
                {"test": r.test, "finding": r.finding.name.lower(), "message": r.message}
                for r in self.reasons
            ],
        }
