"""Every SQLite connection of the app is set up the same way: foreign keys enforced, a
write-ahead log, and the file read through a memory map."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tracker.db import SQLITE_MMAP_BYTES, create_tracker_engine


def test_every_sqlite_connection_enforces_keys_logs_ahead_and_maps_the_file(
    tmp_path: Path,
) -> None:
    engine = create_tracker_engine(f"sqlite:///{tmp_path / 'settings.db'}")
    try:
        with engine.connect() as connection:
            read = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("foreign_keys", "journal_mode", "mmap_size")
            }
    finally:
        engine.dispose()
    assert read == {"foreign_keys": 1, "journal_mode": "wal", "mmap_size": SQLITE_MMAP_BYTES}
