"""The ``users`` commands: accounts and the record of sign-in attempts."""

from __future__ import annotations

import datetime as dt
import sys

import click

from tracker.cli.context import Context, pass_context


@click.group("users")
def users_group() -> None:
    """User accounts."""


@users_group.command("create")
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


@users_group.command("prune-attempts")
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
    from tracker.services.logins import prune_login_attempts

    with ctx.transaction() as session:
        deleted = prune_login_attempts(session, dt.timedelta(days=keep_days))
    click.echo(f"{deleted} sign-in attempt(s) older than {keep_days} days deleted")
