"""Progress of an import on standard error: a bar over the file's bytes, rows and rows/s."""

from __future__ import annotations

import sys
import time
from typing import TextIO

INTERVAL = 0.5
WIDTH = 30


class ImportProgress:
    """Shows the phase, a bar of the file read so far, the rows and the rate."""

    def __init__(self, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.phase = ""
        self.total_bytes = 0
        self.rows = 0
        self._started = time.monotonic()
        self._shown = 0.0

    @classmethod
    def for_terminal(cls, *, quiet: bool) -> ImportProgress:
        return cls(enabled=not quiet and sys.stderr.isatty())

    def start(self, phase: str, total_bytes: int) -> None:
        if self.phase:
            self.finish()
        self.phase = phase
        self.total_bytes = total_bytes
        self.rows = 0
        self._started = time.monotonic()

    def update(self, rows: int, bytes_read: int) -> None:
        self.rows = rows
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._shown < INTERVAL:
            return
        self._shown = now
        self.stream.write("\r" + self.line(bytes_read) + "\033[K")
        self.stream.flush()

    def line(self, bytes_read: int) -> str:
        """The progress as one line: phase, bar, percentage, rows, rows/s."""
        elapsed = max(time.monotonic() - self._started, 1e-6)
        share = min(bytes_read / self.total_bytes, 1.0) if self.total_bytes else 1.0
        filled = int(share * WIDTH)
        bar = "#" * filled + "-" * (WIDTH - filled)
        return (
            f"{self.phase:<9} [{bar}] {share:4.0%} {self.rows:,} rows "
            f"({self.rows / elapsed:,.0f} rows/s, {elapsed:.1f} s)"
        )

    def finish(self) -> None:
        if self.enabled and self.phase:
            self.stream.write("\r" + self.line(self.total_bytes) + "\033[K\n")
            self.stream.flush()
        self.phase = ""
