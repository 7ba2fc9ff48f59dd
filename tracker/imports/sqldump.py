"""Restore a SQL dump into an empty database, after verifying it against its own manifest.

The whole file is read once to check its SHA-256 (a truncated or edited dump is refused before
anything is loaded), then loaded in one transaction; the per-table row counts and checksums of
what was loaded are compared with the manifest before the transaction commits. A dump from an
older schema revision is upgraded with the migrations after loading; one from a revision this
version does not know is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import psycopg
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import MetaData, Select, Table

from tracker import migrate
from tracker.db import engine_for
from tracker.export.dump_rows import TableSpec, table_digest
from tracker.export.dump_schema import dump_tables
from tracker.export.manifest import (
    DIGEST_LINE,
    DUMP_KEY_VARIABLE,
    FORMAT,
    SIGNATURE_LINE,
    Manifest,
    dump_key,
    manifest_path,
)
from tracker.export.progress import Progress
from tracker.export.snapshot import Snapshot, engine_name, postgres_conninfo, sqlite_path
from tracker.queries.stored_values import bad_rows
from tracker.services.search_index import rebuild as rebuild_search_index

#: Statements of a dump that the restore replaces by its own transaction.
_SKIPPED = frozenset({"BEGIN TRANSACTION;", "BEGIN;", "COMMIT;", "PRAGMA foreign_keys=OFF;"})
#: Bytes handed to PostgreSQL's COPY at a time.
_COPY_BYTES = 1 << 20


class RestoreError(Exception):
    """The dump was refused or could not be loaded; nothing was kept."""


@dataclass
class RestoreResult:
    """What a restore did."""

    manifest: Manifest
    upgraded_to: str | None  # the head revision when an older dump was upgraded


def verify_dump(path: Path, *, require_signature: bool = False) -> Manifest:
    """Check a dump's SHA-256 and length against its digest line, its HMAC-SHA-256 signature
    when ``TRACKER_DUMP_KEY`` is set and the dump is signed, and its JSON manifest when one
    lies beside it; return its manifest.

    :raises RestoreError: when the file is missing, truncated, edited or not a dump, when its
        signature does not match the key, or when ``require_signature`` and it is unsigned
        (or no key is set).
    """
    if not path.is_file():
        raise RestoreError(f"no dump file at {path}")
    key = dump_key()
    if require_signature and key is None:
        raise RestoreError(
            f"only signed dumps may be loaded, and {DUMP_KEY_VARIABLE} is not set; nothing "
            "was loaded"
        )
    digest = hashlib.sha256()
    mac = hmac.new(key, digestmod="sha256") if key else None
    size = 0
    header: list[str] = []
    previous: bytes | None = None
    pending: list[bytes] = []
    with path.open("rb") as handle:
        for line in handle:
            if len(header) < 2:
                header.append(line.decode("utf-8", "replace"))
            pending.append(line)
            if len(pending) > 2:
                first = pending.pop(0)
                digest.update(first)
                if mac is not None:
                    mac.update(first)
                size += len(first)
                previous = first
    signed = SIGNATURE_LINE.match(pending[-1]) if pending else None
    if signed is not None:
        pending.pop()
    elif len(pending) == 2:
        first = pending.pop(0)
        digest.update(first)
        size += len(first)
        previous = first
    last = pending[-1] if pending else None
    if signed is not None and mac is not None and last is not None:
        mac.update(last)
        if not hmac.compare_digest(mac.hexdigest().encode(), signed.group(1)):
            raise RestoreError(
                f"{path} does not carry a valid signature for the key in "
                f"{DUMP_KEY_VARIABLE} (edited, or signed with another key); nothing was loaded"
            )
    if require_signature and signed is None:
        raise RestoreError(f"{path} is not signed and only signed dumps may be loaded")
    match = DIGEST_LINE.match(last or b"")
    if match is None or previous is None or len(header) < 2:
        raise RestoreError(
            f"{path} is not a complete Ceasefire Tracker dump: its last line is not the "
            "dump-sha256 line (the file is truncated or is not such a dump); nothing was loaded"
        )
    if match.group(1).decode() != digest.hexdigest() or int(match.group(2)) != size:
        raise RestoreError(
            f"{path} was changed after it was written: its SHA-256 does not match the one it "
            "ends with; nothing was loaded"
        )
    try:
        manifest = Manifest.from_lines(header[1], previous.decode())
    except (ValueError, TypeError, KeyError) as exc:
        raise RestoreError(
            f"{path} has an unreadable manifest ({exc}); nothing was loaded"
        ) from exc
    if manifest.format != FORMAT:
        raise RestoreError(f"{path} is in format {manifest.format!r}, not {FORMAT!r}")
    manifest.dump_sha256, manifest.dump_bytes = digest.hexdigest(), size
    beside = manifest_path(path)
    if beside.is_file():
        try:
            recorded = json.loads(beside.read_text(encoding="utf-8")).get("dump_sha256")
        except ValueError:
            recorded = None
        if recorded != manifest.dump_sha256:
            raise RestoreError(
                f"the manifest {beside.name} beside the dump does not match it (a different "
                "dump, or an edited one); nothing was loaded"
            )
    return manifest


def _revision_plan(revision: str) -> bool:
    """Whether a dump at ``revision`` needs upgrading after loading.

    :raises RestoreError: when this version of the tracker does not know the revision."""
    heads = migrate.head_revisions()
    if revision in heads:
        return False
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise RestoreError(
            f"the dump is at schema revision {revision}, which this version of Ceasefire "
            f"Tracker does not know (its newest is {heads[0]}): the dump comes from a newer "
            "version; upgrade the tracker first. Nothing was loaded"
        )
    return True


def restore(
    url: str,
    path: Path,
    *,
    progress: Progress | None = None,
    require_signature: bool = False,
) -> RestoreResult:
    """Verify the dump at ``path`` (see :func:`verify_dump`) and load it into the empty
    database at ``url``.

    :raises RestoreError: when the dump is refused, the database is not empty, or what was
        loaded does not match the manifest (then nothing is kept).
    """
    progress = progress or Progress(enabled=False, verb="restored")
    manifest = verify_dump(path, require_signature=require_signature)
    engine = engine_name(url)
    if manifest.dialect != engine:
        raise RestoreError(
            f"this is a {manifest.dialect}-dialect dump and the database is {engine}: make a "
            f"{engine}-dialect dump (`export sql --dialect {engine}`); nothing was loaded"
        )
    upgrade = _revision_plan(manifest.revision)
    progress.start(len(manifest.tables))
    if engine == "sqlite":
        _restore_sqlite(url, path, manifest, progress)
    else:
        _restore_postgres(url, path, manifest, progress)
    progress.done()
    upgraded = None
    if upgrade:
        migrate.upgrade(url)
        upgraded = migrate.head_revisions()[0]
    analyse(url)
    with engine_for(url).begin() as connection:
        rebuild_search_index(connection)
    return RestoreResult(manifest, upgraded)


def analyse(url: str) -> None:
    """Gather the planner's statistics of every table (a restored database has none, and the
    first report would then read whole tables): ``ANALYZE`` on both engines."""
    if engine_name(url) == "sqlite":
        connection = sqlite3.connect(sqlite_path(url))
        try:
            connection.execute("ANALYZE")
            connection.commit()
        finally:
            connection.close()
        return
    with psycopg.connect(postgres_conninfo(url), autocommit=True) as pg:
        pg.execute("ANALYZE")


def _statements(handle: BinaryIO) -> Iterator[tuple[str, bytes | None]]:
    """The statements of a dump; a COPY statement comes with its data block."""
    buffer: list[str] = []
    lines = iter(handle)
    for raw in lines:
        if DIGEST_LINE.match(raw):
            break
        line = raw.decode("utf-8")
        if not buffer and (line.startswith("--") or not line.strip()):
            continue
        if not buffer and line.startswith("COPY ") and line.endswith(" FROM stdin;\n"):
            yield line.rstrip("\n"), b"copy"
            continue
        buffer.append(line)
        if line.endswith(";\n") and sqlite3.complete_statement("".join(buffer)):
            yield "".join(buffer).rstrip("\n"), None
            buffer = []
    if buffer:
        raise RestoreError("the dump ends inside a statement; nothing was loaded")


def _check_empty(snapshot: Snapshot, what: str) -> None:
    if snapshot.engine == "sqlite":
        sql = "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
    if snapshot.fetch_all(sql)[0][0]:
        raise RestoreError(
            f"{what} is not empty: a dump is restored only into an empty database "
            "(create a new one); nothing was loaded"
        )


def _loaded_tables(manifest: Manifest) -> list[Table]:
    """The models' tables as the dump holds them: those it lists with rows, with the columns
    it lists (a dump of an older schema lacks the newer ones until it is upgraded)."""
    metadata = MetaData()
    tables = []
    for table in dump_tables():
        entry = manifest.tables.get(table.name)
        if entry is None or not entry.rows:
            continue
        listed = {name for name, _kind in entry.columns}
        columns = [column._copy() for column in table.columns if column.name in listed]
        tables.append(Table(table.name, metadata, *columns))
    return tables


def _check_values(snapshot: Snapshot, manifest: Manifest) -> None:
    """Refuse a dump whose rows break the rules of stored values (``tracker.rules.values``):
    written by hand or by an older version, they would break pages after the restore."""

    def rows(query: Select[Any]) -> Iterator[Sequence[Any]]:
        for batch in snapshot.batches(snapshot.compile(query)):
            yield from batch

    found = bad_rows(rows, _loaded_tables(manifest))
    if found:
        lines = "; ".join(bad.describe() for bad in found[:10])
        raise RestoreError(
            f"the dump holds values that break the rules of stored values ({lines}); "
            "nothing was loaded"
        )


def _verify_loaded(snapshot: Snapshot, manifest: Manifest) -> None:
    for name, entry in manifest.tables.items():
        digest = table_digest(snapshot, TableSpec.from_entry(name, entry))
        if digest.rows != entry.rows or digest.hexdigest() != entry.sha256:
            raise RestoreError(
                f"table {name}: {digest.rows} rows loaded, checksum {digest.hexdigest()[:12]}; "
                f"the manifest says {entry.rows} rows, checksum {entry.sha256[:12]}; "
                "nothing was kept"
            )


def _restore_sqlite(url: str, path: Path, manifest: Manifest, progress: Progress) -> None:
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    # every statement of a dump is new: caching their compiled forms only costs memory
    connection = sqlite3.connect(
        str(target), isolation_level=None, check_same_thread=False, cached_statements=0
    )
    try:
        connection.execute("PRAGMA foreign_keys=OFF")
        snapshot = Snapshot(url, connection=connection)
        _check_empty(snapshot, str(target))
        connection.execute("BEGIN")
        try:
            with path.open("rb") as handle:
                for statement, _copy in _statements(handle):
                    if statement in _SKIPPED:
                        continue
                    if statement.startswith("INSERT INTO "):
                        progress.rows(statement.count("\n("))
                    elif statement.startswith("CREATE TABLE "):
                        progress.table(statement.split()[2])
                    connection.execute(statement)
            problems = connection.execute("PRAGMA foreign_key_check").fetchmany(5)
            if problems:
                raise RestoreError(f"foreign keys that do not resolve: {problems}")
            _verify_loaded(snapshot, manifest)
            _check_values(snapshot, manifest)
        except (sqlite3.Error, RestoreError) as exc:
            connection.execute("ROLLBACK")
            raise _failed(exc) from exc
        connection.execute("COMMIT")
    finally:
        connection.close()


def _failed(exc: Exception) -> RestoreError:
    if isinstance(exc, RestoreError):
        return exc
    return RestoreError(f"the dump could not be loaded ({exc}); nothing was kept")


def _restore_postgres(url: str, path: Path, manifest: Manifest, progress: Progress) -> None:
    try:
        connection: psycopg.Connection[Any] = psycopg.connect(
            postgres_conninfo(url), prepare_threshold=None
        )
    except psycopg.OperationalError as exc:
        raise RestoreError(f"the database cannot be reached: {exc}") from exc
    try:
        snapshot = Snapshot(url, connection=connection)
        _check_empty(snapshot, "the database")
        try:
            with path.open("rb") as handle, connection.cursor() as cursor:
                for statement, copy_marker in _statements(handle):
                    if statement in _SKIPPED:
                        continue
                    if copy_marker is None:
                        cursor.execute(statement.encode())
                        continue
                    progress.table(statement.split()[1])
                    with cursor.copy(statement.encode()) as copy:
                        block = bytearray()
                        for line in handle:
                            if line == b"\\.\n":
                                break
                            block += line
                            if len(block) >= _COPY_BYTES:
                                progress.rows(block.count(b"\n"))
                                copy.write(bytes(block))
                                block.clear()
                        progress.rows(block.count(b"\n"))
                        copy.write(bytes(block))
            for setting in ("SET TimeZone = 'UTC'", "SET extra_float_digits = 1"):
                connection.execute(setting)
            _verify_loaded(snapshot, manifest)
            _check_values(snapshot, manifest)
        except (psycopg.Error, RestoreError) as exc:
            connection.rollback()
            raise _failed(exc) from exc
        connection.commit()
    finally:
        connection.close()
