"""The manifest of a SQL dump: what it holds, per-table row counts and checksums, its own SHA-256.

A dump starts with two comment lines (a title, then ``-- manifest {...}``: format, dialect,
schema revision, scope, agreements, when and by whom) and ends with two more:
``-- tables {...}`` (per table: columns with their kinds, order, rows and SHA-256 of the
canonical rows) and ``-- dump-sha256 HEX BYTES``, the SHA-256 and length of every byte before
that last line. The same data is written as JSON beside a dump saved to a file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "ceasefire-tracker-sql-dump/1"
MANIFEST_PREFIX = "-- manifest "
TABLES_PREFIX = "-- tables "
DIGEST_LINE = re.compile(rb"^-- dump-sha256 ([0-9a-f]{64}) (\d+)\n\Z")
#: The optional last line of a signed dump: HMAC-SHA-256, with the key in TRACKER_DUMP_KEY, of
#: every byte before it (the dump-sha256 line included).
SIGNATURE_LINE = re.compile(rb"^-- dump-hmac-sha256 ([0-9a-f]{64})\n\Z")
DUMP_KEY_VARIABLE = "TRACKER_DUMP_KEY"


def dump_key() -> bytes | None:
    """The key that signs and verifies dumps (``TRACKER_DUMP_KEY``), None when unset."""
    value = os.environ.get(DUMP_KEY_VARIABLE, "")
    return value.encode("utf-8") if value else None


@dataclass
class TableEntry:
    """One table of a dump: its columns (name, kind), the order of its rows, rows, checksum."""

    columns: list[list[str]]
    order_by: list[str]
    rows: int = 0
    sha256: str = ""


@dataclass
class Manifest:
    """Everything a dump says about itself."""

    dialect: str
    revision: str
    scope: str  # "full" or "public"
    agreements: list[str]
    created_at: str
    created_by: str
    source_engine: str
    format: str = FORMAT
    tables: dict[str, TableEntry] = field(default_factory=dict)
    dump_sha256: str = ""
    dump_bytes: int = 0

    def header(self) -> dict[str, Any]:
        """The fields written at the top of the dump."""
        data = asdict(self)
        for key in ("tables", "dump_sha256", "dump_bytes"):
            data.pop(key)
        return data

    def header_lines(self) -> str:
        title = (
            f"-- Ceasefire Tracker SQL dump ({self.scope}, {self.dialect} dialect, "
            f"schema {self.revision}); verify and restore with `python manage.py import sql`\n"
        )
        return title + MANIFEST_PREFIX + json.dumps(self.header(), sort_keys=True) + "\n"

    def tables_line(self) -> str:
        tables = {name: asdict(entry) for name, entry in self.tables.items()}
        return TABLES_PREFIX + json.dumps(tables, sort_keys=True) + "\n"

    def to_json(self) -> str:
        """The manifest file's content."""
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_lines(cls, header: str, tables: str) -> Manifest:
        """Read the manifest back from a dump's header and tables lines.

        :raises ValueError: when either line is not a manifest line.
        """
        if not header.startswith(MANIFEST_PREFIX) or not tables.startswith(TABLES_PREFIX):
            raise ValueError("the manifest lines are missing")
        data = json.loads(header[len(MANIFEST_PREFIX) :])
        entries = json.loads(tables[len(TABLES_PREFIX) :])
        manifest = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        manifest.tables = {name: TableEntry(**entry) for name, entry in entries.items()}
        return manifest


def manifest_path(dump_path: Path) -> Path:
    """Where the JSON manifest of a dump file is written: beside it."""
    return dump_path.with_name(dump_path.name + ".manifest.json")
