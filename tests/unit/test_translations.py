"""The Arabic catalogue: every string of the interface is translated, placeholders match, and
the compiled .mo file is up to date with the .po file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "tracker" / "translations" / "ar" / "LC_MESSAGES"
KEYWORDS = ("-k", "_l", "-k", "lazy_gettext")


def _po() -> Catalog:
    with (CATALOG / "messages.po").open("rb") as handle:
        return read_po(handle, locale="ar")


def _plain(value: object) -> object:
    """Plural ids and strings as tuples (read_mo gives lists, read_po tuples)."""
    return tuple(value) if isinstance(value, list | tuple) else value


def _translations(catalog: Catalog) -> dict[object, object]:
    return {_plain(m.id): _plain(m.string) for m in catalog if m.id}


def _translated(message: Message) -> bool:
    """Whether ``message`` has a translation, every plural form included."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and "fuzzy" not in message.flags


def test_compiled_catalog_matches_the_po_file() -> None:
    with (CATALOG / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    expected = {_plain(m.id): _plain(m.string) for m in _po() if m.id and _translated(m)}
    assert _translations(compiled) == expected, (
        "messages.mo is stale: run pybabel compile -d tracker/translations"
    )


def test_every_interface_string_has_an_arabic_translation(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            *KEYWORDS,
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    catalog = _po()
    translated = {m.id for m in catalog if m.id and _translated(m)}
    missing = sorted(str(msgid) for msgid in wanted - translated)
    assert len(wanted) > 100
    assert missing == [], f"strings without an Arabic translation: {missing}"


def test_translations_keep_the_placeholders() -> None:
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in _po().check()
        if errors
    ]
    assert problems == []
