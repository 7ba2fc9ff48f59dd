"""Progress of long exports and restores: tables, rows and rate on a terminal, else silence."""

from __future__ import annotations

import io
import sys

import pytest

from tracker.export.progress import Progress


def test_progress_shows_tables_rows_and_rate() -> None:
    stream = io.StringIO()
    progress = Progress(enabled=True, stream=stream)
    progress.start(2)
    progress.table("incidents")
    progress.rows(1500)
    progress.table("sources")
    progress.rows(500)
    progress.done()
    last = stream.getvalue().split("\r")[-1]
    assert "2/2 tables" in last
    assert "2,000 rows dumped" in last
    assert "rows/s" in last


def test_progress_is_silent_when_disabled() -> None:
    stream = io.StringIO()
    progress = Progress(enabled=False, stream=stream)
    progress.start(1)
    progress.table("incidents")
    progress.rows(10)
    progress.done()
    assert stream.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_follows_the_terminal_and_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert Progress.for_terminal(quiet=False).enabled
    assert not Progress.for_terminal(quiet=True).enabled
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not Progress.for_terminal(quiet=False).enabled
