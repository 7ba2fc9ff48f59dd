"""Publishers as one entity each: a publisher name as a source prints it ("Sasa Post (ساسة
بوست)") is matched to the publisher it names, by folded name or alias, or becomes a new one."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Publisher
from tracker.rules.names import fold

_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*$")


def publisher_names(text: str) -> tuple[str, str | None]:
    """The name a source prints, and the other name it gives in brackets:
    ``Sasa Post (ساسة بوست)`` -> (``Sasa Post``, ``ساسة بوست``)."""
    text = " ".join(text.split())
    match = _PARENTHESIS.search(text)
    if match and match.start() > 0:
        return text[: match.start()], match.group(1).strip() or None
    return text, None


class Publishers:
    """The publishers of the database by each folded name and alias, read once per write (a
    few hundred rows) and kept current as publishers are found or added."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, Publisher] = {}
        for publisher in session.scalars(select(Publisher).order_by(Publisher.id)):
            self._index(publisher)

    def _index(self, publisher: Publisher) -> None:
        for name in (publisher.name, *(publisher.aliases or ())):
            self.by_key.setdefault(fold(name), publisher)

    def find(self, text: str | None) -> Publisher | None:
        """The publisher ``text`` names, or None."""
        if not text or not text.strip():
            return None
        name, alias = publisher_names(text)
        for key in (fold(text), fold(name), fold(alias or "")):
            if key and key in self.by_key:
                return self.by_key[key]
        return None

    def resolve(self, text: str | None) -> Publisher | None:
        """The publisher ``text`` names, created when there is none, and given the bracketed
        name as an alias when it lacks it; None for no text."""
        if not text or not text.strip():
            return None
        name, alias = publisher_names(text)
        publisher = self.find(text)
        if publisher is None:
            publisher = Publisher(name=name, aliases=[alias] if alias else [])
            self.session.add(publisher)
            self.session.flush()
        elif alias and fold(alias) not in self.by_key:
            publisher.aliases = [*(publisher.aliases or ()), alias]
        self._index(publisher)
        return publisher
