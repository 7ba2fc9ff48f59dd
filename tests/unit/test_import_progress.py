"""The import's progress line: a bar over the bytes read, the rows and the rate."""

from __future__ import annotations

import io

from tracker.imports.progress import ImportProgress


def test_progress_line_shows_the_bar_rows_and_rate() -> None:
    stream = io.StringIO()
    progress = ImportProgress(enabled=True, stream=stream)
    progress.start("checking", 1000)
    progress.update(250, 500)
    line = progress.line(500)
    assert "checking" in line
    assert "[" + "#" * 15 + "-" * 15 + "]" in line
    assert " 50%" in line
    assert "250 rows" in line
    assert "rows/s" in line
    progress.finish()
    assert stream.getvalue().endswith("\n")
    assert "100%" in stream.getvalue()


def test_progress_is_silent_when_disabled() -> None:
    stream = io.StringIO()
    progress = ImportProgress(enabled=False, stream=stream)
    progress.start("importing", 10)
    progress.update(5, 5)
    progress.finish()
    assert stream.getvalue() == ""
