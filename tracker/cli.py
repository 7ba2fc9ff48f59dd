"""The command line: ``python manage.py <group> <command>``, thin wrappers around services."""

from __future__ import annotations

import sys
import time

import click
from sqlalchemy.exc import OperationalError

from tracker import migrate
from tracker.cli_context import Context, pass_context
from tracker.db import engine_for
from tracker.models import Base
from tracker.queries.stored_values import bad_rows
from tracker.services.errors import ServiceError

__all__ = ["Context", "cli", "main", "pass_context"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    envvar="TRACKER_DATABASE_URL",
    help="Database URL (default: TRACKER_DATABASE_URL, else instance/tracker.db).",
)
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """Ceasefire Tracker: agreements, violations, sources, reports and exports."""
    ctx.obj = Context(database_url)


@cli.group()
def db() -> None:
    """Create, upgrade and check the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_context
def db_upgrade(ctx: Context, revision: str) -> None:
    """Apply the migrations up to REVISION (creates the schema in an empty database)."""
    migrate.upgrade(ctx.url, revision)
    click.echo(f"database at revision {migrate.current_revision(ctx.url)}")


@db.command("downgrade")
@click.argument("revision")
@pass_context
def db_downgrade(ctx: Context, revision: str) -> None:
    """Revert the migrations down to REVISION (``base`` removes every table)."""
    migrate.downgrade(ctx.url, revision)
    click.echo(f"database at revision {migrate.current_revision(ctx.url) or 'base'}")


@db.command("check")
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


@db.command("current")
@pass_context
def db_current(ctx: Context) -> None:
    """Print the revision the database is at, and the newest one."""
    current = migrate.current_revision(ctx.url) or "none"
    click.echo(f"current: {current}\nhead:    {', '.join(migrate.head_revisions())}")


@db.command("rebuild-reports")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@pass_context
def db_rebuild_reports(ctx: Context, slugs: tuple[str, ...]) -> None:
    """Judge every incident again against the agreements SLUG (all by default) and rebuild
    their stored verdicts and report totals, one transaction per agreement. Pages do this by
    themselves when the store is missing (after loading a dump with psql or sqlite3); this
    does it ahead."""
    from sqlalchemy import func, select

    from tracker.models import Agreement, IncidentVerdict
    from tracker.services.report_store import rebuild

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


@cli.group()
def demo() -> None:
    """The demo data set (Idlib, 2017-2019)."""


@demo.command("load")
@click.option(
    "--with-users",
    is_flag=True,
    help="Also create the demo accounts viewer, analyst, reviewer and admin (one of each role).",
)
@click.option(
    "--demo-password",
    help="Password of the demo accounts (default: a random one, printed once).",
)
@pass_context
def demo_load(ctx: Context, with_users: bool, demo_password: str | None) -> None:
    """Load the demo data set; records already present are kept, so running it twice adds
    nothing. With --with-users, the demo accounts are created too (existing ones are kept)."""
    import secrets

    from tracker.demo.load import load_demo
    from tracker.services.users import ensure_demo_users

    password = demo_password or secrets.token_urlsafe(12)
    with ctx.transaction() as session:
        created = ensure_demo_users(session, password) if with_users else {}
        counts = load_demo(
            session,
            ctx.tz,
            user=created.get("analyst"),
            progress=lambda name, n: click.echo(f"  {name}: {n} added", err=True),
        )
    total = sum(counts.values())
    click.echo(f"demo data set loaded: {total} records added")
    if created:
        click.echo(f"demo accounts created: {', '.join(sorted(created))}")
        if not demo_password:
            click.echo(f"their password (shown once): {password}")
    elif with_users:
        click.echo("demo accounts already exist: kept as they are")


@cli.group()
def users() -> None:
    """User accounts."""


@users.command("create")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["viewer", "analyst", "reviewer", "admin"]),
    required=True,
    help="What the user may do.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def users_create(ctx: Context, username: str, role: str, password_stdin: bool) -> None:
    """Create USERNAME with ROLE; the password is asked for (twice), or read from standard
    input with --password-stdin; it is never an argument."""
    from tracker.services.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with ctx.transaction() as session:
        create_user(session, username, password, role)
    click.echo(f"user {username} created with role {role}")


@users.command("prune-attempts")
@click.option(
    "--keep-days",
    type=click.IntRange(min=1),
    default=90,
    show_default=True,
    help="Keep the attempts of this many days.",
)
@pass_context
def users_prune_attempts(ctx: Context, keep_days: int) -> None:
    """Delete the sign-in attempts older than --keep-days (throttling reads only the last
    minutes; the rest is a record of sign-ins). The count goes to the audit log."""
    import datetime as dt

    from tracker.services.users import prune_login_attempts

    with ctx.transaction() as session:
        deleted = prune_login_attempts(session, dt.timedelta(days=keep_days))
    click.echo(f"{deleted} sign-in attempt(s) older than {keep_days} days deleted")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@pass_context
def serve(ctx: Context, host: str, port: int) -> None:
    """Run the development server (use gunicorn in production: see the README)."""
    ctx.app().run(host=host, port=port, debug=False)


def main() -> None:
    """Run the command line, turning refused writes and unreachable databases into messages."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ServiceError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except OperationalError as exc:
        click.echo(f"Error: the database cannot be used: {exc.orig}", err=True)
        sys.exit(1)


from tracker.cli_report import report  # noqa: E402

cli.add_command(report)


from tracker.cli_export import export_group, import_group  # noqa: E402

cli.add_command(export_group)
cli.add_command(import_group)

import tracker.cli_import  # noqa: E402, F401  (registers the import commands of outside data)
from tracker.cli_search import search_group  # noqa: E402

cli.add_command(search_group)
