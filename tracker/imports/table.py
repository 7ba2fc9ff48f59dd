"""Reading an outside CSV file row by row: UTF-8 with or without BOM, quoted newlines, a
clear reason for each row that cannot be read (wrong encoding, missing or extra fields)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

#: The longest field read, in characters (a longer one rejects its row).
MAX_FIELD = 200_000
csv.field_size_limit(MAX_FIELD + 1)


class FileRefusedError(Exception):
    """The file as a whole cannot be imported (not a CSV of the expected kind); nothing was
    written."""


@dataclass(frozen=True)
class Rejection:
    """Why one input row was not imported."""

    row: int  # the data row's number, 1 being the first row after the header
    column: str
    value: str
    reason: str

    def as_csv(self) -> list[str]:
        return [str(self.row), self.column, self.value[:200], self.reason]


REPORT_COLUMNS = ("row", "column", "value", "reason")


@dataclass
class RawRow:
    """One data row of a CSV file: its number, its cells by column name, and the reasons it
    cannot be read (empty when it can)."""

    number: int
    cells: dict[str, str]
    problems: list[Rejection] = field(default_factory=list)


class HashingReader(io.RawIOBase):
    """A binary stream that hashes (SHA-256) and counts what is read through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.raw.read(len(buffer))
        if not chunk:
            return 0
        buffer[: len(chunk)] = chunk
        self.digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)


_UNDECODED = re.compile("[\udc80-\udcff]")


def _bad_text(value: str) -> bool:
    return not value.isascii() and _UNDECODED.search(value) is not None


def csv_rows(
    path: Path, required: tuple[str, ...], *, hasher: list[HashingReader] | None = None
) -> Iterator[RawRow]:
    """The data rows of the CSV file at ``path``, whose header must name ``required``.

    :raises FileRefusedError: when the file is empty, has no such header, or is not CSV text.
    """
    with path.open("rb") as handle:
        hashing = HashingReader(handle)
        if hasher is not None:
            hasher.append(hashing)
        buffered = io.BufferedReader(hashing, buffer_size=1 << 20)
        text = io.TextIOWrapper(
            buffered, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        reader = csv.reader(text)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise FileRefusedError(f"the first line is not a CSV header: {exc}") from exc
        if not header:
            raise FileRefusedError("the file is empty: there is no header line")
        header = [name.strip() for name in header]
        if any(_bad_text(name) for name in header):
            raise FileRefusedError("the header is not UTF-8 text: save the file as UTF-8")
        missing = [name for name in required if name not in header]
        if missing:
            raise FileRefusedError(
                f"the header lacks the column(s) {', '.join(missing)}: is this the right kind "
                "of file?"
            )
        width = len(header)
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                number += 1
                yield RawRow(number, {}, [Rejection(number, "", "", f"unreadable row: {exc}")])
                continue
            if not cells or cells == [""]:
                continue
            number += 1
            row = RawRow(number, dict(zip(header, cells, strict=False)))
            if len(cells) != width:
                row.problems.append(
                    Rejection(
                        number,
                        "",
                        ",".join(cells)[:200],
                        f"the row has {len(cells)} fields where the header has {width} "
                        "(a truncated or broken row)",
                    )
                )
            if not _bad_text("".join(cells)):
                yield row  # the common case: one check of the whole row
                continue
            for name, value in row.cells.items():
                if _bad_text(value):
                    row.problems.append(
                        Rejection(
                            number,
                            name,
                            value.encode("utf-8", "surrogateescape").decode("latin-1")[:200],
                            "not UTF-8 text (save the file as UTF-8)",
                        )
                    )
            yield row
