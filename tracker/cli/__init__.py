"""The command line: ``tracker <group> <command>`` (or ``python manage.py ...`` in a checkout),
thin wrappers around services, one module per command group."""

from __future__ import annotations

import sys

import click
from sqlalchemy.exc import OperationalError

from tracker.cli.audit import audit_group
from tracker.cli.context import Context
from tracker.cli.db import db_group
from tracker.cli.demo import demo_group
from tracker.cli.export import export_group
from tracker.cli.imports import import_group
from tracker.cli.report import report_command
from tracker.cli.search import search_group
from tracker.cli.serve import serve
from tracker.cli.users import users_group
from tracker.services.errors import ServiceError

__all__ = ["cli", "main"]


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


for command in (
    audit_group,
    db_group,
    demo_group,
    export_group,
    import_group,
    report_command,
    search_group,
    serve,
    users_group,
):
    cli.add_command(command)


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
