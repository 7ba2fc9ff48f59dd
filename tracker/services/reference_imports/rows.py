"""What every reference import does with its file: read and check each row, and drop rows
that repeat an id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tracker.imports.table import RawRow, Rejection, csv_rows
from tracker.services.import_runs import Summary, file_sha256

T = TypeVar("T")


def checked_rows(
    path: Path,
    kind: str,
    required: tuple[str, ...],
    read: Callable[[RawRow], T | list[Rejection]],
    keep: Callable[[RawRow], bool] | None = None,
) -> tuple[list[T], Summary]:
    """The rows of the CSV file at ``path`` read by ``read`` (those ``keep`` turns away are
    counted as other countries) and the summary of the import with every row's problems.

    :raises FileRefusedError: when the file lacks the ``required`` columns.
    """
    summary = Summary(kind, path.name, sha256=file_sha256(path))
    items: list[T] = []
    for raw in csv_rows(path, required):
        if keep is not None and not raw.problems and not keep(raw):
            summary.other_countries += 1
            continue
        summary.rows_read += 1
        result = read(raw)
        if isinstance(result, list):
            summary.rejections.extend(result)
        else:
            items.append(result)
    summary.rejected = len({r.row for r in summary.rejections})
    return items, summary


def without_duplicates(items: Sequence[Any], key: str, column: str, summary: Summary) -> list[Any]:
    """``items`` without those whose ``key`` an earlier row had; each is a rejection in
    ``summary`` (in the file's ``column``)."""
    first: dict[Any, int] = {}
    kept = []
    for item in items:
        value = getattr(item, key)
        if value in first:
            summary.rejections.append(
                Rejection(item.row, column, str(value), f"the same id as row {first[value]}")
            )
        else:
            first[value] = item.row
            kept.append(item)
    summary.rejections.sort(key=lambda r: r.row)
    summary.rejected = len({r.row for r in summary.rejections})
    return kept
