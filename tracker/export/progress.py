"""Progress of long exports and restores on standard error: tables and rows done, and the rate.

Silent with ``--quiet`` or when standard error is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: Seconds between two progress lines.
INTERVAL = 0.5


class Progress:
    """Counts tables and rows and shows them, at most every :data:`INTERVAL` seconds."""

    def __init__(
        self, *, enabled: bool, stream: TextIO | None = None, verb: str = "dumped"
    ) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.verb = verb
        self.total_tables = 0
        self.tables_done = 0
        self.current = ""
        self.row_count = 0
        self._started = time.monotonic()
        self._shown = 0.0

    @classmethod
    def for_terminal(cls, *, quiet: bool, verb: str = "dumped") -> Progress:
        """Shown on standard error when it is a terminal and ``quiet`` is off."""
        return cls(enabled=not quiet and sys.stderr.isatty(), verb=verb)

    def start(self, total_tables: int) -> None:
        self.total_tables = total_tables
        self._started = time.monotonic()

    def table(self, name: str) -> None:
        if self.current:
            self.tables_done += 1
        self.current = name
        self._show()

    def rows(self, count: int) -> None:
        self.row_count += count
        self._show()

    def done(self) -> None:
        if self.current:
            self.tables_done += 1
        self.current = ""
        self._show(force=True)
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        """The current progress as one line of text."""
        elapsed = max(time.monotonic() - self._started, 1e-6)
        where = f", {self.current}" if self.current else ""
        return (
            f"{self.tables_done}/{self.total_tables} tables{where}: {self.row_count:,} rows "
            f"{self.verb} ({self.row_count / elapsed:,.0f} rows/s, {elapsed:.1f} s)"
        )

    def _show(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._shown < INTERVAL:
            return
        self._shown = now
        self.stream.write("\r" + self.line() + "\033[K")
        self.stream.flush()
