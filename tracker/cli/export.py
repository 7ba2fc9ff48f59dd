"""The ``export`` commands: SQL dumps of the database, incidents as tables and maps."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import click

from tracker.cli.context import Context, cli_user, pass_context
from tracker.export.incidents import FORMATS, export_lines
from tracker.export.manifest import dump_key
from tracker.export.progress import Progress
from tracker.export.snapshot import SnapshotError
from tracker.export.sqldump import DIALECTS, DumpError, SqlDump


def _write(chunks: Iterable[bytes], output: Path | None) -> None:
    """Write to ``output`` through a temporary file renamed at the end (a failed export leaves
    no partial file), or to standard output."""
    if output is None:
        stream: BinaryIO = sys.stdout.buffer
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
        return
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(partial, output)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def _record(ctx: Context, kind: str, options: dict[str, object]) -> None:
    from tracker.services.exports import record_export

    with ctx.transaction() as session:
        record_export(session, kind, {**options, "by": cli_user()}, user=None)


@click.group("export")
def export_group() -> None:
    """Export the database as a SQL dump, or incidents as CSV, JSON, GeoJSON or ACLED CSV."""


@export_group.command("sql")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the dump to FILE (and its manifest to FILE.manifest.json); default: stdout.",
)
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    default="sqlite",
    show_default=True,
    help="Which client loads the dump: sqlite3 or psql.",
)
@click.option(
    "--agreement",
    "agreements",
    multiple=True,
    metavar="SLUG",
    help="Only the incidents of this agreement and what they refer to (repeatable).",
)
@click.option("--public", is_flag=True, help="Only public rows and columns (see the README).")
@click.option("--quiet", is_flag=True, help="No progress on standard error.")
@click.option(
    "--sign",
    is_flag=True,
    help="End the dump with an HMAC-SHA-256 signature made with the key in TRACKER_DUMP_KEY.",
)
@pass_context
def export_sql(
    ctx: Context,
    output: Path | None,
    dialect: str,
    agreements: tuple[str, ...],
    public: bool,
    quiet: bool,
    sign: bool,
) -> None:
    """Write a plain-SQL dump (schema, data, schema revision) that `sqlite3 NEW.db < FILE` or
    `psql -v ON_ERROR_STOP=1 -f FILE` loads into an empty database, read in one consistent
    snapshot, with a manifest of row counts and checksums."""
    key = dump_key()
    if sign and key is None:
        raise click.ClickException("--sign needs the signing key in TRACKER_DUMP_KEY")
    dump = SqlDump(
        ctx.url,
        sign_key=key if sign else None,
        dialect=dialect,
        public=public,
        agreements=agreements,
        created_by=cli_user(),
        progress=Progress.for_terminal(quiet=quiet),
    )
    try:
        _write(dump.chunks(), output)
    except (DumpError, SnapshotError) as exc:
        raise click.ClickException(str(exc)) from exc
    if dump.manifest is None:
        raise click.ClickException("the dump stopped before its end")
    if output is not None:
        from tracker.export.manifest import manifest_path

        manifest_path(output).write_text(dump.manifest.to_json(), encoding="utf-8")
        if not quiet:
            rows = sum(t.rows for t in dump.manifest.tables.values())
            click.echo(
                f"{dump.manifest.scope} {dialect} dump written to {output}: {rows} rows, "
                f"sha256 {dump.manifest.dump_sha256}",
                err=True,
            )
    _record(
        ctx,
        "sql",
        {
            "dialect": dialect,
            "scope": dump.manifest.scope,
            "agreements": list(agreements),
            "sha256": dump.manifest.dump_sha256,
        },
    )


@export_group.command("incidents")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="csv, json, geojson, or acled (ACLED's CSV columns).",
)
@click.option(
    "--agreement",
    metavar="SLUG",
    help="Only the incidents this agreement's report counts (judged against it).",
)
@click.option(
    "--verdict",
    type=click.Choice(["violation", "contested", "outside_scope", "indeterminate"]),
    help="With --agreement: only incidents of this verdict against it.",
)
@click.option("--alleged", metavar="SLUG", help="Only incidents filed under this agreement.")
@click.option("--from", "date_from", metavar="DATE", help="From this day (YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Up to this day (YYYY-MM-DD).")
@click.option("--status", metavar="S[,S...]", help="Only these statuses (comma-separated).")
@click.option("--category", help="Only this category.")
@click.option("--perpetrator", metavar="SLUG", help="Only incidents blamed on this actor.")
@click.option("--place", metavar="ID", help="Only incidents at this place.")
@click.option("--text", help="Words in English, Arabic or a transliteration.")
@click.option("--retracted", is_flag=True, help="Include retracted incidents (full exports).")
@click.option("--public", is_flag=True, help="Only public incidents and fields.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE; default: standard output.",
)
@click.option("--quiet", is_flag=True, help="No summary on standard error.")
@pass_context
def export_incidents(
    ctx: Context,
    /,
    fmt: str,
    public: bool,
    retracted: bool,
    output: Path | None,
    quiet: bool,
    **filter_values: str | None,
) -> None:
    """Export the incidents that pass the same filters as the incidents list, as CSV, JSON,
    GeoJSON or ACLED-compatible CSV."""
    from tracker.queries.incidents import IncidentFilters, filter_errors

    names = {"date_from": "from", "date_to": "to", "text": "q"}
    args = {names.get(k, k): v for k, v in filter_values.items() if v}
    if retracted:
        args["retracted"] = "1"
    errors = filter_errors(args)
    if errors:
        raise click.ClickException(" ".join(errors.values()))
    filters = IncidentFilters.from_args(args, public=public)
    meta = {"filters": filters.as_args(), "public": public, "by": cli_user()}
    with ctx.transaction() as session:
        lines = export_lines(session, filters, fmt, ctx.tz, meta)
        _write((line.encode() for line in lines), output)
    _record(ctx, fmt, {"filters": filters.as_args(), "public": public})
    if output is not None and not quiet:
        click.echo(f"incidents written to {output} ({fmt})", err=True)
