"""The ``db`` commands: the schema's migrations, its check, and the stored report totals."""

from __future__ import annotations

import time

import click
from sqlalchemy import func, select

from tracker import migrate
from tracker.cli.context import Context, pass_context
from tracker.db import engine_for
from tracker.models import Agreement, Base, IncidentVerdict
from tracker.queries.stored_values import bad_rows


@click.group("db")
def db_group() -> None:
    """Create, upgrade and check the database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_context
def db_upgrade(ctx: Context, revision: str) -> None:
    """Apply the migrations up to REVISION (creates the schema in an empty database)."""
    migrate.upgrade(ctx.url, revision)
    click.echo(f"database at revision {migrate.current_revision(ctx.url)}")


@db_group.command("downgrade")
@click.argument("revision")
@pass_context
def db_downgrade(ctx: Context, revision: str) -> None:
    """Revert the migrations down to REVISION (``base`` removes every table)."""
    migrate.downgrade(ctx.url, revision)
    click.echo(f"database at revision {migrate.current_revision(ctx.url) or 'base'}")


@db_group.command("check")
@pass_context
def db_check(ctx: Context) -> None:
    """Exit non-zero when the models and the migrated database disagree, or when stored rows
    break the rules of stored values (control characters in text, integers beyond 32 bits,
    dates outside the configured years, invalid shapes): each such column is named with the
    table and the rows' ids."""
    differences = migrate.check(ctx.url)
    if differences:
        raise click.ClickException(f"models and migrations disagree: {differences}")
    click.echo("models and migrations agree")
    with engine_for(ctx.url).connect() as connection:
        found = bad_rows(connection, list(Base.metadata.sorted_tables))
    if found:
        lines = "\n".join(f"  {bad.describe()}" for bad in found)
        raise click.ClickException(f"stored rows break the rules of stored values:\n{lines}")
    click.echo("stored values follow the rules")


@db_group.command("current")
@pass_context
def db_current(ctx: Context) -> None:
    """Print the revision the database is at, and the newest one."""
    current = migrate.current_revision(ctx.url) or "none"
    click.echo(f"current: {current}\nhead:    {', '.join(migrate.head_revisions())}")


@db_group.command("rebuild-reports")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@pass_context
def db_rebuild_reports(ctx: Context, slugs: tuple[str, ...]) -> None:
    """Judge every incident again against the agreements SLUG (all by default) and rebuild
    their stored verdicts and report totals, one transaction per agreement. Pages do this by
    themselves when the store is missing (after loading a dump with psql or sqlite3); this
    does it ahead."""
    from tracker.services.report_rebuild import rebuild

    with ctx.transaction() as session:
        query = select(Agreement.id, Agreement.slug).order_by(Agreement.slug)
        if slugs:
            query = query.where(Agreement.slug.in_(slugs))
        chosen = session.execute(query).all()
    unknown = sorted(set(slugs) - {slug for _id, slug in chosen})
    if unknown:
        raise click.ClickException(f"no agreement {', '.join(unknown)}: nothing was rebuilt")
    for number, (agreement_id, slug) in enumerate(chosen, start=1):
        started = time.perf_counter()
        with ctx.transaction() as session:
            rebuild(session, agreement_id)
            incidents = session.scalar(
                select(func.count()).where(
                    IncidentVerdict.agreement_id == agreement_id,
                    IncidentVerdict.in_report.is_(True),
                )
            )
        click.echo(
            f"  [{number}/{len(chosen)}] {slug}: {incidents:,} incidents in its report "
            f"in {time.perf_counter() - started:.1f} s",
            err=True,
        )
    click.echo(f"report totals rebuilt for {len(chosen)} agreement(s)")
