"""The ``import`` commands: the tracker's own SQL dumps; outside data (ACLED and GED events,
the OCHA gazetteer and boundaries, PA-X agreements)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.cli.context import Context, cli_user, pass_context
from tracker.export.progress import Progress
from tracker.export.snapshot import SnapshotError
from tracker.imports.progress import ImportProgress
from tracker.imports.sqldump import RestoreError, restore
from tracker.imports.table import FileRefusedError
from tracker.services.import_runs import (
    STATUSES,
    EventOptions,
    ImportRefusedError,
    Summary,
    write_report,
)
from tracker.services.imports import import_events
from tracker.services.reference_imports import import_agreements, import_boundaries, import_places

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_REPORT = click.Path(dir_okay=False, path_type=Path)
#: Rejected rows shown on the terminal (the report file has them all).
SHOWN = 20


@click.group("import")
def import_group() -> None:
    """Restore the tracker's own SQL dumps; import ACLED and GED events, the OCHA gazetteer
    and boundaries, and PA-X agreements."""


@import_group.command("sql")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress on standard error.")
@click.option(
    "--require-signature",
    is_flag=True,
    help="Refuse a dump without a valid signature for the key in TRACKER_DUMP_KEY.",
)
@pass_context
def import_sql(ctx: Context, file: Path, quiet: bool, require_signature: bool) -> None:
    """Verify FILE (a dump made by `export sql`) and restore it into the empty database: a
    truncated or edited dump, one whose signature does not match TRACKER_DUMP_KEY (when set),
    or one from a newer schema, is refused and nothing is loaded; one from an older schema is
    upgraded after loading."""
    try:
        result = restore(
            ctx.url,
            file,
            progress=Progress.for_terminal(quiet=quiet, verb="restored"),
            require_signature=require_signature,
        )
    except (RestoreError, SnapshotError) as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(t.rows for t in result.manifest.tables.values())
    message = (
        f"restored {result.manifest.scope} dump of {result.manifest.created_at} by "
        f"{result.manifest.created_by}: {len(result.manifest.tables)} tables, {rows} rows, "
        "checksums verified"
    )
    if result.upgraded_to:
        message += f"; upgraded from {result.manifest.revision} to {result.upgraded_to}"
    click.echo(message)
    _build_store(ctx, quiet=quiet)


def _build_store(ctx: Context, *, quiet: bool) -> None:
    """Judge the restored incidents against every agreement (dumps carry no derived rows), so
    that the first report reads a built store."""
    from tracker.services.report_rebuild import rebuild_all

    def shown(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"  verdicts and report totals: {done}/{total} agreements", err=True)

    with ctx.transaction() as session:
        built = rebuild_all(session, progress=shown)
    click.echo(f"verdicts and report totals built for {built} agreement(s)")


def _echo_summary(summary: Summary, *, dry_run: bool) -> None:
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{summary.file_name} (sha256 {summary.sha256}): {summary.rows_read:,} rows read: "
        f"{summary.imported:,} imported, {summary.updated:,} updated, "
        f"{summary.unchanged:,} unchanged, {summary.rejected:,} rejected"
    )
    if summary.other_countries:
        click.echo(f"{summary.other_countries:,} rows of other countries left aside")
    for kind in ("actors", "places", "sources"):
        created = summary.created(kind)
        if created:
            click.echo(f"{kind} created ({len(created)}): {'; '.join(created)}")
        matched = summary.matched(kind)
        if matched:
            listed = "; ".join(f"{name} [{how}]" for name, how in matched.items())
            click.echo(f"{kind} matched ({len(matched)}): {listed}")
    if dry_run:
        click.echo(f"dry run: nothing {verb} written")


def _echo_rejections(summary: Summary, report: Path | None) -> None:
    for rejection in summary.rejections[:SHOWN]:
        column = f" {rejection.column}" if rejection.column else ""
        click.echo(
            f"  row {rejection.row}{column}: {rejection.reason} ({rejection.value[:60]!r})",
            err=True,
        )
    if len(summary.rejections) > SHOWN:
        click.echo(f"  ... and {len(summary.rejections) - SHOWN} more", err=True)
    if report is not None:
        write_report(report, summary.rejections)
        click.echo(f"rejected rows written to {report}", err=True)


def _event_command(kind: str, help_text: str) -> click.Command:
    @click.argument("file", type=_FILE)
    @click.option(
        "--country",
        "countries",
        multiple=True,
        metavar="NAME",
        help="Only the rows of this country (repeatable); the others are left aside.",
    )
    @click.option(
        "--alleged-agreement",
        metavar="SLUG",
        help="The agreement the imported incidents are alleged to break.",
    )
    @click.option(
        "--status",
        type=click.Choice(STATUSES),
        default="submitted",
        show_default=True,
        help="Status of the imported incidents.",
    )
    @click.option("--dry-run", is_flag=True, help="Check and match everything, write nothing.")
    @click.option(
        "--skip-invalid",
        is_flag=True,
        help="Import the valid rows even when some are rejected (default: import nothing).",
    )
    @click.option("--report", type=_REPORT, help="Write the rejected rows to this CSV file.")
    @click.option("--quiet", is_flag=True, help="No progress bar.")
    @pass_context
    def command(
        ctx: Context,
        file: Path,
        countries: tuple[str, ...],
        alleged_agreement: str | None,
        status: str,
        dry_run: bool,
        skip_invalid: bool,
        report: Path | None,
        quiet: bool,
    ) -> None:
        options = EventOptions(kind, countries, alleged_agreement, status, skip_invalid)
        progress = ImportProgress.for_terminal(quiet=quiet)
        _run_import(
            ctx,
            file,
            lambda session: import_events(
                session, file, options, ctx.tz, user=None, run_by=cli_user(), progress=progress
            ),
            report=report,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )

    command.__doc__ = help_text
    return import_group.command(kind)(command)


_event_command(
    "acled",
    """Import ACLED events (its 31-column CSV export or API download) as incidents: every row
    is checked first and nothing is written while any is rejected (unless --skip-invalid);
    actors, places and sources are matched to those recorded or created; an event imported
    before (same event_id_cnty) is updated when it changed, never duplicated.""",
)
_event_command(
    "ged",
    """Import UCDP GED events (its CSV download) as incidents, checked, matched and kept by
    their GED id exactly as ACLED events are.""",
)


def _run_import(
    ctx: Context,
    file: Path,
    run: Callable[[Session], Summary],
    *,
    report: Path | None,
    skip_invalid: bool,
    dry_run: bool = False,
) -> None:
    """Run one import of ``file`` in one transaction (rolled back on a dry run), then print its
    summary and rejected rows; a file refused, a clash with another import, or rejected rows
    without ``skip_invalid`` end the command with an error and nothing imported."""
    try:
        with ctx.transaction() as session:
            summary = run(session)
            if dry_run:
                session.rollback()
    except (FileRefusedError, ImportRefusedError) as exc:
        raise click.ClickException(f"{file.name}: {exc}; nothing was imported") from exc
    except IntegrityError as exc:
        raise click.ClickException(
            f"{file.name}: another import wrote the same records meanwhile ({exc.orig}); "
            "nothing was imported"
        ) from exc
    _echo_summary(summary, dry_run=dry_run)
    if summary.rejections or report is not None:
        _echo_rejections(summary, report)
    if summary.rejected and not skip_invalid:
        raise click.ClickException(
            f"{summary.rejected:,} row(s) rejected: nothing was imported (fix them, or use "
            "--skip-invalid to import the others)"
        )


_SKIP = click.option(
    "--skip-invalid", is_flag=True, help="Import the valid rows even when some are rejected."
)
_REPORT_OPTION = click.option(
    "--report", type=_REPORT, help="Write the rejected rows to this CSV file."
)


def _gazetteer_command(kind: str, importer: Callable[..., Summary], help_text: str) -> None:
    @click.argument("file", type=_FILE)
    @_SKIP
    @_REPORT_OPTION
    @pass_context
    def command(ctx: Context, file: Path, skip_invalid: bool, report: Path | None) -> None:
        _run_import(
            ctx,
            file,
            lambda session: importer(
                session, file, user=None, run_by=cli_user(), skip_invalid=skip_invalid
            ),
            report=report,
            skip_invalid=skip_invalid,
        )

    command.__doc__ = help_text
    import_group.command(kind)(command)


_gazetteer_command(
    "places",
    import_places,
    """Import OCHA's community gazetteer (CSV): a place per P-code with its names in English
    and Arabic, admin areas and coordinates; recorded places that match by name and position
    gain the P-code and the Arabic name.""",
)
_gazetteer_command(
    "boundaries",
    import_boundaries,
    """Import OCHA admin boundary polygons (GeoJSON of any level) as admin areas with P-code,
    names and shape; recorded places with coordinates are then placed in their areas.""",
)


@import_group.command("agreements")
@click.argument("file", type=_FILE)
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="NAME",
    help="Only the agreements whose Con names this country (repeatable).",
)
@_SKIP
@_REPORT_OPTION
@pass_context
def import_agreements_command(
    ctx: Context,
    file: Path,
    countries: tuple[str, ...],
    skip_invalid: bool,
    report: Path | None,
) -> None:
    """Import PA-X agreements (its CSV): created or updated by PA-X id, PA-X's text fields
    kept as sources of the agreement's facts."""
    _run_import(
        ctx,
        file,
        lambda session: import_agreements(
            session,
            file,
            ctx.tz,
            user=None,
            run_by=cli_user(),
            countries=countries,
            skip_invalid=skip_invalid,
        ),
        report=report,
        skip_invalid=skip_invalid,
    )
